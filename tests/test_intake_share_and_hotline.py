"""Intake team members who join later can be given the waiting requests; the hotline number shows
on the public site when the organisation sets one."""

import pytest
from django.test import Client, override_settings

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.intake import threads
from safepassage.intake.models import Thread

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def submit(org):
    return threads.submit(org.org, threads.Request(story="waiting story", urgency=1, region="", contact="",
                                                   referrer="", language="en"))[0]


def test_a_hotline_operator_who_joined_later_gets_the_waiting_requests_from_a_coordinator(org):
    thread = submit(org)
    newcomer = org.add("newhotline", roles.HOTLINE)
    late = sign_in(newcomer)
    assert late.get(f"/staff/intake/{thread.pk}/").status_code == 404
    coord = sign_in(org.coordinator)
    assert str(newcomer.user) in coord.get("/staff/intake/").content.decode()
    assert coord.post("/staff/intake/share/").status_code == 302
    assert "waiting story" in late.get(f"/staff/intake/{thread.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="intake.shared", details__grants=1).exists()
    assert str(newcomer.user) not in coord.get("/staff/intake/").content.decode()


def test_sharing_never_reaches_requests_already_accepted_or_people_outside_the_team(org, team):
    thread = submit(org)
    coord = sign_in(org.coordinator)
    coord.post(f"/staff/intake/{thread.pk}/convert/", {"pseudonym": "Accepted One"})
    newcomer = org.add("laterhotline", roles.HOTLINE)
    coord.post("/staff/intake/share/")
    assert sign_in(newcomer).get(f"/staff/intake/{thread.pk}/").status_code == 404
    assert sign_in(team["caseworker"]).get(f"/staff/intake/{Thread.objects.get().pk}/").status_code == 404


def test_only_coordinators_share(org):
    hotline = org.add("hot1", roles.HOTLINE)
    assert sign_in(hotline).post("/staff/intake/share/").status_code == 403


@override_settings(HOTLINE="+33 1 23 45 67 89")
def test_the_hotline_shows_on_the_request_page_when_set():
    from .conftest import make_org

    make_org()
    page = Client().get("/en/request/").content.decode()
    assert "+33 1 23 45 67 89" in page


def test_no_hotline_line_when_none_is_set(org):
    assert "hotline" not in Client().get("/en/request/").content.decode().lower()
