"""`safepassage remind` (cron): raises missed check-in alerts and prints them by short case
reference, hours overdue and coordinator usernames, and never anything typed about a person."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from safepassage.accounts import roles
from safepassage.cases import actions
from safepassage.cases.actions import work
from safepassage.cases.models import Alert, Case

pytestmark = pytest.mark.django_db

PSEUDONYM = "Zelimkhan Quokka-Verbena"
SUMMARY = "Hiding above the blue bakery on Lenin street"


def new_case(owner, *members, pseudonym=PSEUDONYM, every=48, age_hours=60):
    case = actions.create_case(owner.user, pseudonym, SUMMARY, 1)
    for m in members:
        actions.add_member(owner.user, owner.secret, case, m.user)
    Case.objects.filter(pk=case.pk).update(checkin_every_hours=every,
                                           created_at=timezone.now() - timedelta(hours=age_hours, minutes=30))
    return Case.objects.get(pk=case.pk)


def remind(*args) -> str:
    out = io.StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def test_remind_names_the_case_by_short_reference_hours_and_coordinators_and_never_by_name(team):
    coordinator = team["coordinator"]
    case = new_case(coordinator, team["coordinator2"], team["caseworker"])
    work.add_note(coordinator.user, coordinator.secret, case, "Note that must not leak")
    out = remind()
    lines = out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("NEW") and case.short_ref in lines[0] and "12 h overdue" in lines[0]
    assert "coord, coord2" in lines[0] and "worker" not in lines[0]
    for secret_text in (PSEUDONYM, "Zelimkhan", "Quokka", SUMMARY, "bakery", "must not leak", str(case.pk)):
        assert secret_text not in out
    assert Alert.objects.filter(case=case, kind="missed_checkin", resolved_at__isnull=True).count() == 1


def test_a_second_run_reports_the_alert_as_still_open_and_raises_no_other(team):
    case = new_case(team["coordinator"])
    remind()
    out = remind()
    assert out.startswith("OPEN") and case.short_ref in out
    assert Alert.objects.filter(case=case).count() == 1


def test_new_alerts_come_first_then_open_ones_most_overdue_first(team):
    coordinator = team["coordinator"]
    old = new_case(coordinator, pseudonym="A", age_hours=60)
    remind()
    older = new_case(coordinator, pseudonym="B", age_hours=90)
    lines = remind().strip().splitlines()
    assert [line.split()[0] for line in lines] == ["NEW", "OPEN"]
    assert older.short_ref in lines[0] and old.short_ref in lines[1]


def test_quiet_prints_nothing_when_nothing_is_new(team):
    new_case(team["coordinator"])
    assert remind("--quiet") != ""
    assert remind("--quiet") == ""
    assert "OPEN" in remind()


def test_quiet_prints_everything_open_when_something_new_was_raised(team):
    first = new_case(team["coordinator"], pseudonym="A")
    remind()
    second = new_case(team["coordinator"], pseudonym="B")
    out = remind("--quiet")
    assert first.short_ref in out and second.short_ref in out


def test_remind_says_so_when_no_checkin_is_missed_and_quiet_says_nothing(team):
    new_case(team["coordinator"], age_hours=1)
    assert remind().strip() == "No missed check-ins."
    assert remind("--quiet") == ""
    assert not Alert.objects.exists()


def test_remind_says_when_no_coordinator_is_on_the_case(org):
    hotline = org.add("hotline1", roles.HOTLINE)
    case = actions.create_case(hotline.user, PSEUDONYM, SUMMARY, 1)
    Case.objects.filter(pk=case.pk).update(checkin_every_hours=1, created_at=timezone.now() - timedelta(hours=5))
    out = remind()
    assert case.short_ref in out and "none: add a coordinator to this case" in out
    assert PSEUDONYM not in out


def test_a_checkin_takes_the_case_off_the_reminder(team):
    coordinator = team["coordinator"]
    case = new_case(coordinator)
    remind()
    work.record_checkin(coordinator.user, coordinator.secret, case, "reached")
    assert remind().strip() == "No missed check-ins."
