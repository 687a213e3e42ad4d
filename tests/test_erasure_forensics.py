"""The forensic attack on an erased case, on SQLite and PostgreSQL.

The attacker seizes the server after a case was erased: every file of the database (old row
versions in PostgreSQL's dead tuples and WAL, SQLite's pages and WAL), the keystore as it is now,
the recovery code and every staff password. They gather every version of every sealed copy of
the case's keys (its grants, its KEKs, its request's receipt copy) that ever existed, put them
back into the database, and try every path. None opens the case. The control: the same attack,
with the keystore as it was before the erasure, opens it, so the attack is real."""

import struct
from pathlib import Path

import pytest
from django.db import connection

from safepassage.accounts import roles
from safepassage.cases.actions import core as case_actions
from safepassage.cases.models import Case
from safepassage.intake import actions as intake_actions
from safepassage.intake import threads
from safepassage.intake.models import Thread
from safepassage.vault import crypto, datakeys, fields, keystore, recovery
from safepassage.vault.errors import VaultError
from safepassage.vault.models import DataKey, Grant

from .conftest import erase_with_two_coordinators, make_org, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PSEUDONYM = "Erased Person Qzv-forensic"


def keystore_keys(raw: bytes) -> list[bytes]:
    """Every key in every slot of a keystore file, current or not."""
    size = struct.calcsize(">Q32s")
    keys = []
    for offset in range(64, len(raw), size):
        generation, key = struct.unpack_from(">Q32s", raw, offset)
        if generation:
            keys.append(key)
    return keys


def history(data_key_ids) -> dict:
    """Every stored value of the sealed copies of these keys, now."""
    return {
        "kek": {(dk.pk, bytes(dk.kek_wrapped)) for dk in DataKey.objects.filter(pk__in=data_key_ids)},
        "grant": {(g.data_key_id, g.user_id, bytes(g.sealed_key)) for g in Grant.objects.filter(
            data_key_id__in=data_key_ids)},
        "receipt": {(t.data_key_id, bytes(t.receipt_wrapped_key), bytes(t.receipt_salt))
                    for t in Thread.objects.filter(data_key_id__in=data_key_ids)},
    }


def merge(into: dict, more: dict) -> None:
    for name, values in more.items():
        into.setdefault(name, set()).update(values)


def attack(keys: list[bytes], haul: dict, secrets: list[bytes], max_generation: int) -> list[bytes]:
    """Every data key the attacker opens from what they hold: each wrapped KEK under each key
    of the keystore and each generation, then each grant under each KEK found, then each sealed
    box with each staff or recovery secret."""
    keks = {}
    for data_key_id, blob in haul["kek"]:
        for key in keys:
            for generation in range(max_generation + 1):
                try:
                    aad = f"safepassage:kek:{data_key_id}:{generation}".encode()
                    keks[data_key_id] = crypto.aead_open(key, blob, aad)
                except crypto.Tampered:
                    continue
    opened = []
    for data_key_id, user_id, blob in haul["grant"]:
        try:
            box = crypto.aead_open(keks[data_key_id], blob,
                                   f"safepassage:grant:{data_key_id}:{user_id or 'recovery'}".encode())
        except (KeyError, crypto.Tampered):
            continue
        for secret in secrets:
            try:
                opened.append(crypto.open_sealed(secret, box))
            except crypto.Tampered:
                continue
    return opened


def postgres_dead_tuples(tables) -> bytes:
    """Every tuple of every page of these tables, live or dead, as pageinspect reads them."""
    out = []
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        for table in tables:
            cursor.execute("SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table])
            for block in range(cursor.fetchone()[0]):
                cursor.execute("SELECT t_data FROM heap_page_items(get_raw_page(%s, %s)) WHERE t_data IS NOT NULL",
                               [table, block])
                out += [bytes(row[0]) for row in cursor.fetchall()]
    return b"\n".join(out)


def database_files() -> bytes:
    """The raw bytes of the database as a thief copies them."""
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        return b"".join(Path(name + s).read_bytes() for s in ("", "-wal") if Path(name + s).exists())
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        data = Path(cursor.fetchone()[0])
        cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        oid = cursor.fetchone()[0]
    files = list((data / "base" / str(oid)).iterdir()) + list((data / "pg_wal").glob("0*"))
    return b"".join(f.read_bytes() for f in files if f.is_file())


@pytest.fixture
def erased(settings, tmp_path):
    """A case that came from a request, with members who came and went, erased by two
    coordinators; with everything the attacker gathered."""
    settings.MEDIA_ROOT = tmp_path / "media"
    org = make_org()
    coordinator, second = org.coordinator, org.add("coord2", roles.COORDINATOR)
    worker, hotline = org.add("worker", roles.CASEWORKER), org.add("hotline", roles.HOTLINE)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("vault_datakey", "vault_grant", "intake_thread"):
                cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")  # keep every dead tuple
    thread, phrase = threads.submit(org.org, threads.Request(story="Forensic story Kqx", urgency=1, region="",
                                                             contact="", referrer="", language="en"))
    case = intake_actions.convert(coordinator.user, coordinator.secret, thread, PSEUDONYM)
    for _ in range(6):  # neighbours: other cases whose KEKs the rotation re-wraps
        case_actions.create_case(coordinator.user, "Neighbour", "", 2)
    ids = [case.data_key_id, thread.data_key_id]
    haul = history(ids)
    for member in (second, worker):
        case_actions.add_member(coordinator.user, coordinator.secret, case, member.user)
        merge(haul, history(ids))
    case_actions.remove_member(coordinator.user, coordinator.secret, case, worker.user)  # rotates the case key
    merge(haul, history(ids))
    sealed_pseudonym = bytes(Case.objects.get(pk=case.pk).pseudonym_sealed)
    before = keystore.path().read_bytes()
    max_generation = max(DataKey.objects.values_list("generation", flat=True))
    erase_with_two_coordinators(sign_in(coordinator), sign_in(second), case)
    merge(haul, history(ids))
    secrets = [s.secret for s in (coordinator, second, worker, hotline)]
    secrets.append(recovery.secret_from_code(org.recovery_code, bytes(org.org.recovery_public_key)))
    return {"case": case, "thread": thread, "phrase": phrase, "haul": haul, "keystore_before": before,
            "secrets": secrets, "max_generation": max_generation + 2, "sealed_pseudonym": sealed_pseudonym,
            "staff": (coordinator, second, worker, hotline), "org": org}


def opens_the_case(keys, erased) -> bool:
    for key in attack(keys, erased["haul"], erased["secrets"], erased["max_generation"]):
        probe = Case(pk=erased["case"].pk, pseudonym_sealed=erased["sealed_pseudonym"])
        try:
            if fields.open_text(key, probe, "pseudonym") == PSEUDONYM:
                return True
        except VaultError:
            continue
    return False


def test_the_attack_opens_the_case_with_the_keystore_of_before_the_erasure(erased):
    assert opens_the_case(keystore_keys(erased["keystore_before"]), erased)


def test_no_old_row_version_with_any_password_or_the_recovery_code_opens_an_erased_case(erased):
    assert not opens_the_case(keystore_keys(keystore.path().read_bytes()), erased)


def test_the_old_versions_are_really_there_for_the_attacker_on_postgresql(erased):
    if connection.vendor != "postgresql":
        # SQLite: secure_delete zeroes freed cells and the WAL is truncated after an erasure, so
        # the old versions are gone from the files too.
        raw = database_files()
        assert not any(blob in raw for _id, blob in erased["haul"]["kek"] if blob)
        assert not any(blob in raw for _d, _u, blob in erased["haul"]["grant"])
        return
    dead = postgres_dead_tuples(["vault_datakey", "vault_grant"])
    found = [blob for _id, blob in erased["haul"]["kek"] if blob and blob in dead]
    assert found, "the dead tuples keep the erased case's wrapped KEKs: the attack has something to work on"
    assert any(blob in dead for _d, _u, blob in erased["haul"]["grant"])


def test_putting_the_old_rows_back_opens_nothing_by_any_path(erased):
    haul = erased["haul"]
    data_keys = {erased["case"].data_key_id, erased["thread"].data_key_id}
    for data_key_id, blob in haul["kek"]:
        for generation in range(erased["max_generation"] + 1):
            DataKey.objects.filter(pk=data_key_id).update(kek_wrapped=blob, generation=generation)
            for data_key_id2, user_id, sealed in haul["grant"]:
                if data_key_id2 != data_key_id:
                    continue
                Grant.objects.filter(data_key_id=data_key_id, user_id=user_id).delete()
                Grant.objects.create(data_key_id=data_key_id, user_id=user_id, sealed_key=sealed)
                data_key = DataKey.objects.get(pk=data_key_id)
                for staff in erased["staff"]:
                    with pytest.raises(VaultError):
                        datakeys.open_for(data_key, staff.user, staff.secret)
                with pytest.raises(VaultError):
                    datakeys.open_with_recovery(data_key, erased["secrets"][-1])
    assert data_keys
    for data_key_id, receipt_copy, salt in haul["receipt"]:
        Thread.objects.filter(data_key_id=data_key_id).update(receipt_wrapped_key=receipt_copy, receipt_salt=salt)
    assert threads.find_by_receipt(erased["phrase"]) is None
