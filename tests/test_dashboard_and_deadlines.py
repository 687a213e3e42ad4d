"""The personal dashboard, the triage queue, and deadlines shown from a case's dated events."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safepassage.cases.actions import core as case_actions
from safepassage.cases.models import Alert, Approval, Case, CaseEvent

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def make_case(team, pseudonym, urgency=2, state="new", members=("caseworker",)):
    coord = team["coordinator"]
    case = case_actions.create_case(coord.user, pseudonym, "", urgency)
    for name in members:
        case_actions.add_member(coord.user, coord.secret, case, team[name].user)
    Case.objects.filter(pk=case.pk).update(state=state)
    return Case.objects.get(pk=case.pk)


def test_sign_in_lands_on_the_dashboard(team):
    page = sign_in(team["caseworker"]).get("/staff/").content.decode()
    assert "My work" in page and "No open alerts" in page


def test_triage_lists_only_my_early_cases_most_urgent_first(team):
    make_case(team, "Calm Person", urgency=3)
    make_case(team, "Urgent Person", urgency=1)
    make_case(team, "Accepted Person", urgency=1, state="accepted")
    make_case(team, "Not Mine", urgency=1, members=())
    page = sign_in(team["caseworker"]).get("/staff/cases/triage/").content.decode()
    assert page.index("Urgent Person") < page.index("Calm Person")
    assert "Accepted Person" not in page and "Not Mine" not in page


def test_the_dashboard_shows_alerts_and_approvals_of_my_cases_only(team):
    mine = make_case(team, "Alerted Person", members=("caseworker", "coordinator2"))
    other = make_case(team, "Someone Else", members=())
    Alert.objects.create(case=mine, kind="missed_checkin")
    Alert.objects.create(case=other, kind="exposure")
    Approval.objects.create(case=mine, kind="erase", requested_by=team["coordinator"].user)
    worker = sign_in(team["caseworker"]).get("/staff/").content.decode()
    assert "Alerted Person" in worker and "Someone Else" not in worker
    assert "Missed check-in" in worker and "Linked person exposed" not in worker
    second = sign_in(team["coordinator2"]).get("/staff/").content.decode()
    assert "Erase the case" in second


def test_a_recorded_event_shows_its_deadline_on_the_case_and_the_dashboard(team):
    case = make_case(team, "Arrived Person")
    worker = sign_in(team["caseworker"])
    today = timezone.localdate()
    response = worker.post(f"/staff/cases/{case.pk}/events/", {"code": "guda_registration",
                                                               "happened_on": (today - timedelta(days=12)).isoformat()})
    assert response.status_code == 302
    page = worker.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "OFPRA" in page and "CESEDA" in page  # what falls due, and the rule that says so
    dashboard = worker.get("/staff/").content.decode()
    assert "Arrived Person" in dashboard


def test_an_event_in_the_future_or_unknown_is_refused(team):
    case = make_case(team, "Careful Person")
    worker = sign_in(team["caseworker"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    worker.post(f"/staff/cases/{case.pk}/events/", {"code": "arrival", "happened_on": tomorrow})
    worker.post(f"/staff/cases/{case.pk}/events/", {"code": "made_up", "happened_on": "2024-01-01"})
    assert not CaseEvent.objects.exists()


def test_non_members_cannot_record_events(team):
    case = make_case(team, "Private Person", members=())
    outsider = sign_in(team["outsider"])
    response = outsider.post(f"/staff/cases/{case.pk}/events/", {"code": "arrival", "happened_on": "2024-01-01"})
    assert response.status_code == 404 and not CaseEvent.objects.exists()


def test_a_member_without_a_legal_role_sees_deadlines_but_cannot_record(team, org):
    from safepassage.accounts import roles

    translator = org.add("translator1", roles.TRANSLATOR)
    case = make_case(team, "Translated Person")
    coord = team["coordinator"]
    case_actions.add_member(coord.user, coord.secret, case, translator.user)
    CaseEvent.objects.create(case=case, code="arrival", happened_on=date(2024, 3, 1))
    client = sign_in(translator)
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Deadlines" in page and 'name="happened_on"' not in page
    response = client.post(f"/staff/cases/{case.pk}/events/", {"code": "arrival", "happened_on": "2024-01-01"})
    assert response.status_code == 403


def test_an_event_before_any_rule_set_is_explained_not_a_crash(team):
    case = make_case(team, "Founding Person")
    CaseEvent.objects.create(case=case, code="arrival", happened_on=date(2017, 5, 1))
    CaseEvent.objects.create(case=case, code="guda_registration", happened_on=date(2024, 3, 1))
    response = sign_in(team["caseworker"]).get(f"/staff/cases/{case.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page and "OFPRA" in page  # the 2024 event still gives its deadline
