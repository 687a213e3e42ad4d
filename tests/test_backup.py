"""`safepassage backup` and `safepassage restore`: one encrypted file that the standard age tool
opens; a restore into an empty database gives back every case, file and key, and erases again
what the erasure ledger says was erased after the backup, so an erased case never comes back.
A wrong key, a cut or altered file, a database or media folder that is not empty, or a ledger
that is not the one kept, are refused with a clear message and change nothing."""

import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from safepassage.accounts import roles
from safepassage.accounts.models import Organisation, User
from safepassage.audit.chain import verify
from safepassage.audit.models import AuditEvent
from safepassage.cases.actions import core as case_actions
from safepassage.cases.models import Case
from safepassage.evidence.actions import files as file_actions
from safepassage.intake import threads
from safepassage.vault import keyring, keystore

from .conftest import erase_with_two_coordinators, make_org, sign_in
from .test_erasure_forensics import attack, history, keystore_keys
from .test_intake_support import png_with_text

pytestmark = pytest.mark.django_db(transaction=True)

KEPT, ERASED = "Kept Through The Backup Qvx", "Erased After The Backup Wzk"


def empty_the_database():
    """What a new server has: the migrated schema and nothing else (a flush, then what the
    migrations seed), and a fresh keystore."""
    from django.conf import settings

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(keystore.path().parent)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("backup_key", str(tmp_path / "backup.key"), stdout=out)
    recipient = out.getvalue().strip()
    org = make_org()
    second = org.add("coord2", roles.COORDINATOR)
    worker = org.add("worker", roles.CASEWORKER)
    kept = case_actions.create_case(org.coordinator.user, KEPT, "kept summary", 1)
    erased = case_actions.create_case(org.coordinator.user, ERASED, "erased summary", 2)
    for case in (kept, erased):
        case_actions.add_member(org.coordinator.user, org.coordinator.secret, case, second.user)
    file_actions.ingest(org.coordinator.user, org.coordinator.secret, case=kept, description="kept photo",
                        upload=SimpleUploadedFile("photo.png", png_with_text()))
    thread, phrase = threads.submit(org.org, threads.Request(story="a request kept", urgency=1, region="",
                                                             contact="", referrer="", language="en"))
    return {"org": org, "second": second, "worker": worker, "kept": kept, "erased": erased, "phrase": phrase,
            "recipient": recipient, "key": tmp_path / "backup.key", "file": tmp_path / "site.age", "tmp": tmp_path}


def back_up(site):
    call_command("backup", str(site["file"]), "--recipient", site["recipient"], stdout=io.StringIO())
    return site["file"]


def restore(site, path=None, **options):
    args = [str(path or site["file"]), "--identity", str(site["key"])]
    args += [f"--{k}={v}" for k, v in options.items()]
    out = io.StringIO()
    call_command("restore", *args, stdout=out)
    return out.getvalue()


def opens(user_name, case_pk) -> str:
    user = User.objects.get(username=user_name)
    secret = keyring.unlock(user.keyring, "correct horse battery staple")
    return case_actions.open_case(user, secret, Case.objects.get(pk=case_pk)).pseudonym


def test_the_standard_age_tool_opens_a_backup_and_it_holds_only_ciphertext(site):
    path = back_up(site)
    raw = path.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1") and KEPT.encode() not in raw
    plain = subprocess.run(["age", "--decrypt", "--identity", str(site["key"]), str(path)], capture_output=True,
                           check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert {"keystore/keystore.bin", "keystore/certify.key"} <= set(names)
    assert any(n.startswith("database/") for n in names)
    assert any(n.startswith("media/evidence/") for n in names)
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    assert KEPT.encode() not in plain  # inside, the cases are sealed as in the database


def test_a_restore_into_a_new_server_opens_everything_and_erases_again_what_was_erased_since(site):
    back_up(site)
    erase_with_two_coordinators(sign_in(site["org"].coordinator), sign_in(site["second"]), site["erased"])
    haul = history([site["erased"].data_key_id])
    assert Case.objects.get(pk=site["erased"].pk).erased_at is not None

    empty_the_database()
    said = restore(site)

    assert "1 erased again" in said
    assert opens("coord", site["kept"].pk) == KEPT and opens("coord2", site["kept"].pk) == KEPT
    assert Case.objects.get(pk=site["erased"].pk).erased_at is not None  # it did not come back
    assert threads.find_by_receipt(site["phrase"]) is not None
    assert verify().ok and AuditEvent.objects.filter(action="backup.restored").exists()
    # The keys of the backup that wrapped the erased case are gone from the restored keystore too.
    secrets = [keyring.unlock(u.keyring, "correct horse battery staple") for u in User.objects.all()]
    assert attack(keystore_keys(keystore.path().read_bytes()), haul, secrets, 20) == []


def test_a_wrong_key_is_refused_and_changes_nothing(site):
    path = back_up(site)
    empty_the_database()
    call_command("backup_key", str(site["tmp"] / "other.key"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="does not open this backup"):
        call_command("restore", str(path), "--identity", str(site["tmp"] / "other.key"), stdout=io.StringIO())
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("damage", ["cut", "flip"])
def test_a_cut_or_altered_file_is_refused_and_changes_nothing(site, damage):
    path = back_up(site)
    raw = bytearray(path.read_bytes())
    if damage == "cut":
        raw = raw[: len(raw) - 100]
    else:
        raw[len(raw) // 2] ^= 0x01
    bad = site["tmp"] / "bad.age"
    bad.write_bytes(bytes(raw))
    empty_the_database()
    fresh_keystore = keystore.path().read_bytes() if keystore.exists() else None
    with pytest.raises(CommandError, match="damaged or incomplete"):
        restore(site, bad)
    assert not Organisation.objects.exists() and not list(Path(site["tmp"] / "media").rglob("*.orig"))
    assert (keystore.path().read_bytes() if keystore.exists() else None) == fresh_keystore


def test_a_database_that_is_not_empty_is_refused(site):
    back_up(site)
    with pytest.raises(CommandError, match="not empty"):
        restore(site)
    assert Case.objects.count() == 2


def test_a_ledger_with_an_erasure_removed_is_refused(site, settings):
    erase_with_two_coordinators(sign_in(site["org"].coordinator), sign_in(site["second"]), site["erased"])
    path = back_up(site)  # made after one erasure: the ledger's head is in the manifest
    lines = Path(settings.ERASURE_LEDGER).read_text().splitlines()
    forged = site["tmp"] / "forged.ledger"
    forged.write_text("\n".join(lines[1:]) + "\n")
    empty_the_database()
    with pytest.raises(CommandError, match="erasure ledger"):
        restore(site, path, ledger=forged)
    assert not Organisation.objects.exists()


def test_a_backup_needs_a_recipient_and_never_overwrites(site, settings):
    settings.BACKUP_RECIPIENTS = []
    with pytest.raises(CommandError, match="No backup recipient"):
        call_command("backup", str(site["file"]), stdout=io.StringIO())
    back_up(site)
    with pytest.raises(CommandError, match="already exists"):
        back_up(site)
    assert connection.vendor in ("sqlite", "postgresql")
