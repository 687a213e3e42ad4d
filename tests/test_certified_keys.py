"""An authenticated keyring: someone who can write to the database replaces a staff member's
public key (or the recovery key, or the evidence base's drop box) with their own, to receive what
is sealed next. Nothing is sealed to it: the certificate does not verify; the refusal is audited
and the admins see it on the staff list; each person can compare their key's fingerprint."""

import pytest

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.cases.actions import core as case_actions
from safepassage.intake import threads
from safepassage.vault import certify, crypto, datakeys
from safepassage.vault.models import Grant, Keyring

from .conftest import sign_in

pytestmark = pytest.mark.django_db

ATTACKER_PUBLIC, ATTACKER_SECRET = crypto.new_keypair()


def swap(staff) -> None:
    """What a database writer does: the key changes, the certificate stays."""
    Keyring.objects.filter(user=staff.user).update(public_key=ATTACKER_PUBLIC)
    staff.user.refresh_from_db()


def refusals(owner) -> int:
    return AuditEvent.objects.filter(action="key.refused", object_id=str(owner)).count()


def opened_by_attacker(rows) -> bool:
    for grant in rows:
        try:
            crypto.open_sealed(ATTACKER_SECRET, bytes(grant.sealed_key))
            return True
        except crypto.Tampered:
            continue
    return False


def test_adding_a_member_whose_key_was_swapped_is_refused_audited_and_seals_nothing(team):
    coordinator, worker = team["coordinator"], team["caseworker"]
    case = case_actions.create_case(coordinator.user, "Swap Target", "", 1)
    swap(worker)
    client = sign_in(coordinator)
    response = client.post(f"/staff/cases/{case.pk}/members/", {"member": worker.user.uuid})
    assert response.status_code == 409
    assert "could not be trusted" in response.content.decode()
    assert not Grant.objects.filter(data_key=case.data_key, user=worker.user).exists()
    assert refusals(worker.user.uuid) == 1


def test_a_request_is_not_sealed_to_a_hotline_operator_whose_key_was_swapped(org):
    hotline = org.add("hotline", roles.HOTLINE)
    swap(hotline)
    thread, _phrase = threads.submit(org.org, threads.Request(story="help", urgency=1, region="", contact="",
                                                              referrer="", language="en"))
    holders = set(Grant.objects.filter(data_key=thread.data_key).values_list("user_id", flat=True))
    assert hotline.user.pk not in holders and org.coordinator.user.pk in holders  # the request still arrives
    assert refusals(hotline.user.uuid) == 1


def test_a_swapped_recovery_key_stops_new_keys_being_made(org):
    type(org.org).objects.filter(pk=org.org.pk).update(recovery_public_key=ATTACKER_PUBLIC)
    org.org.refresh_from_db()
    coordinator = org.coordinator
    coordinator.user.organisation.refresh_from_db()
    with pytest.raises(certify.UncertifiedKey):
        case_actions.create_case(coordinator.user, "Nope", "", 1)


def test_another_members_key_and_certificate_copied_over_do_not_verify(team):
    coordinator, worker = team["coordinator"], team["caseworker"]
    theirs = Keyring.objects.get(user=coordinator.user)
    Keyring.objects.filter(user=worker.user).update(public_key=theirs.public_key, certificate=theirs.certificate)
    worker.user.refresh_from_db()
    with pytest.raises(certify.UncertifiedKey):
        certify.staff_key(worker.user)


def test_rotating_a_case_key_leaves_out_a_holder_whose_key_was_swapped(team):
    coordinator, second, worker = team["coordinator"], team["coordinator2"], team["caseworker"]
    case = case_actions.create_case(coordinator.user, "Rotation", "", 1)
    for member in (second, worker):
        case_actions.add_member(coordinator.user, coordinator.secret, case, member.user)
    swap(second)
    case_actions.remove_member(coordinator.user, coordinator.secret, case, worker.user)
    rows = Grant.objects.filter(data_key=case.data_key)
    assert not rows.filter(user=second.user).exists() and not opened_by_attacker(rows)
    assert datakeys.open_for(case.data_key, coordinator.user, coordinator.secret)


def test_admins_see_a_swapped_key_and_everyone_can_read_their_fingerprint(team):
    admin, worker = team["admin"], team["caseworker"]
    own = sign_in(worker).get("/staff/key/").content.decode()
    fingerprint = certify.fingerprint(bytes(worker.user.keyring.public_key))
    assert fingerprint in own and "It is certified" in own
    page = sign_in(admin).get("/staff/staff/").content.decode()
    assert fingerprint in page and "NOT CERTIFIED" not in page
    swap(worker)
    page = sign_in(admin).get("/staff/staff/").content.decode()
    assert "NOT CERTIFIED" in page and certify.fingerprint(ATTACKER_PUBLIC) in page
    assert "NOT certified" in sign_in(worker).get("/staff/key/").content.decode()
