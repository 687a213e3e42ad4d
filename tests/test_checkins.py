"""Check-ins: members record them, coordinators set how often they are expected, a missed one
shows on the case page and escalates to an alert exactly once; a check-in clears it."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.cases import actions
from safepassage.cases.actions import work
from safepassage.cases.models import Alert, Case, CheckIn

from .conftest import make_org, sign_in

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def new_case(owner, *members, pseudonym="Adam V.", every=None, age_hours=0):
    case = actions.create_case(owner.user, pseudonym, "Summary", 1)
    for m in members:
        actions.add_member(owner.user, owner.secret, case, m.user)
    Case.objects.filter(pk=case.pk).update(checkin_every_hours=every, created_at=NOW - timedelta(hours=age_hours))
    return Case.objects.get(pk=case.pk)


def test_a_checkin_is_missed_only_with_a_cadence_and_once_its_time_has_passed(team):
    case = new_case(team["coordinator"], age_hours=100)
    assert not work.checkin_status(case, NOW).missed
    case.checkin_every_hours = 48
    case.created_at = NOW - timedelta(hours=47)
    status = work.checkin_status(case, NOW)
    assert not status.missed and status.next_due == NOW + timedelta(hours=1)
    case.created_at = NOW - timedelta(hours=50, minutes=30)
    status = work.checkin_status(case, NOW)
    assert status.missed and status.hours_overdue == 2
    case.last_checkin_at = NOW - timedelta(hours=10)
    status = work.checkin_status(case, NOW)
    assert not status.missed and status.next_due == NOW + timedelta(hours=38)
    case.state = "closed"
    case.last_checkin_at = NOW - timedelta(hours=100)
    assert not work.checkin_status(case, NOW).missed


def test_a_member_records_a_checkin_that_defaults_to_now_and_is_sealed(team):
    case = new_case(team["coordinator"], team["caseworker"], every=48)
    client = sign_in(team["caseworker"])
    before = timezone.now()
    response = client.post(f"/staff/cases/{case.pk}/checkins/", {"checkin-note": "Safe, eating well"})
    assert response.status_code == 302
    checkin = CheckIn.objects.get(case=case)
    assert before <= checkin.at <= timezone.now() and checkin.by == team["caseworker"].user
    assert b"eating" not in bytes(checkin.note_sealed)
    assert Case.objects.get(pk=case.pk).last_checkin_at == checkin.at
    history = client.get(f"/staff/cases/{case.pk}/checkins/").content.decode()
    assert "Safe, eating well" in history
    assert AuditEvent.objects.filter(action="checkins.read", object_id=str(case.pk)).exists()
    assert "eating" not in json.dumps(list(AuditEvent.objects.values("details")))


def test_a_checkin_in_the_future_or_with_a_bad_time_is_refused_and_nothing_is_saved(team):
    case = new_case(team["coordinator"], every=48)
    client = sign_in(team["coordinator"])
    tomorrow = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/staff/cases/{case.pk}/checkins/", {"checkin-at": tomorrow})
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    response = client.post(f"/staff/cases/{case.pk}/checkins/", {"checkin-at": "yesterday-ish"})
    assert response.status_code == 200 and "Enter a valid date/time." in response.content.decode()
    assert not CheckIn.objects.exists()
    assert Case.objects.get(pk=case.pk).last_checkin_at is None


def test_a_checkin_recorded_late_for_an_earlier_moment_never_moves_the_last_one_back(team):
    coordinator = team["coordinator"]
    case = new_case(coordinator, every=48)
    work.record_checkin(coordinator.user, coordinator.secret, case, "now", NOW, now=NOW)
    work.record_checkin(coordinator.user, coordinator.secret, case, "earlier", NOW - timedelta(hours=5), now=NOW)
    assert Case.objects.get(pk=case.pk).last_checkin_at == NOW
    assert CheckIn.objects.filter(case=case).count() == 2


def test_only_coordinators_set_the_cadence_and_bad_values_change_nothing(team):
    case = new_case(team["coordinator"], team["caseworker"])
    worker = sign_in(team["caseworker"])
    assert worker.post(f"/staff/cases/{case.pk}/checkins/cadence/", {"cadence-hours": "48"}).status_code == 403
    assert Case.objects.get(pk=case.pk).checkin_every_hours is None
    client = sign_in(team["coordinator"])
    assert client.post(f"/staff/cases/{case.pk}/checkins/cadence/", {"cadence-hours": "48"}).status_code == 302
    assert Case.objects.get(pk=case.pk).checkin_every_hours == 48
    for bad in ("0", "abc", "100000"):
        response = client.post(f"/staff/cases/{case.pk}/checkins/cadence/", {"cadence-hours": bad})
        assert response.status_code == 200, bad
        assert Case.objects.get(pk=case.pk).checkin_every_hours == 48
    assert client.post(f"/staff/cases/{case.pk}/checkins/cadence/", {"cadence-hours": ""}).status_code == 302
    assert Case.objects.get(pk=case.pk).checkin_every_hours is None
    hours = list(AuditEvent.objects.filter(action="checkin.cadence_set").order_by("seq")
                 .values_list("details__hours", flat=True))
    assert hours == [48, None]


def test_the_case_page_shows_the_last_checkin_the_next_due_time_and_a_missed_banner(team):
    coordinator = team["coordinator"]
    on_time = new_case(coordinator, every=48, age_hours=1)
    client = sign_in(coordinator)
    page = client.get(f"/staff/cases/{on_time.pk}/").content.decode()
    assert "Next due:" in page and "Check-in missed." not in page and "No check-in recorded yet." in page
    late = new_case(coordinator, every=48, age_hours=53)
    page = client.get(f"/staff/cases/{late.pk}/").content.decode()
    assert "Check-in missed." in page and "5 hours overdue" in page
    work.record_checkin(coordinator.user, coordinator.secret, late, "reached him")
    page = client.get(f"/staff/cases/{late.pk}/").content.decode()
    assert "Check-in missed." not in page and "Last check-in:" in page


def test_opening_a_case_with_a_missed_checkin_raises_its_alert_in_the_app(team):
    case = new_case(team["coordinator"], every=24, age_hours=30)
    page = sign_in(team["coordinator"]).get(f"/staff/cases/{case.pk}/").content.decode()
    assert Alert.objects.filter(case=case, kind="missed_checkin", resolved_at__isnull=True).count() == 1
    assert "Open alerts" in page and "Missed check-in" in page and "hours overdue: 6" in page


def test_escalation_raises_one_alert_per_missed_case_and_running_it_again_raises_none(team):
    coordinator = team["coordinator"]
    missed = new_case(coordinator, every=48, age_hours=60)
    on_time = new_case(coordinator, pseudonym="B", every=48, age_hours=10)
    no_cadence = new_case(coordinator, pseudonym="C", age_hours=1000)
    raised = work.escalate_missed_checkins(NOW)
    assert [a.case_id for a in raised] == [missed.pk]
    assert raised[0].kind == "missed_checkin" and raised[0].details == {"hours_overdue": 12}
    assert work.escalate_missed_checkins(NOW + timedelta(hours=3)) == []
    assert Alert.objects.filter(case=missed).count() == 1
    assert not Alert.objects.filter(case__in=[on_time, no_cadence]).exists()
    event = AuditEvent.objects.get(action="checkin.missed")
    assert event.actor == "" and event.object_id == str(missed.pk) and event.details["hours_overdue"] == 12
    assert event.organisation == str(coordinator.user.organisation.pk)


def test_escalation_leaves_closed_deceased_and_erased_cases_alone(team):
    coordinator = team["coordinator"]
    closed = new_case(coordinator, every=1, age_hours=100)
    deceased = new_case(coordinator, every=1, age_hours=100)
    erased = new_case(coordinator, every=1, age_hours=100)
    Case.objects.filter(pk=closed.pk).update(state="closed")
    Case.objects.filter(pk=deceased.pk).update(state="deceased")
    Case.objects.filter(pk=erased.pk).update(erased_at=NOW)
    assert work.escalate_missed_checkins(NOW) == []
    assert not Alert.objects.exists()


def test_recording_a_checkin_resolves_the_missed_alert_and_audits_it(team):
    coordinator, worker = team["coordinator"], team["caseworker"]
    case = new_case(coordinator, worker, every=48, age_hours=60)
    alert = work.escalate_missed_checkins()[0]
    response = sign_in(worker).post(f"/staff/cases/{case.pk}/checkins/", {"checkin-note": "", "back": "case"})
    assert response["Location"] == f"/staff/cases/{case.pk}/#checkins"
    alert.refresh_from_db()
    assert alert.resolved_at is not None and alert.resolved_by == worker.user
    assert AuditEvent.objects.filter(action="alert.resolved", details__alert=str(alert.pk),
                                     details__by="checkin").exists()
    assert work.escalate_missed_checkins() == []


def test_a_missed_checkin_alert_clears_only_by_a_checkin_but_other_alerts_resolve_by_hand(team):
    coordinator, worker = team["coordinator"], team["caseworker"]
    case = new_case(coordinator, worker, every=48, age_hours=60)
    missed = work.escalate_missed_checkins()[0]
    exposure = Alert.objects.create(case=case, kind="exposure", details={"person": "p-1", "kind": "detained"})
    client = sign_in(worker)
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Linked person exposed" in page and "kind: detained" in page
    response = client.post(f"/staff/cases/{case.pk}/alerts/{missed.pk}/resolve/", follow=True)
    assert "clears when a check-in is recorded" in response.content.decode()
    missed.refresh_from_db()
    assert missed.resolved_at is None
    assert client.post(f"/staff/cases/{case.pk}/alerts/{exposure.pk}/resolve/").status_code == 302
    exposure.refresh_from_db()
    assert exposure.resolved_by == worker.user
    assert AuditEvent.objects.filter(action="alert.resolved", details__kind="exposure").exists()


def test_clearing_the_cadence_resolves_the_missed_alert(team):
    coordinator = team["coordinator"]
    case = new_case(coordinator, every=48, age_hours=60)
    alert = work.escalate_missed_checkins()[0]
    sign_in(coordinator).post(f"/staff/cases/{case.pk}/checkins/cadence/", {"cadence-hours": ""})
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_alerts_and_checkins_of_other_cases_or_organisations_get_404(team):
    coordinator = team["coordinator"]
    case, other = new_case(coordinator), new_case(coordinator, pseudonym="Other")
    alert = Alert.objects.create(case=other, kind="exposure", details={})
    client = sign_in(coordinator)
    assert client.post(f"/staff/cases/{case.pk}/alerts/{alert.pk}/resolve/").status_code == 404
    assert client.post(f"/staff/cases/{case.pk}/alerts/00000000-0000-0000-0000-000000000000/resolve/"
                       ).status_code == 404
    alert.refresh_from_db()
    assert alert.resolved_at is None
    outsider = sign_in(team["outsider"])
    assert outsider.get(f"/staff/cases/{case.pk}/checkins/").status_code == 404
    assert outsider.post(f"/staff/cases/{case.pk}/checkins/", {"checkin-note": "x"}).status_code == 404
    assert outsider.post(f"/staff/cases/{case.pk}/checkins/cadence/", {"cadence-hours": "1"}).status_code == 404
    stranger = sign_in(make_org("Other Org", "othercoord").coordinator)
    assert stranger.post(f"/staff/cases/{other.pk}/alerts/{alert.pk}/resolve/").status_code == 404
    assert not CheckIn.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_escalation_running_twice_at_the_same_moment_raises_one_alert(team):
    """Cron and a case page view may escalate the same case at once: the case row lock makes
    the second wait and then find the first one's alert."""
    import threading

    from django.db import connection

    case = new_case(team["coordinator"], every=48, age_hours=60)
    start, results = threading.Barrier(4), []

    def run():
        try:
            start.wait()
            results.append(len(work.escalate_missed_checkins()))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 0, 0, 1]
    assert Alert.objects.filter(case=case, kind="missed_checkin").count() == 1
    assert AuditEvent.objects.filter(action="checkin.missed").count() == 1
