"""The audit hash chain: actions write their events, `audit verify` names the first event a
tamperer broke, and parallel writers never fork the chain (SQLite and PostgreSQL)."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from safepassage.audit import chain
from safepassage.audit.models import AuditEvent, AuditHead
from safepassage.cases.models import Case

from .conftest import erase_with_two_coordinators, sign_in

PROJECT_DIR = Path(__file__).resolve().parent.parent
PSEUDONYM = "Ахмед Аудитов-Тайный"
SUMMARY = "Sheltered at 4 Quiet Yard Qzx until the visa arrives"


def reset_chain():
    """An empty chain with its head row. A transactional test's flush deletes the head row that
    the migration made, so tests that need a known chain start from here."""
    AuditEvent.objects.all().delete()
    AuditHead.objects.update_or_create(pk=1, defaults={"seq": 0, "hash": chain.GENESIS})


@pytest.fixture
def empty_chain(db):
    reset_chain()


@pytest.fixture
def six_events(empty_chain):
    for n in range(1, 7):
        chain.record("test.event", object_type="test", object_id=str(n), details={"n": n})
    assert chain.verify().ok
    return 6


def table() -> str:
    return connection.ops.quote_name(AuditEvent._meta.db_table)


def run_sql(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def set_seq(old: int, new: int) -> None:
    run_sql(f"UPDATE {table()} SET seq = %s WHERE seq = %s", [new, old])


def copy_row(source_seq: int, new_seq: int) -> None:
    """A forged row: an existing event's content re-inserted under another seq."""
    columns = "at, organisation, actor, action, object_type, object_id, details, commitment, redacted, prev_hash, hash"
    run_sql(f"INSERT INTO {table()} (seq, {columns}) SELECT %s, {columns} FROM {table()} WHERE seq = %s",
            [new_seq, source_seq])


def commitment_of(fields) -> str:
    return chain._commitment(chain._key(), fields["object_type"], fields["object_id"], fields["details"])


def verify_fails_at(seq: int) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify", stdout=StringIO())
    message = str(excinfo.value)
    assert f"BROKEN at event {seq}:" in message, message
    assert excinfo.value.returncode == 1  # what `manage.py audit verify` exits with
    return message


def create_case(client, pseudonym=PSEUDONYM, summary=SUMMARY) -> Case:
    response = client.post("/staff/cases/new/", {"pseudonym": pseudonym, "summary": summary, "urgency": 2})
    assert response.status_code == 302, response.content[:400]
    return Case.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def events(action: str, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


# Events written by the actions themselves

@pytest.mark.django_db
class TestActionsWriteEvents:
    def test_a_login_with_both_factors_writes_a_login_event_for_that_user(self, team):
        user = team["caseworker"].user
        assert not events("login", actor=str(user.uuid)).exists()
        sign_in(team["caseworker"])
        event = events("login", actor=str(user.uuid)).get()
        assert event.organisation == str(user.organisation_id)
        assert event.details == {"factor": "totpdevice"}

    def test_a_wrong_password_writes_login_failed_and_no_login(self, team):
        user = team["caseworker"].user
        response = Client().post("/staff/login/", {"username": user.username, "password": "wrong horse battery"})
        assert response.status_code != 302
        event = events("login.failed", actor=str(user.uuid)).get()
        assert event.details == {"reason": "password"}
        assert "wrong horse" not in json.dumps(event.details)
        assert not events("login", actor=str(user.uuid)).exists()

    def test_opening_a_case_writes_case_read_naming_the_case_and_reader(self, team):
        client = sign_in(team["coordinator"])
        case = create_case(client)
        assert not events("case.read", object_id=str(case.pk)).exists()
        assert client.get(f"/staff/cases/{case.pk}/").status_code == 200
        event = events("case.read", object_id=str(case.pk)).get()
        assert (event.object_type, event.actor) == ("case", str(team["coordinator"].user.uuid))

    def test_a_grant_writes_case_granted_naming_the_new_member(self, team):
        client = sign_in(team["coordinator"])
        case = create_case(client)
        worker = team["caseworker"].user
        response = client.post(f"/staff/cases/{case.pk}/members/", {"member": str(worker.uuid)})
        assert response.status_code == 302
        event = events("case.granted", object_id=str(case.pk)).get()
        assert event.details == {"member": str(worker.uuid)}
        assert event.actor == str(team["coordinator"].user.uuid)

    def test_a_revoke_writes_case_revoked_with_the_key_rotated(self, team):
        client = sign_in(team["coordinator"])
        case = create_case(client)
        worker = team["caseworker"].user
        client.post(f"/staff/cases/{case.pk}/members/", {"member": str(worker.uuid)})
        response = client.post(f"/staff/cases/{case.pk}/members/{worker.uuid}/remove/")
        assert response.status_code == 302
        event = events("case.revoked", object_id=str(case.pk)).get()
        assert event.details == {"member": str(worker.uuid), "rotated": True}

    def test_an_erasure_writes_case_erased(self, team):
        client = sign_in(team["coordinator"])
        case = create_case(client)
        client.post(f"/staff/cases/{case.pk}/members/", {"member": str(team["coordinator2"].user.uuid)})
        erase_with_two_coordinators(client, sign_in(team["coordinator2"]), case)
        assert Case.objects.get(pk=case.pk).erased_at is not None
        event = events("case.erased", object_id=str(case.pk)).get()
        assert event.actor == str(team["coordinator2"].user.uuid)  # the approver runs it
        # What came before names the case no more (redacted), and the chain still verifies.
        requested = events("approval.requested").get()
        assert requested.actor == str(team["coordinator"].user.uuid)
        assert requested.redacted and requested.object_id == "" and requested.details == {}
        assert not AuditEvent.objects.filter(redacted=False, object_id=str(case.pk)).exclude(action="case.erased")
        assert chain.verify().ok

    def test_no_event_ever_holds_the_pseudonym_or_summary_text(self, team):
        client = sign_in(team["coordinator"])
        case = create_case(client)
        worker = team["caseworker"].user
        client.get("/staff/cases/")
        client.get(f"/staff/cases/{case.pk}/")
        client.get(f"/staff/cases/{case.pk}/edit/")
        client.post(f"/staff/cases/{case.pk}/edit/",
                    {"pseudonym": PSEUDONYM + " Второй", "summary": SUMMARY + " later", "urgency": 1})
        client.post(f"/staff/cases/{case.pk}/members/", {"member": str(worker.uuid)})
        client.post(f"/staff/cases/{case.pk}/members/{worker.uuid}/remove/")
        client.post(f"/staff/cases/{case.pk}/members/", {"member": str(team["coordinator2"].user.uuid)})
        written = list(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
        for action in ("case.created", "case.read", "case.read_for_edit", "case.updated", "case.granted",
                       "case.revoked"):
            assert action in written
        erase_with_two_coordinators(client, sign_in(team["coordinator2"]), case)
        assert events("case.erased", object_id=str(case.pk)).exists()
        rows = list(AuditEvent.objects.values())
        dumped = json.dumps(rows, default=str, ensure_ascii=False) + json.dumps(rows, default=str)
        for text in (PSEUDONYM, SUMMARY, "Ахмед", "Аудитов", "Quiet Yard Qzx", "Второй"):
            for form in (text, json.dumps(text)[1:-1]):
                assert form not in dumped, form


# `audit verify` on an intact chain and after tampering

def test_verify_reports_an_intact_chain_and_its_event_count(six_events):
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    head = AuditHead.objects.get(pk=1)
    assert "Audit chain intact: 6 events." in out.getvalue()
    assert head.hash in out.getvalue()
    assert chain.verify().ok


def test_an_empty_chain_verifies_with_zero_events(empty_chain):
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Audit chain intact: 0 events." in out.getvalue()


def test_edited_details_break_the_chain_at_that_event(six_events):
    AuditEvent.objects.filter(seq=3).update(details={"n": 99})
    message = verify_fails_at(3)
    assert "2 events verified" in message


def test_an_edited_action_written_with_raw_sql_breaks_the_chain_at_that_event(six_events):
    run_sql(f"UPDATE {table()} SET action = %s WHERE seq = %s", ["login", 4])
    verify_fails_at(4)


def test_an_edited_timestamp_breaks_the_chain_at_that_event(six_events):
    at = AuditEvent.objects.get(seq=2).at
    AuditEvent.objects.filter(seq=2).update(at=at - timedelta(days=1))
    verify_fails_at(2)


def test_a_deleted_middle_event_is_reported_where_it_is_missing(six_events):
    run_sql(f"DELETE FROM {table()} WHERE seq = %s", [3])
    message = verify_fails_at(4)
    assert "expected event 3 here" in message


def test_a_deleted_last_event_is_caught_by_the_chain_head(six_events):
    AuditEvent.objects.filter(seq=6).delete()
    assert AuditHead.objects.get(pk=1).seq == 6
    message = verify_fails_at(6)
    assert "records 6 events; 5 remain" in message
    assert "5 events verified before it" in message


def test_a_copied_row_appended_at_the_end_is_reported_as_forged(six_events):
    copy_row(source_seq=2, new_seq=7)
    message = verify_fails_at(7)
    assert "does not follow" in message


def test_a_correctly_hashed_row_appended_without_the_head_is_reported_as_the_bad_one(six_events):
    last = AuditEvent.objects.get(seq=6)
    at = last.at + timedelta(seconds=1)
    fields = {"organisation": "", "actor": "", "action": "case.erased", "object_type": "case",
              "object_id": "forged", "details": {}}
    # Written by someone who holds the audit key (a server compromised with its files): every link
    # verifies, and only the head row, which they did not move, gives them away.
    AuditEvent.objects.create(seq=7, at=at, prev_hash=last.hash, hash=chain._digest(7, at, prev_hash=last.hash,
                                                                                     **fields),
                              commitment=commitment_of(fields), **fields)
    verdict = chain.verify()
    assert (verdict.ok, verdict.bad_seq, verdict.count) == (False, 7, 6)  # every link is valid; the head is not
    message = verify_fails_at(7)
    assert "records 6 events; 7 remain" in message
    assert "6 events verified before it" in message


def test_a_last_event_rewritten_with_a_fresh_hash_is_caught_by_the_head_hash(six_events):
    last = AuditEvent.objects.get(seq=6)
    fields = {"organisation": last.organisation, "actor": last.actor, "action": "login",
              "object_type": last.object_type, "object_id": last.object_id, "details": last.details}
    digest = chain._digest(6, last.at, prev_hash=last.prev_hash, **fields)
    AuditEvent.objects.filter(seq=6).update(hash=digest, commitment=commitment_of(fields), **fields)
    message = verify_fails_at(6)
    assert "5 events verified before it" in message


def test_a_row_forged_into_the_middle_by_shifting_later_seqs_is_reported_at_its_place(six_events):
    run_sql(f"UPDATE {table()} SET seq = seq + 1000 WHERE seq >= %s", [3])
    run_sql(f"UPDATE {table()} SET seq = seq - 999 WHERE seq >= %s", [1000])
    copy_row(source_seq=2, new_seq=3)
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6, 7]
    message = verify_fails_at(3)
    assert "does not follow" in message


def test_two_events_with_swapped_seqs_are_reported_at_the_earlier_seq(six_events):
    set_seq(2, -1)
    set_seq(5, 2)
    set_seq(-1, 5)
    verify_fails_at(2)


def test_swapping_neighbours_is_caught_too(six_events):
    set_seq(4, -1)
    set_seq(5, 4)
    set_seq(-1, 5)
    verify_fails_at(4)


# The real command line, against a throwaway SQLite file

def manage(args, env):
    return subprocess.run([sys.executable, str(PROJECT_DIR / "manage.py"), *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=180)


def test_the_audit_verify_command_exits_non_zero_naming_the_tampered_seq(tmp_path):
    db_file = tmp_path / "audit.sqlite3"
    env = {**os.environ, "SAFEPASSAGE_ENV": "test", "DATABASE_URL": f"sqlite:///{db_file}",
           "SAFEPASSAGE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "safepassage.settings",
           # one server: every command below shares its keystore folder and its checkpoint
           "SAFEPASSAGE_KEYSTORE_DIR": str(tmp_path / "keystore"),
           "SAFEPASSAGE_AUDIT_CHECKPOINT": str(tmp_path / "audit.checkpoint")}
    done = manage(["migrate", "--noinput", "-v0"], env)
    assert done.returncode == 0, done.stderr
    done = manage(["shell", "-c", "from safepassage.audit.chain import record\n"
                                  "for n in range(5): record('test.event', details={'n': n})"], env)
    assert done.returncode == 0, done.stderr

    done = manage(["audit", "verify"], env)
    assert done.returncode == 0, done.stderr
    assert "Audit chain intact: 5 events." in done.stdout

    with sqlite3.connect(db_file) as db:
        db.execute("UPDATE audit_auditevent SET details = ? WHERE seq = 3", ['{"n": 42}'])
    db.close()
    done = manage(["audit", "verify"], env)
    assert done.returncode == 1
    assert "BROKEN at event 3:" in done.stderr
    assert "intact" not in done.stdout

    script = subprocess.run([str(Path(sys.executable).parent / "safepassage"), "audit", "verify"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=180)
    assert script.returncode == 1
    assert "BROKEN at event 3:" in script.stderr


# Parallel writers

WRITERS, PER_WRITER = 8, 25


@pytest.mark.django_db(transaction=True)
def test_eight_parallel_writers_append_200_events_without_forking_the_chain():
    reset_chain()
    barrier = threading.Barrier(WRITERS)
    errors = []

    def writer(number):
        try:
            barrier.wait(timeout=30)
            for i in range(PER_WRITER):
                chain.record("test.parallel", object_type="test", object_id=f"{number}-{i}",
                             details={"writer": number, "i": i})
        except Exception as exc:  # noqa: BLE001 - reported below with the writer's number
            errors.append((number, repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    total = WRITERS * PER_WRITER
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, total + 1))
    assert Counter(d["writer"] for d in AuditEvent.objects.values_list("details", flat=True)) == {
        n: PER_WRITER for n in range(WRITERS)}
    assert AuditHead.objects.get(pk=1).seq == total
    verdict = chain.verify()
    assert (verdict.ok, verdict.count) == (True, total), verdict
