"""The shelter registry: shelter coordinators only, names and addresses sealed, capacity and
today's occupancy, deactivation after confirmation, and keys shared between shelter coordinators."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.cases.actions import shelters
from safepassage.cases.models import Shelter, Stay
from safepassage.vault.models import Grant

from .conftest import make_org, sign_in
from .test_shelters_support import ADDRESS, NAME, make_case, make_shelter, shelter_team, tables_containing

pytestmark = pytest.mark.django_db


def test_shelter_coordinator_adds_a_shelter_and_reads_it_back(org):
    team = shelter_team(org)
    client = sign_in(team["shelter"])
    response = client.post("/staff/shelters/new/", {"name": NAME, "address": ADDRESS, "capacity": "6"})
    assert response.status_code == 302
    shelter = Shelter.objects.get()
    assert response["Location"] == f"/staff/shelters/{shelter.pk}/"
    page = client.get(f"/staff/shelters/{shelter.pk}/").content.decode()
    assert NAME in page and ADDRESS in page
    assert NAME in client.get("/staff/shelters/").content.decode()
    assert AuditEvent.objects.filter(action="shelter.created", object_id=str(shelter.pk)).exists()
    assert AuditEvent.objects.filter(action="shelter.read", object_id=str(shelter.pk)).exists()


def test_name_and_address_are_never_stored_in_the_clear(org):
    team = shelter_team(org)
    make_shelter(team["shelter"])
    sign_in(team["shelter"]).get("/staff/shelters/")
    assert tables_containing("sheltie") != []  # the search does find what is stored plainly
    assert tables_containing("Linden House") == []
    assert tables_containing("Hidden Lane") == []


def test_the_shelter_key_is_sealed_to_every_shelter_coordinator_and_nobody_else(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    holders = set(Grant.objects.filter(data_key=shelter.data_key, user__isnull=False).values_list(
        "user__username", flat=True))
    assert holders == {"sheltie", "lead", "outsider"}
    assert Grant.objects.filter(data_key=shelter.data_key, user__isnull=True).count() == 1  # recovery


@pytest.mark.parametrize("who", ["coordinator", "coordinator2", "caseworker"])
def test_staff_without_the_shelter_role_get_403_everywhere_in_the_registry(org, who):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    client = sign_in(team[who])
    for url in ("/staff/shelters/", "/staff/shelters/new/", "/staff/shelters/keys/",
                f"/staff/shelters/{shelter.pk}/", f"/staff/shelters/{shelter.pk}/edit/",
                f"/staff/shelters/{shelter.pk}/deactivate/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/staff/shelters/new/", {"name": "X", "address": "Y", "capacity": "2"}).status_code == 403
    assert client.post(f"/staff/shelters/{shelter.pk}/deactivate/").status_code == 403
    assert Shelter.objects.get().active and Shelter.objects.count() == 1
    assert b"/staff/shelters/" not in client.get("/staff/cases/").content


def test_the_menu_shows_shelters_to_shelter_coordinators(org):
    team = shelter_team(org)
    assert b'href="/staff/shelters/"' in sign_in(team["shelter"]).get("/staff/cases/").content


def test_unknown_and_foreign_shelters_get_404(org):
    team = shelter_team(org)
    other = make_org("Other Org", "othercoord")
    foreign_staff = other.add("foreignshelter", roles.SHELTER)
    foreign = make_shelter(foreign_staff)
    client = sign_in(team["shelter"])
    for url in (f"/staff/shelters/{foreign.pk}/", f"/staff/shelters/{foreign.pk}/edit/",
                f"/staff/shelters/{foreign.pk}/deactivate/", "/staff/shelters/00000000-0000-0000-0000-000000000000/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/staff/shelters/{foreign.pk}/deactivate/").status_code == 404
    assert Shelter.objects.get(pk=foreign.pk).active


@pytest.mark.parametrize("capacity", ["0", "-3", "many", "100000"])
def test_an_impossible_capacity_is_refused_and_nothing_saved(org, capacity):
    team = shelter_team(org)
    response = sign_in(team["shelter"]).post("/staff/shelters/new/",
                                             {"name": NAME, "address": ADDRESS, "capacity": capacity})
    assert response.status_code == 200
    assert b'class="error"' in response.content
    assert Shelter.objects.count() == 0


def test_a_shelter_without_address_is_refused(org):
    team = shelter_team(org)
    response = sign_in(team["shelter"]).post("/staff/shelters/new/", {"name": NAME, "address": "  ", "capacity": "3"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert Shelter.objects.count() == 0


def test_the_registry_shows_capacity_and_who_stays_there_today(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"], capacity=9)
    case = make_case(team["coordinator"])
    today = timezone.localdate()
    Stay.objects.create(case=case, shelter=shelter, starts_on=today - timedelta(days=5), people=2)  # open-ended
    Stay.objects.create(case=case, shelter=shelter, starts_on=today - timedelta(days=5),
                        ends_on=today + timedelta(days=1), people=3)
    Stay.objects.create(case=case, shelter=shelter, starts_on=today - timedelta(days=9), ends_on=today, people=1)
    Stay.objects.create(case=case, shelter=shelter, starts_on=today + timedelta(days=2), people=1)  # booked
    assert shelters.occupancy(shelter) == 5
    page = sign_in(team["shelter"]).get("/staff/shelters/").content.decode()
    assert 'data-label="People today">5' in page
    assert 'data-label="Capacity">9' in page


def test_stays_of_erased_cases_no_longer_take_places(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"], capacity=2)
    case = make_case(team["coordinator"])
    Stay.objects.create(case=case, shelter=shelter, starts_on=timezone.localdate(), people=2)
    assert shelters.occupancy(shelter) == 2
    case.erased_at = timezone.now()
    case.save()
    assert shelters.occupancy(shelter) == 0


def test_the_registry_is_paginated(org):
    team = shelter_team(org)
    for n in range(27):
        make_shelter(team["shelter"], name=f"Shelter number {n:02d}")
    client = sign_in(team["shelter"])
    first = client.get("/staff/shelters/").content.decode()
    second = client.get("/staff/shelters/?page=2").content.decode()
    assert "Shelter number 00" in first and "Shelter number 26" not in first
    assert "Shelter number 26" in second and "Page 2 of 2" in second


def test_deactivation_asks_first_then_takes_no_new_stays(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    client = sign_in(team["shelter"])
    confirm = client.get(f"/staff/shelters/{shelter.pk}/deactivate/")
    assert confirm.status_code == 200 and "Deactivate this shelter?" in confirm.content.decode()
    assert Shelter.objects.get().active
    assert client.post(f"/staff/shelters/{shelter.pk}/deactivate/").status_code == 302
    assert not Shelter.objects.get().active
    assert AuditEvent.objects.filter(action="shelter.deactivated", object_id=str(shelter.pk)).exists()
    assert shelters.placement_choices(team["shelter"].user, team["shelter"].secret) == []
    assert client.post(f"/staff/shelters/{shelter.pk}/reactivate/").status_code == 302
    assert Shelter.objects.get().active


def test_editing_changes_name_address_and_capacity(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    client = sign_in(team["lead"])
    form = client.get(f"/staff/shelters/{shelter.pk}/edit/").content.decode()
    assert ADDRESS in form
    response = client.post(f"/staff/shelters/{shelter.pk}/edit/",
                           {"name": "Birch Flat", "address": "7 Other Street", "capacity": "3"})
    assert response.status_code == 302
    page = client.get(f"/staff/shelters/{shelter.pk}/").content.decode()
    assert "Birch Flat" in page and "7 Other Street" in page and ADDRESS not in page
    assert Shelter.objects.get().capacity == 3


def test_capacity_cannot_drop_below_the_people_staying_today(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"], capacity=4)
    Stay.objects.create(case=make_case(team["coordinator"]), shelter=shelter, starts_on=timezone.localdate(),
                        people=3)
    response = sign_in(team["shelter"]).post(f"/staff/shelters/{shelter.pk}/edit/",
                                             {"name": NAME, "address": ADDRESS, "capacity": "2"})
    assert response.status_code == 200
    assert "3 people are staying there today: the capacity cannot be lower." in response.content.decode()
    assert Shelter.objects.get().capacity == 4


def test_a_new_shelter_coordinator_reads_shelters_once_a_colleague_shares_the_keys(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    newcomer = org.add("newcomer", roles.SHELTER)
    late = sign_in(newcomer)
    listing = late.get("/staff/shelters/").content.decode()
    assert NAME not in listing and f"Shelter {str(shelter.pk)[:8]} (no key)" in listing
    assert ADDRESS not in late.get(f"/staff/shelters/{shelter.pk}/").content.decode()
    assert late.get(f"/staff/shelters/{shelter.pk}/edit/").status_code == 302  # no key: sent back

    colleague = sign_in(team["shelter"])
    assert "Newcomer lacks 1 key you hold" in colleague.get("/staff/shelters/keys/").content.decode()
    response = colleague.post("/staff/shelters/keys/", {"member": str(newcomer.user.uuid)}, follow=True)
    assert "Newcomer can now read 1 more shelter." in response.content.decode()
    assert ADDRESS in late.get(f"/staff/shelters/{shelter.pk}/").content.decode()
    event = AuditEvent.objects.get(action="shelter.keys_shared")
    assert event.details == {"shelters": [str(shelter.pk)]} and event.object_id == str(newcomer.user.uuid)


def test_shelter_keys_cannot_be_shared_with_someone_who_is_not_a_shelter_coordinator(org):
    team = shelter_team(org)
    shelter = make_shelter(team["shelter"])
    client = sign_in(team["shelter"])
    response = client.post("/staff/shelters/keys/", {"member": str(team["coordinator2"].user.uuid)})
    assert response.status_code == 200 and b'class="error"' in response.content
    assert not Grant.objects.filter(data_key=shelter.data_key, user=team["coordinator2"].user).exists()
    with pytest.raises(Exception, match="active shelter coordinator"):
        shelters.share_keys(team["shelter"].user, team["shelter"].secret, team["coordinator2"].user)
