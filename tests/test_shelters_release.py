"""Releasing a shelter's address to a case's members: two different coordinators who are members
decide, only holders of the shelter's key copy it, a frozen case releases nothing, and a released
address survives key rotation but not erasure."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.cases import actions
from safepassage.cases.actions import documents, shelters
from safepassage.cases.models import Approval, Case, Stay

from .conftest import erase_with_two_coordinators, sign_in
from .test_shelters_support import ADDRESS, make_case, make_shelter, shelter_team, tables_containing

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org):
    """A case with a stay; members: coordinator (owner), coordinator2, lead (coordinator and
    shelter coordinator), shelter (shelter coordinator) and caseworker."""
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    case = make_case(team["coordinator"], team["coordinator2"], team["lead"], team["shelter"], team["caseworker"])
    stay = Stay.objects.create(case=case, shelter=shelter, starts_on=timezone.localdate(), people=1)
    return team, case, stay


def ask(client, case, stay):
    return client.post(f"/staff/cases/{case.pk}/stays/{stay.pk}/release/")


def decide(client, case, approval, decision="approve"):
    return client.post(f"/staff/cases/{case.pk}/approvals/{approval.pk}/decide/", {"decision": decision})


def pending(case) -> Approval:
    return Approval.objects.get(case=case, kind="release_address", status="pending")


def page(staff, case) -> str:
    return sign_in(staff).get(f"/staff/cases/{case.pk}/").content.decode()


def test_before_release_only_shelter_coordinators_can_read_the_address(setup):
    team, case, stay = setup
    for who in ("coordinator", "coordinator2", "caseworker", "shelter", "lead"):
        assert ADDRESS not in page(team[who], case), who
    assert ADDRESS in sign_in(team["shelter"]).get(f"/staff/shelters/{stay.shelter_id}/").content.decode()
    assert sign_in(team["coordinator"]).get(f"/staff/shelters/{stay.shelter_id}/").status_code == 403
    assert not AuditEvent.objects.filter(action="stay.address_read").exists()


def test_release_takes_two_coordinators_then_a_key_holder_hands_it_over(setup):
    team, case, stay = setup
    asker = sign_in(team["coordinator"])
    confirm = asker.get(f"/staff/cases/{case.pk}/stays/{stay.pk}/release/").content.decode()
    assert "all 5 members can read it" in confirm
    assert ask(asker, case, stay).status_code == 302
    approval = pending(case)
    assert approval.target == str(stay.pk)

    # The asker cannot approve their own request.
    assert decide(asker, case, approval).status_code == 403
    # A coordinator who is not a member of the case does not even see it.
    assert decide(sign_in(team["outsider"]), case, approval).status_code == 404
    assert pending(case) == approval

    # A second coordinator approves; they hold no shelter key, so the address waits for hand-over.
    assert decide(sign_in(team["coordinator2"]), case, approval).status_code == 302
    stay.refresh_from_db()
    assert stay.address_sealed == b"" and shelters.release_status(stay) == shelters.APPROVED
    assert ADDRESS not in page(team["caseworker"], case)

    # A member without the shelter role cannot hand it over; a shelter coordinator member can.
    assert sign_in(team["caseworker"]).post(f"/staff/cases/{case.pk}/stays/{stay.pk}/hand-over/").status_code == 403
    shelter_page = page(team["shelter"], case)
    assert "Hand over the address" in shelter_page
    assert sign_in(team["shelter"]).post(f"/staff/cases/{case.pk}/stays/{stay.pk}/hand-over/").status_code == 302
    stay.refresh_from_db()
    assert stay.released_at is not None and shelters.release_status(stay) == shelters.RELEASED

    for who in ("caseworker", "coordinator", "coordinator2"):
        assert ADDRESS in page(team[who], case), who
    released = AuditEvent.objects.get(action="stay.address_released")
    assert released.details["approved_by"] == str(team["coordinator2"].user.uuid)
    assert released.details["requested_by"] == str(team["coordinator"].user.uuid)
    assert AuditEvent.objects.filter(action="stay.address_read", object_id=str(case.pk)).count() == 3


def test_an_approver_who_holds_the_shelter_key_releases_at_once(setup):
    team, case, stay = setup
    ask(sign_in(team["coordinator"]), case, stay)
    assert decide(sign_in(team["lead"]), case, pending(case)).status_code == 302
    stay.refresh_from_db()
    assert stay.released_at is not None
    assert ADDRESS in page(team["caseworker"], case)


def test_a_requester_who_is_also_a_shelter_coordinator_still_needs_a_second_coordinator(setup):
    team, case, stay = setup
    lead = sign_in(team["lead"])
    ask(lead, case, stay)
    assert decide(lead, case, pending(case)).status_code == 403
    with pytest.raises(Exception, match="Two coordinators must approve"):
        shelters.hand_over(team["lead"].user, team["lead"].secret, case, stay)
    assert lead.post(f"/staff/cases/{case.pk}/stays/{stay.pk}/hand-over/").status_code == 302
    stay.refresh_from_db()
    assert stay.address_sealed == b"" and ADDRESS not in page(team["caseworker"], case)


def test_a_refused_release_reveals_nothing(setup):
    team, case, stay = setup
    ask(sign_in(team["coordinator"]), case, stay)
    decide(sign_in(team["lead"]), case, pending(case), "refuse")
    stay.refresh_from_db()
    assert stay.address_sealed == b"" and shelters.release_status(stay) == shelters.NONE
    assert sign_in(team["shelter"]).post(f"/staff/cases/{case.pk}/stays/{stay.pk}/hand-over/").status_code == 302
    stay.refresh_from_db()
    assert stay.address_sealed == b""


@pytest.mark.parametrize("who", ["caseworker", "shelter"])
def test_only_coordinators_may_ask_for_a_release(setup, who):
    team, case, stay = setup
    client = sign_in(team[who])
    assert client.get(f"/staff/cases/{case.pk}/stays/{stay.pk}/release/").status_code == 403
    assert ask(client, case, stay).status_code == 403
    assert not Approval.objects.exists()


def test_a_case_suspected_of_infiltration_releases_nothing(setup):
    team, case, stay = setup
    coordinator, second = sign_in(team["coordinator"]), sign_in(team["coordinator2"])
    ask(coordinator, case, stay)
    approval = pending(case)
    Case.objects.filter(pk=case.pk).update(state="suspected_infiltration", previous_state="accepted")

    # The approval asked before the freeze cannot go through now.
    response = decide(second, case, approval)
    assert response.status_code == 302
    messages = second.get(response["Location"]).content.decode()
    assert "Infiltration is suspected: no address can be released until two coordinators clear the case." in messages
    assert Approval.objects.get(pk=approval.pk).status == "pending"
    stay.refresh_from_db()
    assert stay.address_sealed == b""

    # Nor can a new request.
    coordinator.post(f"/staff/cases/{case.pk}/approvals/{approval.pk}/withdraw/")
    ask(coordinator, case, stay)
    assert not Approval.objects.filter(status="pending").exists()
    assert "Ask to release the address" not in page(team["coordinator"], case)


def test_a_case_frozen_after_approval_cannot_be_handed_the_address(setup):
    team, case, stay = setup
    ask(sign_in(team["coordinator"]), case, stay)
    decide(sign_in(team["coordinator2"]), case, pending(case))
    Case.objects.filter(pk=case.pk).update(state="suspected_infiltration", previous_state="accepted")
    client = sign_in(team["shelter"])
    response = client.post(f"/staff/cases/{case.pk}/stays/{stay.pk}/hand-over/")
    assert ("Infiltration is suspected: no address can be released until two coordinators clear the case."
            in client.get(response["Location"]).content.decode())
    stay.refresh_from_db()
    assert stay.address_sealed == b""


@pytest.mark.parametrize("state", ["new", "screening", "vetting", "detained", "closed"])
def test_no_release_before_acceptance_or_outside_an_active_case(setup, state):
    team, case, stay = setup
    Case.objects.filter(pk=case.pk).update(state=state)
    client = sign_in(team["coordinator"])
    response = ask(client, case, stay)
    assert "An address is released only for an accepted, active case" in client.get(
        response["Location"]).content.decode()
    assert not Approval.objects.exists()


def test_an_ended_stay_is_not_released(setup):
    team, case, stay = setup
    Stay.objects.filter(pk=stay.pk).update(starts_on=date(2024, 1, 1), ends_on=timezone.localdate())
    ask(sign_in(team["coordinator"]), case, stay)
    assert not Approval.objects.exists()


def test_a_released_address_is_sealed_under_the_case_key(setup):
    team, case, stay = setup
    ask(sign_in(team["coordinator"]), case, stay)
    decide(sign_in(team["lead"]), case, pending(case))
    stay.refresh_from_db()
    assert stay.address_sealed
    assert tables_containing("Hidden Lane") == []
    assert all("Hidden" not in str(e.details) for e in AuditEvent.objects.all())


def test_key_rotation_keeps_released_addresses_and_documents_readable(setup):
    team, case, stay = setup
    owner = team["coordinator"]
    documents.add_document(owner.user, owner.secret, case, kind="international_passport", status="obtained",
                           reference="75 1234567", notes="Original with the lawyer")
    ask(sign_in(owner), case, stay)
    decide(sign_in(team["lead"]), case, pending(case))
    before = bytes(Stay.objects.get(pk=stay.pk).address_sealed)

    actions.remove_member(owner.user, owner.secret, case, team["caseworker"].user)

    assert bytes(Stay.objects.get(pk=stay.pk).address_sealed) != before  # re-encrypted under the new key
    text = page(team["coordinator2"], case)
    assert ADDRESS in text and "75 1234567" in text and "Original with the lawyer" in text
    assert sign_in(team["caseworker"]).get(f"/staff/cases/{case.pk}/").status_code == 404


def test_a_new_shelter_address_withdraws_released_copies_until_a_new_release(setup):
    team, case, stay = setup
    ask(sign_in(team["coordinator"]), case, stay)
    decide(sign_in(team["lead"]), case, pending(case))
    response = sign_in(team["shelter"]).post(f"/staff/shelters/{stay.shelter_id}/edit/", {
        "name": "Linden House Qzx", "address": "3 New Place", "capacity": "4"})
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.address_sealed == b"" and shelters.release_status(stay) == shelters.WITHDRAWN
    text = page(team["caseworker"], case)
    assert ADDRESS not in text and "3 New Place" not in text
    assert "The shelter moved: the old address was withdrawn." in text

    # The old approval is spent: handing over needs a new one.
    with pytest.raises(Exception, match="Two coordinators must approve"):
        shelters.hand_over(team["shelter"].user, team["shelter"].secret, case, stay)
    ask(sign_in(team["coordinator"]), case, stay)
    decide(sign_in(team["lead"]), case, pending(case))
    assert "3 New Place" in page(team["caseworker"], case)


def test_erasing_the_case_blanks_the_released_address(setup):
    team, case, stay = setup
    ask(sign_in(team["coordinator"]), case, stay)
    decide(sign_in(team["lead"]), case, pending(case))
    erase_with_two_coordinators(sign_in(team["coordinator"]), sign_in(team["coordinator2"]), case)
    stay.refresh_from_db()
    assert stay.address_sealed == b""
    assert shelters.occupancy(stay.shelter, timezone.localdate() + timedelta(days=1)) == 0
