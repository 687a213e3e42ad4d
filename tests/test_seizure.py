"""The seizure test: what a thief takes from the server reveals nothing typed about a person.

Cases are created, shared and edited through the real UI, with the data committed; then the test
reads what a thief would get (the SQLite file with its -wal/-shm, or a pg_dump of PostgreSQL, and
every uploaded file) and searches it for the typed text in every likely encoding."""

import base64
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection

from safepassage.accounts import roles
from safepassage.cases.models import Case

from .conftest import make_org, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

COORDINATOR = "seizurecoordinator"
WORKER = "seizureworker"
CASES = [
    ("Ахмед Тестовый-Секрет", "Safehouse at 12 Hidden Lane Zxq, reach him on +7 999 555 0172"),
    ("Olga Zvezdnaya-Qwv", "Мария прячется в подвале на улице Потайной 7"),
    ("Dmitri Kvx Sekretov", "Border crossing planned near Kvxmarker village on 14 March"),
]
EDITED = ("Ахмед Переименованный-Qzv", "Moved to Safehouse 9 Secret Road Wqx")
# Whole texts, and the fragments most worth hiding on their own.
SECRETS = [text for pair in CASES + [EDITED] for text in pair] + [
    "Ахмед", "Тестовый", "Hidden Lane Zxq", "999 555 0172", "Zvezdnaya", "подвале", "Потайной",
    "Kvxmarker", "Sekretov", "Переименованный", "Secret Road Wqx",
]


def _base64_forms(data: bytes) -> list[bytes]:
    """The part of a base64 encoding that depends on `data` alone, for each of the 3 offsets at
    which it can start inside a longer stream (standard and URL-safe alphabets)."""
    forms = []
    for prefix in (b"", b"x", b"xx"):
        blob = prefix + data
        encoded = base64.b64encode(blob)[: 4 * (len(blob) // 3)]  # drop the partial last group
        if prefix:
            encoded = encoded[4:]  # the first group mixes in bytes before `data`
        assert len(encoded) >= 8, data
        forms += [encoded, encoded.translate(bytes.maketrans(b"+/", b"-_"))]
    return forms


def encodings(text: str) -> dict[str, bytes]:
    utf8 = text.encode()
    forms = {
        "utf-8": utf8,
        "utf-8 casefolded": text.casefold().encode(),
        "utf-16-le": text.encode("utf-16-le"),
        "utf-16-be": text.encode("utf-16-be"),
        "hex": utf8.hex().encode(),  # how pg_dump writes bytea
        "json escapes": json.dumps(text)[1:-1].encode(),  # how json.dumps stores Cyrillic
    }
    for i, form in enumerate(_base64_forms(utf8)):
        forms[f"base64 #{i}"] = form
    return forms


def leaks(files: dict[str, bytes]) -> list[str]:
    found = []
    for text in SECRETS:
        for name, needle in encodings(text).items():
            found += [f"{text!r} as {name} in {where}" for where, data in files.items() if needle in data]
    return found


def sqlite_files() -> dict[str, bytes]:
    db_file = Path(connection.settings_dict["NAME"])
    assert db_file.is_file(), db_file
    files = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(str(db_file) + suffix)
        if path.exists():
            files[path.name] = path.read_bytes()
    return files


def pg_dump() -> dict[str, bytes]:
    db = connection.settings_dict
    pg_bin = os.environ.get("SAFEPASSAGE_PG_BIN")
    program = str(Path(pg_bin) / "pg_dump") if pg_bin else shutil.which("pg_dump")
    assert program and Path(program).exists(), "pg_dump not found: set SAFEPASSAGE_PG_BIN or install it"
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    command = [program, "--no-password", "--format=plain", "--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    done = subprocess.run(command, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    # bytea columns come out as hex (\\x...); a thief decodes them, so search the bytes too.
    bytea = [bytes.fromhex(h.decode()) for h in re.findall(rb"\\{1,2}x((?:[0-9a-f]{2})+)", done.stdout)]
    assert bytea, "no bytea value in the dump: is it the right database?"
    return {"pg_dump": done.stdout, "pg_dump bytea, decoded": b"\n".join(bytea)}


def media_files() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {str(path): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def what_a_thief_takes() -> dict[str, bytes]:
    database = sqlite_files() if connection.vendor == "sqlite" else pg_dump()
    return {**database, **media_files()}


@pytest.fixture
def staff():
    org = make_org("Seizure Test Org", COORDINATOR)
    return org.coordinator, org.add(WORKER, roles.CASEWORKER)


def test_the_case_texts_survive_a_round_trip_through_the_ui(staff):
    coordinator, _ = staff
    client = sign_in(coordinator)
    pseudonym, summary = CASES[0]
    response = client.post("/staff/cases/new/", {"pseudonym": pseudonym, "summary": summary, "urgency": 1})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert pseudonym in page and summary in page


def test_a_seized_database_and_media_reveal_no_case_text(staff):
    coordinator, worker = staff
    client = sign_in(coordinator)
    cases = []
    for urgency, (pseudonym, summary) in enumerate(CASES, start=1):
        response = client.post("/staff/cases/new/", {"pseudonym": pseudonym, "summary": summary,
                                                     "urgency": urgency})
        assert response.status_code == 302, response.content[:400]
        cases.append(Case.objects.get(pk=response["Location"].rstrip("/").split("/")[-1]))
    first = cases[0]
    response = client.post(f"/staff/cases/{first.pk}/members/", {"member": str(worker.user.uuid)})
    assert response.status_code == 302
    assert client.get(f"/staff/cases/{first.pk}/edit/").status_code == 200
    response = client.post(f"/staff/cases/{first.pk}/edit/",
                           {"pseudonym": EDITED[0], "summary": EDITED[1], "urgency": 2})
    assert response.status_code == 302
    assert client.get("/staff/cases/").status_code == 200
    worker_page = sign_in(worker).get(f"/staff/cases/{first.pk}/").content.decode()
    assert EDITED[0] in worker_page and EDITED[1] in worker_page  # the data is really there, sealed
    assert Case.objects.count() == 3

    seized = what_a_thief_takes()

    # Positive control: this is the live database, holding the rows just written.
    everything = b"".join(seized.values())
    assert COORDINATOR.encode() in everything and WORKER.encode() in everything
    for case in cases:
        assert case.pk.hex.encode() in everything or str(case.pk).encode() in everything
    assert leaks(seized) == []

    sessions = list(Session.objects.all())
    assert len(sessions) >= 2  # the coordinator's and the worker's
    decoded = [s.get_decoded() for s in sessions]
    assert any(d.get("_auth_user_id") for d in decoded)
    session_text = json.dumps(decoded, default=str, ensure_ascii=False)
    session_blobs = {"sessions (decoded)": session_text.encode(),
                     "sessions (raw)": "".join(s.session_data for s in sessions).encode()}
    assert leaks(session_blobs) == []


def test_the_search_finds_plaintext_stored_in_the_clear(staff):
    """The detector itself: text planted in a plain column is found in what the thief takes."""
    coordinator, _ = staff
    planted = CASES[0][0]
    type(coordinator.user).objects.filter(pk=coordinator.user.pk).update(display_name=planted)
    found = leaks(what_a_thief_takes())
    assert any(line.startswith(f"{planted!r} as utf-8 in") for line in found), found


@pytest.mark.parametrize("encode", [
    lambda b: base64.b64encode(b + b"!"),
    lambda b: base64.b64encode(b"a" + b),
    lambda b: base64.b64encode(b"ab" + b + b"cd"),
    lambda b: base64.urlsafe_b64encode(b"\xff\xfe" + b),
    lambda b: b"\\x" + b.hex().encode(),
    lambda b: json.dumps({"k": b.decode()}).encode(),
    lambda b: b.decode().encode("utf-16"),
    lambda b: b.decode().encode("utf-16-be"),
], ids=["base64", "base64+1", "base64+2", "urlsafe", "bytea-hex", "json", "utf-16-bom", "utf-16-be"])
def test_the_search_finds_each_encoding_at_any_offset(encode):
    for text in SECRETS:
        found = leaks({"probe": b"<" + encode(text.encode()) + b">"})
        assert any(line.startswith(f"{text!r} as ") for line in found), text
