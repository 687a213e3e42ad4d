"""The public site runs as a process of its own (safepassage.public.settings), connected to
PostgreSQL as a role that `public-db-grants` made: an applicant can ask for help, send a photo,
come back with the receipt and write again, and the staff then read all of it. The role itself,
used as an attacker holding the public process would use it, reads no case, no testimony, no
session, no password hash, no sealed secret key and no grant.

PostgreSQL only (the role is the point): `make test-postgres` runs it; the SQLite run leaves it
out by its marker, and it fails rather than pass if it ever runs on another database."""

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from PIL import Image

from safepassage.accounts import roles
from safepassage.intake import actions
from safepassage.intake.models import Attachment, Message, Thread

from .conftest import make_org

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROLE = "sp_public_test"
STORY = "Меня ищут, public-process story Qpx"
LATER = "Second message from the separate process Wvk"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(base, path, data=None, files=None):
    """(status, location, body) of one request, redirects not followed, as a browser without
    cookies or JavaScript would send it."""
    headers = {}
    body = None
    if files is not None:
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in data.items()]
        for name, (filename, content) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif data is not None:
        body = urllib.parse.urlencode(data).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(base + path, data=body, headers=headers)  # noqa: S310 - http on loopback
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers.get("Location"), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location"), exc.read().decode()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def public_role():
    """A login role with the grants `public-db-grants --apply` gives, and its database URL."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {ROLE}")
        cursor.execute(f"CREATE ROLE {ROLE} LOGIN")
    call_command("public_db_grants", ROLE, "--apply", stdout=io.StringIO())
    db = connection.settings_dict
    url = f"postgres://{ROLE}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    yield url
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {ROLE}")
        cursor.execute(f"DROP ROLE {ROLE}")


@pytest.fixture
def public_process(public_role, tmp_path, settings):
    """The public site alone, served by waitress with its own settings and role."""
    port = free_port()
    settings.MEDIA_ROOT = tmp_path / "media"  # shared with the staff side, as on one machine
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "safepassage.public.settings", "SAFEPASSAGE_ENV": "test",
           "SAFEPASSAGE_PUBLIC_DATABASE_URL": public_role, "SAFEPASSAGE_VAR_DIR": str(tmp_path),
           "SAFEPASSAGE_KEYSTORE_DIR": str(settings.KEYSTORE_DIR)}  # the same machine's keystore
    env.pop("DATABASE_URL", None)  # it must not fall back to the staff site's connection
    process = subprocess.Popen([sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}",
                                "safepassage.wsgi:application"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            fetch(base, "/en/")
            break
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.1)
    yield base
    process.terminate()
    output = process.communicate(timeout=10)[0].decode()
    assert "Traceback" not in output, output


def test_the_public_site_works_as_its_own_process_under_its_own_role(public_process, settings):
    org = make_org()
    org.add("hotline", roles.HOTLINE)
    base = public_process

    status, location, _ = fetch(base, "/en/request/", {
        "story": STORY, "urgency": "1", "region": "RU-CE", "contact": "", "referrer": "", "language": "en",
        "website": ""}, files={"files": ("photo.png", png())})
    assert status == 303 and "/request/sent/" in location, (status, location)
    status, _, page = fetch(base, location)
    assert status == 200
    receipt = " ".join(re.findall(r"<li>(.*?)</li>", re.search(r'<ol class="receipt"[^>]*>(.*?)</ol>', page,
                                                                 re.S).group(1)))
    status, location, _ = fetch(base, "/en/follow-up/", {"receipt": receipt})
    assert status == 303 and "/follow-up/" in location and "failed" not in location, location
    status, _, page = fetch(base, location)
    assert status == 200 and STORY in page
    token_path = re.search(r'action="(/en/follow-up/[^/"]+/)"', page).group(1)
    status, location, _ = fetch(base, token_path, {"body": LATER}, files={})
    assert status == 303 and "sent=1" in location, location

    # The staff read it all, with their own keys, in their own process.
    thread = Thread.objects.get()
    coordinator = org.coordinator
    opened = actions.open_thread(coordinator.user, coordinator.secret, thread)
    assert opened.story == STORY and [m.body for m in opened.messages] == [LATER]
    data, _name = actions.read_attachment(coordinator.user, coordinator.secret, thread, Attachment.objects.get(),
                                          original=True)
    assert data == png()
    assert Message.objects.filter(from_applicant=True).count() == 1


def test_the_public_process_serves_no_staff_page(public_process):
    for path in ("/staff/", "/staff/login/", "/staff/cases/", "/staff/audit/", "/l/abc/"):
        status, _, page = fetch(public_process, path)
        assert status == 404, path
        assert "safepassage" not in page  # the public site's own 404, never the staff look


SECRET_READS = {
    "a case": "SELECT pseudonym_sealed FROM cases_case",
    "the list of cases": "SELECT count(*) FROM cases_case",
    "a person": "SELECT name_sealed FROM cases_person",
    "a testimony": "SELECT text_sealed FROM evidence_testimony",
    "a shelter": "SELECT address_sealed FROM cases_shelter",
    "a staff member's sealed secret key": "SELECT sealed_secret FROM vault_keyring",
    "a password hash": "SELECT password FROM accounts_user",
    "a username": "SELECT username FROM accounts_user",
    "a sealed grant": "SELECT sealed_key FROM vault_grant",
    "a staff session": "SELECT session_data FROM django_session",
    "the audit log": "SELECT details FROM audit_auditevent",
    "a two-factor secret": "SELECT key FROM otp_totp_totpdevice",
    "a disclosure": "SELECT recipient_sealed FROM dossiers_disclosure",
}


def test_the_public_role_reads_nothing_of_cases_or_staff(public_role):
    make_org()
    refused = {}
    with psycopg.connect(public_role, autocommit=True) as attacker:
        for what, sql in SECRET_READS.items():
            try:
                attacker.execute(sql).fetchall()
            except psycopg.errors.InsufficientPrivilege:
                refused[what] = True
            else:
                refused[what] = False
        # Nor may it change what staff hold: no case, no key, no grant, no chain rewrite.
        for sql in ("UPDATE vault_keyring SET public_key = ''", "DELETE FROM vault_grant",
                    "UPDATE audit_auditevent SET details = '{}'", "DELETE FROM intake_thread",
                    "UPDATE intake_thread SET receipt_wrapped_key = ''"):
            try:
                attacker.execute(sql)
            except psycopg.errors.InsufficientPrivilege:
                refused[sql] = True
            else:
                refused[sql] = False
    assert refused == dict.fromkeys(refused, True), [k for k, v in refused.items() if not v]


def test_the_grants_are_printed_for_an_operator_to_review():
    out = io.StringIO()
    call_command("public_db_grants", "safepassage_public", stdout=out)
    sql = out.getvalue()
    keyring = 'GRANT SELECT ("id", "user_id", "public_key", "certificate") ON "vault_keyring" TO "safepassage_public";'
    assert keyring in sql
    assert "cases_case" not in sql and "sealed_secret" not in sql
    assert all(line.endswith(";") for line in sql.splitlines())  # one statement a line, for psql
