"""Revocation that holds: a member deactivated, or who loses a role, keeps nothing that opens what
is written afterwards. The attack: their password (so their secret key), every version their
grants ever had (PostgreSQL's dead tuples included), the keystore as it is after; the control: the
same attack before the revocation opens the key."""

import pytest
from django.db import connection

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.cases.actions import core as case_actions
from safepassage.cases.actions import work
from safepassage.cases.models import Note
from safepassage.evidence import keys as evidence_keys
from safepassage.evidence.models import EvidenceKey
from safepassage.vault import datakeys, fields, keystore
from safepassage.vault.models import Grant

from .conftest import sign_in
from .test_erasure_forensics import attack, history, keystore_keys, postgres_dead_tuples

pytestmark = pytest.mark.django_db(transaction=True)


def admin_sets(admin, staff, *, roles_, active=True):
    response = sign_in(admin).post(f"/staff/staff/{staff.user.uuid}/", {
        "display_name": "X", "roles": roles_, **({"is_active": "on"} if active else {})})
    assert response.status_code == 302, response.content.decode()[:800]


def note_text(case, key) -> str:
    return fields.open_text(key, Note.objects.filter(case=case).latest("created_at"), "body")


@pytest.fixture
def shared(team):
    coordinator, worker = team["coordinator"], team["caseworker"]
    case = case_actions.create_case(coordinator.user, "Revoked From", "", 1)
    case_actions.add_member(coordinator.user, coordinator.secret, case, worker.user)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE vault_grant SET (autovacuum_enabled = false)")
            cursor.execute("ALTER TABLE vault_datakey SET (autovacuum_enabled = false)")
    return case


def test_a_deactivated_member_opens_nothing_written_after_with_every_old_row_and_their_password(team, shared):
    coordinator, worker, admin = team["coordinator"], team["caseworker"], team["admin"]
    case = shared
    haul = history([case.data_key_id])
    theirs = [worker.secret]  # what a coerced, deactivated member still has: their password
    assert attack(keystore_keys(keystore.path().read_bytes()), haul, theirs, 20)  # the control

    admin_sets(admin, worker, roles_=["caseworker"], active=False)
    work.add_note(coordinator.user, coordinator.secret, case, "Moved to the blue flat on Friday Kqz")

    assert not Grant.objects.filter(user=worker.user).exists()
    found = attack(keystore_keys(keystore.path().read_bytes()), haul, theirs, 20)
    assert found == []
    if connection.vendor == "postgresql":  # the old grant rows are really still there, dead
        dead = postgres_dead_tuples(["vault_grant", "vault_datakey"])
        assert any(blob in dead for _d, _u, blob in haul["grant"])
    key = datakeys.open_for(case.data_key, coordinator.user, coordinator.secret)
    assert note_text(case, key) == "Moved to the blue flat on Friday Kqz"  # the others lose nothing
    assert AuditEvent.objects.filter(action="key.revoked", object_id=str(worker.user.uuid)).exists()


def test_a_member_removed_from_a_case_keeps_no_way_back_through_old_grant_rows(team, shared):
    coordinator, worker = team["coordinator"], team["caseworker"]
    case = shared
    haul = history([case.data_key_id])
    case_actions.remove_member(coordinator.user, coordinator.secret, case, worker.user)
    assert attack(keystore_keys(keystore.path().read_bytes()), haul, [worker.secret], 20) == []


def test_losing_the_researcher_role_takes_the_evidence_base_key(team, org):
    admin = team["admin"]
    researcher = org.add("res", roles.RESEARCHER, roles.CASEWORKER)
    evidence_keys.open_for(researcher.user, researcher.secret)  # made, sealed to them
    row = EvidenceKey.objects.get()
    haul = history([row.data_key_id])
    assert attack(keystore_keys(keystore.path().read_bytes()), haul, [researcher.secret], 20)
    admin_sets(admin, researcher, roles_=["caseworker"])
    assert not Grant.objects.filter(data_key=row.data_key, user=researcher.user).exists()
    assert attack(keystore_keys(keystore.path().read_bytes()), haul, [researcher.secret], 20) == []


def test_deactivating_the_only_member_of_a_case_is_refused_with_a_reason(team):
    worker, admin = team["caseworker"], team["admin"]
    case_actions.create_case(worker.user, "Only Theirs", "", 2)
    response = sign_in(admin).post(f"/staff/staff/{worker.user.uuid}/", {"display_name": "X",
                                                                         "roles": ["caseworker"]})
    assert response.status_code == 200
    assert "the only member of 1 case" in response.content.decode()
    worker.user.refresh_from_db()
    assert worker.user.is_active and Grant.objects.filter(user=worker.user).exists()
