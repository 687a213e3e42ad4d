"""Stays: a shelter coordinator who is a member of a case places it in a shelter, within the
shelter's capacity; other members see the stay but not where it is."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Stay

from .conftest import make_org, sign_in
from .test_shelters_support import ADDRESS, NAME, make_case, make_shelter, shelter_team

pytestmark = pytest.mark.django_db


def place(client, case, shelter, starts_on, ends_on="", people=1):
    return client.post(f"/staff/cases/{case.pk}/stays/new/", {
        "shelter": str(shelter.pk), "starts_on": str(starts_on), "ends_on": str(ends_on), "people": str(people)})


def test_a_shelter_coordinator_on_the_case_places_it_and_other_members_see_no_address(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    case = make_case(team["coordinator"], team["shelter"], team["caseworker"])
    client = sign_in(team["shelter"])
    form = client.get(f"/staff/cases/{case.pk}/stays/new/").content.decode()
    assert f"{NAME} — 4 of 4 free" in form

    response = place(client, case, shelter, date(2024, 3, 1), date(2024, 4, 1), 2)
    assert response.status_code == 302 and response["Location"] == f"/staff/cases/{case.pk}/"
    stay = Stay.objects.get()
    assert (stay.case, stay.shelter, stay.people, stay.address_sealed) == (case, shelter, 2, b"")
    assert AuditEvent.objects.filter(action="stay.created", object_id=str(case.pk)).exists()

    own = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert NAME in own and ADDRESS not in own
    for who in ("caseworker", "coordinator"):
        page = sign_in(team[who]).get(f"/staff/cases/{case.pk}/").content.decode()
        assert f"Shelter {str(shelter.pk)[:8]}" in page and "1 Mar 2024" in page
        assert NAME not in page and ADDRESS not in page
        assert "Hidden from the case's members until two coordinators release it." in page


def test_placing_beyond_capacity_is_refused_with_a_clear_error_and_nothing_saved(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"], capacity=3)
    first = make_case(team["coordinator"], team["shelter"], pseudonym="First")
    second = make_case(team["coordinator"], team["shelter"], pseudonym="Second")
    client = sign_in(team["shelter"])
    assert place(client, first, shelter, date(2024, 1, 1), people=2).status_code == 302
    response = place(client, second, shelter, date(2024, 1, 5), date(2024, 1, 9), people=2)
    assert response.status_code == 200
    assert ("Not enough room: on 5 Jan 2024 this shelter has 1 free places of 3, and 2 were asked for."
            in response.content.decode())
    assert Stay.objects.filter(case=second).count() == 0
    assert place(client, second, shelter, date(2024, 1, 5), date(2024, 1, 9), people=1).status_code == 302


def test_stays_take_room_only_on_the_days_they_overlap(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"], capacity=2)
    case = make_case(team["coordinator"], team["shelter"])
    client = sign_in(team["shelter"])
    assert place(client, case, shelter, date(2024, 1, 1), date(2024, 1, 10), 2).status_code == 302
    # Leaving on the 10th frees the places that day; one more day of overlap does not fit.
    assert place(client, case, shelter, date(2024, 1, 10), date(2024, 1, 20), 2).status_code == 302
    refused = place(client, case, shelter, date(2023, 12, 20), date(2024, 1, 2), 1)
    assert "on 1 Jan 2024 this shelter has 0 free places of 2" in refused.content.decode()
    assert place(client, case, shelter, date(2024, 1, 20), "", 2).status_code == 302
    assert Stay.objects.count() == 3


def test_a_stay_that_ends_before_it_starts_is_refused(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    case = make_case(team["coordinator"], team["shelter"])
    response = place(sign_in(team["shelter"]), case, shelter, date(2024, 5, 10), date(2024, 5, 1))
    assert "The stay must end after the day it starts." in response.content.decode()
    assert Stay.objects.count() == 0


def test_a_malformed_date_gets_a_clear_error(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    case = make_case(team["coordinator"], team["shelter"])
    response = place(sign_in(team["shelter"]), case, shelter, "31/02/2024")
    assert "Enter a date as year-month-day, e.g. 2024-03-31." in response.content.decode()
    assert Stay.objects.count() == 0


@pytest.mark.parametrize("who", ["caseworker", "coordinator2"])
def test_members_without_the_shelter_role_cannot_place(org, who):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    case = make_case(team["coordinator"], team[who])
    client = sign_in(team[who])
    assert client.get(f"/staff/cases/{case.pk}/stays/new/").status_code == 403
    assert place(client, case, shelter, date(2024, 1, 1)).status_code == 403
    assert "Place in a shelter" not in client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert Stay.objects.count() == 0


def test_non_members_get_404_for_every_stay_page(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    case = make_case(team["coordinator"], team["shelter"])
    stay = Stay.objects.create(case=case, shelter=shelter, starts_on=date(2024, 1, 1))
    client = sign_in(team["outsider"])  # a coordinator and shelter coordinator, but not on this case
    for url in (f"/staff/cases/{case.pk}/stays/new/", f"/staff/cases/{case.pk}/stays/{stay.pk}/edit/",
                f"/staff/cases/{case.pk}/stays/{stay.pk}/delete/", f"/staff/cases/{case.pk}/stays/{stay.pk}/release/"):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert client.post(f"/staff/cases/{case.pk}/stays/{stay.pk}/hand-over/").status_code == 404
    assert Stay.objects.filter(pk=stay.pk).exists()


def test_a_stay_of_another_case_gets_404(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    mine = make_case(team["coordinator"], team["shelter"], pseudonym="Mine")
    other = make_case(team["coordinator"], team["shelter"], pseudonym="Other")
    stay = Stay.objects.create(case=other, shelter=shelter, starts_on=date(2024, 1, 1))
    client = sign_in(team["shelter"])
    assert client.get(f"/staff/cases/{mine.pk}/stays/{stay.pk}/edit/").status_code == 404
    assert client.post(f"/staff/cases/{mine.pk}/stays/{stay.pk}/delete/").status_code == 404
    assert client.get(f"/staff/cases/{mine.pk}/stays/00000000-0000-0000-0000-000000000000/edit/").status_code == 404


def test_a_foreign_or_inactive_shelter_cannot_be_chosen(org):
    team = shelter_team(org)
    inactive = make_shelter(team["shelter"], name="Closed Flat")
    inactive.active = False
    inactive.save()
    other = make_org("Other Org", "othercoord")
    foreign = make_shelter(other.add("foreignshelter", "shelter"))
    make_shelter(team["shelter"], name="Open Flat")
    case = make_case(team["coordinator"], team["shelter"])
    client = sign_in(team["shelter"])
    assert "Closed Flat" not in client.get(f"/staff/cases/{case.pk}/stays/new/").content.decode()
    for shelter in (inactive, foreign):
        response = place(client, case, shelter, date(2024, 1, 1))
        assert response.status_code == 200
        assert "Select a valid choice." in response.content.decode()
    assert Stay.objects.count() == 0


def test_changing_a_stay_checks_capacity_again(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"], capacity=3)
    case = make_case(team["coordinator"], team["shelter"])
    client = sign_in(team["shelter"])
    place(client, case, shelter, date(2024, 1, 1), "", 1)
    place(client, case, shelter, date(2024, 1, 1), "", 1)
    stay = Stay.objects.first()
    url = f"/staff/cases/{case.pk}/stays/{stay.pk}/edit/"
    response = client.post(url, {"starts_on": "2024-01-01", "ends_on": "", "people": "3"})
    assert "2 free places of 3, and 3 were asked for" in response.content.decode()
    assert client.post(url, {"starts_on": "2024-01-01", "ends_on": "2024-02-01", "people": "2"}).status_code == 302
    stay.refresh_from_db()
    assert (stay.people, stay.ends_on) == (2, date(2024, 2, 1))


def test_a_stay_entered_by_mistake_is_removed_after_confirmation(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    case = make_case(team["coordinator"], team["shelter"])
    stay = Stay.objects.create(case=case, shelter=shelter, starts_on=timezone.localdate(), people=2)
    client = sign_in(team["shelter"])
    confirm = client.get(f"/staff/cases/{case.pk}/stays/{stay.pk}/delete/")
    assert "Remove this stay?" in confirm.content.decode() and Stay.objects.exists()
    assert client.post(f"/staff/cases/{case.pk}/stays/{stay.pk}/delete/").status_code == 302
    assert not Stay.objects.exists()
    assert AuditEvent.objects.filter(action="stay.deleted", details__stay=str(stay.pk)).exists()


def test_an_ended_stay_frees_its_places_from_the_day_people_leave(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"], capacity=1)
    case = make_case(team["coordinator"], team["shelter"])
    today = timezone.localdate()
    client = sign_in(team["shelter"])
    place(client, case, shelter, today - timedelta(days=3), "", 1)
    assert place(client, case, shelter, today, "", 1).status_code == 200  # full
    stay = Stay.objects.get()
    client.post(f"/staff/cases/{case.pk}/stays/{stay.pk}/edit/",
                {"starts_on": str(stay.starts_on), "ends_on": str(today), "people": "1"})
    assert place(client, case, shelter, today, "", 1).status_code == 302
