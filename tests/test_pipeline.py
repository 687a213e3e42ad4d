"""The pipeline: who may move a case, what must be true first, and the two-person rule."""


import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.cases import pipeline
from safepassage.cases.actions import core as case_actions
from safepassage.cases.actions import pipeline as actions
from safepassage.cases.models import Approval, Case, Vetting

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def make_case(team, state="new", members=("coordinator2", "caseworker")):
    coord = team["coordinator"]
    case = case_actions.create_case(coord.user, "Pipeline Person", "", 2)
    for name in members:
        case_actions.add_member(coord.user, coord.secret, case, team[name].user)
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


def complete_vetting(case):
    Vetting.objects.update_or_create(case=case, defaults={name: True for name in Vetting.CHECKLIST})


def test_every_transition_names_real_states_and_roles():
    states = {code for code, _label in pipeline.STATE_CHOICES}
    for t in pipeline.TRANSITIONS:
        assert t.target in states and set(t.sources) <= states
        assert t.roles and set(t.roles) <= set(roles.CODES)
        assert all(code in pipeline.PRECONDITIONS for code in t.needs)


def test_the_most_dangerous_transitions_need_two_people():
    assert pipeline.find("vetting", "accepted").two_person
    assert pipeline.RESUME_RULES["suspected_infiltration"].two_person


def test_a_caseworker_moves_a_new_case_to_screening(team):
    case = make_case(team)
    actions.change_state(team["caseworker"].user, case, "screening")
    case.refresh_from_db()
    assert case.state == "screening"
    assert AuditEvent.objects.filter(action="case.state_changed", object_id=str(case.pk),
                                     details={"from": "new", "to": "screening"}).exists()


def test_a_role_not_in_the_table_is_refused(team):
    case = make_case(team, "screening")
    with pytest.raises(PermissionDenied):
        actions.change_state(team["caseworker"].user, case, "vetting")


def test_an_impossible_step_is_refused_with_a_clear_error(team):
    case = make_case(team, "new")
    with pytest.raises(ValidationError, match="not possible"):
        actions.change_state(team["coordinator"].user, case, "visa_granted")


def test_acceptance_waits_for_the_vetting_checklist(team):
    case = make_case(team, "vetting")
    with pytest.raises(ValidationError, match="vetting checklist"):
        actions.change_state(team["coordinator"].user, case, "accepted")
    step = next(s for s in actions.next_steps(team["coordinator"].user, case) if s.transition.target == "accepted")
    assert step.unmet


def test_acceptance_needs_a_second_coordinator(team):
    case = make_case(team, "vetting")
    complete_vetting(case)
    approval = actions.change_state(team["coordinator"].user, case, "accepted")
    case.refresh_from_db()
    assert approval is not None and case.state == "vetting"
    with pytest.raises(PermissionDenied):  # the one who asked cannot approve
        actions.decide(team["coordinator"].user, team["coordinator"].secret, approval, True)
    actions.decide(team["coordinator2"].user, team["coordinator2"].secret, approval, True)
    case.refresh_from_db()
    assert case.state == "accepted"
    approval.refresh_from_db()
    assert approval.status == "approved" and approval.decided_by == team["coordinator2"].user


def test_a_coordinator_outside_the_case_cannot_approve(team, org):
    case = make_case(team, "vetting", members=("caseworker",))
    complete_vetting(case)
    outsider_coord = org.add("coord3", roles.COORDINATOR)
    approval = actions.change_state(team["coordinator"].user, case, "accepted")
    with pytest.raises(PermissionDenied):
        actions.decide(outsider_coord.user, outsider_coord.secret, approval, True)


def test_a_refused_approval_changes_nothing(team):
    case = make_case(team, "vetting")
    complete_vetting(case)
    approval = actions.change_state(team["coordinator"].user, case, "accepted")
    actions.decide(team["coordinator2"].user, team["coordinator2"].secret, approval, False)
    case.refresh_from_db()
    assert case.state == "vetting"
    assert Approval.objects.get(pk=approval.pk).status == "refused"


def test_side_states_return_to_where_the_case_was(team):
    case = make_case(team, "documents")
    actions.change_state(team["caseworker"].user, case, "lost_contact")
    case.refresh_from_db()
    assert (case.state, case.previous_state) == ("lost_contact", "documents")
    actions.change_state(team["caseworker"].user, case, pipeline.RESUME)
    case.refresh_from_db()
    assert (case.state, case.previous_state) == ("documents", "")


def test_suspected_infiltration_freezes_until_two_coordinators_clear_it(team):
    case = make_case(team, "screening")
    actions.change_state(team["coordinator"].user, case, "suspected_infiltration")
    case.refresh_from_db()
    assert pipeline.disclosure_frozen(case)
    assert case.alerts.filter(kind="infiltration").exists()
    approval = actions.change_state(team["coordinator"].user, case, pipeline.RESUME)
    case.refresh_from_db()
    assert approval is not None and pipeline.disclosure_frozen(case)
    actions.decide(team["coordinator2"].user, team["coordinator2"].secret, approval, True)
    case.refresh_from_db()
    assert case.state == "screening" and not pipeline.disclosure_frozen(case)


def test_closing_needs_a_reason(team):
    case = make_case(team, "withdrawn")
    with pytest.raises(ValidationError):
        actions.change_state(team["coordinator"].user, case, "closed")
    actions.change_state(team["coordinator"].user, case, "closed", "withdrew")
    case.refresh_from_db()
    assert (case.state, case.closing_reason) == ("closed", "withdrew")


def test_erasure_runs_only_after_a_second_coordinator_approves(team):
    case = make_case(team)
    with pytest.raises(PermissionDenied):
        case_actions.erase_case(team["coordinator"].user, case, approved=False)
    approval = actions.request_approval(team["coordinator"].user, case, "erase")
    assert Case.objects.get(pk=case.pk).erased_at is None
    actions.decide(team["coordinator2"].user, team["coordinator2"].secret, approval, True)
    assert Case.objects.get(pk=case.pk).erased_at is not None


def test_the_case_page_shows_next_steps_and_approvals(team):
    case = make_case(team, "vetting")
    complete_vetting(case)
    coord = sign_in(team["coordinator"])
    page = coord.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Next steps" in page and "Accepted" in page and "needs a second coordinator" in page
    coord.post(f"/staff/cases/{case.pk}/state/", {"target": "accepted"})
    second = sign_in(team["coordinator2"])
    page = second.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Waiting for a second coordinator" in page and 'value="approve"' in page
    approval = Approval.objects.get(case=case)
    second.post(f"/staff/cases/{case.pk}/approvals/{approval.pk}/decide/", {"decision": "approve"})
    assert Case.objects.get(pk=case.pk).state == "accepted"


# Property: whatever anyone tries, in any order, acceptance and erasure only happen with a
# second coordinator's approval.

ACTORS = ["coordinator", "coordinator2", "caseworker"]
MOVES = st.lists(st.tuples(st.sampled_from(["change", "approve", "refuse", "erase"]), st.sampled_from(ACTORS),
                           st.sampled_from([code for code, _l in pipeline.STATE_CHOICES] + [pipeline.RESUME])),
                 max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
def test_no_sequence_accepts_or_erases_without_a_second_coordinator(team, moves):
    case = make_case(team, "vetting")
    complete_vetting(case)
    for move, who, target in moves:
        staff = team[who]
        try:
            if move == "change":
                actions.change_state(staff.user, case, target, "withdrew")
            elif move == "erase":
                actions.request_approval(staff.user, case, "erase")
            else:
                for approval in Approval.objects.filter(case=case, status="pending"):
                    actions.decide(staff.user, staff.secret, approval, move == "approve")
        except (PermissionDenied, ValidationError):
            pass
        case.refresh_from_db()
    accepted = AuditEvent.objects.filter(action="case.state_changed", object_id=str(case.pk),
                                         details__to="accepted").count()
    granted = Approval.objects.filter(case=case, status="approved")
    assert accepted <= granted.filter(kind="transition", target="accepted").count()
    for approval in granted:
        assert approval.decided_by_id != approval.requested_by_id
    if case.erased_at:
        assert granted.filter(kind="erase").exists()
