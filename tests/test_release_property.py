"""Property: whatever anyone tries, in any order, a shelter address reaches a case only after a
second coordinator's approval, and never while infiltration is suspected."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safepassage.accounts import roles
from safepassage.cases.actions import core as case_actions
from safepassage.cases.actions import pipeline as pipeline_actions
from safepassage.cases.actions import shelters
from safepassage.cases.models import Approval, Case, Stay

pytestmark = pytest.mark.django_db

ACTORS = ["coordinator", "coordinator2", "caseworker", "shelter"]
MOVES = st.lists(st.tuples(st.sampled_from(["request", "approve", "refuse", "hand_over", "suspect", "resume"]),
                           st.sampled_from(ACTORS)), max_size=10)


@pytest.fixture
def people(org, team):
    return {**team, "shelter": org.add("shelterc", roles.SHELTER, roles.COORDINATOR)}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
def test_no_sequence_releases_an_address_without_a_second_coordinator(people, moves):
    coord = people["coordinator"]
    case = case_actions.create_case(coord.user, "Release Person", "", 1)
    for name in ("coordinator2", "caseworker", "shelter"):
        case_actions.add_member(coord.user, coord.secret, case, people[name].user)
    Case.objects.filter(pk=case.pk).update(state="accepted")
    shelter = shelters.create_shelter(people["shelter"].user, "House", "9 Secret Road", 5)
    case.refresh_from_db()
    stay = shelters.place(people["shelter"].user, case, shelter, datetime.date(2024, 1, 1), None, 1)
    frozen_release = False
    for move, who in moves:
        staff = people[who]
        case.refresh_from_db()
        stay.refresh_from_db()
        was_released = bool(stay.address_sealed)
        try:
            if move == "request":
                shelters.request_release(staff.user, case, stay)
            elif move == "hand_over":
                shelters.hand_over(staff.user, staff.secret, case, stay)
            elif move == "suspect":
                pipeline_actions.change_state(staff.user, case, "suspected_infiltration")
            elif move == "resume":
                pipeline_actions.change_state(staff.user, case, "resume")
            else:
                for approval in Approval.objects.filter(case=case, status="pending"):
                    pipeline_actions.decide(staff.user, staff.secret, approval, move == "approve")
        except (PermissionDenied, ValidationError):
            pass
        stay.refresh_from_db()
        case.refresh_from_db()
        if stay.address_sealed and not was_released and case.state == "suspected_infiltration":
            frozen_release = True
    stay = Stay.objects.get(pk=stay.pk)
    if stay.address_sealed:
        granted = Approval.objects.filter(case=case, kind="release_address", target=str(stay.pk), status="approved")
        assert granted.exists()
        assert all(a.decided_by_id != a.requested_by_id for a in granted)
        assert all(a.decided_by.has_role(roles.COORDINATOR) for a in granted)
    assert not frozen_release


def test_the_property_can_see_a_release_happen(people):
    """Positive control: the legitimate sequence does release, so the property above is not vacuous."""
    coord = people["coordinator"]
    case = case_actions.create_case(coord.user, "Released Person", "", 1)
    for name in ("coordinator2", "shelter"):
        case_actions.add_member(coord.user, coord.secret, case, people[name].user)
    Case.objects.filter(pk=case.pk).update(state="accepted")
    case.refresh_from_db()
    shelter = shelters.create_shelter(people["shelter"].user, "House", "9 Secret Road", 5)
    stay = shelters.place(people["shelter"].user, case, shelter, datetime.date(2024, 1, 1), None, 1)
    approval = shelters.request_release(coord.user, case, stay)
    pipeline_actions.decide(people["coordinator2"].user, people["coordinator2"].secret, approval, True)
    stay.refresh_from_db()
    if not stay.address_sealed:
        shelters.hand_over(people["shelter"].user, people["shelter"].secret, case, stay)
        stay.refresh_from_db()
    assert stay.address_sealed
