"""An exposure event on one person (detained, phone seized, disappeared, outed) visibly alerts
every case linked to them and raises its urgency, in one transaction; unrelated cases stay
quiet; members of a linked case see the alert but nothing of the source case."""

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Alert, Case, ExposureEvent

from .conftest import sign_in
from .test_people import add_member, add_person, link, new_case, person_url

pytestmark = pytest.mark.django_db

NOTE = "Taken at the Grozny checkpoint by Kadyrovtsy"


def expose(client, person, kind="detained", happened_on="2024-05-01", note=NOTE):
    return client.post(person_url(person, "exposure/"), {"kind": kind, "happened_on": happened_on, "note": note})


@pytest.fixture
def web(team):
    """Akhmed (case 1) is linked to Ruslan (case 2, recorded in case 1) and to Zelim (case 3,
    recorded in case 3, the other direction). Case 4 has nobody linked. The caseworker is a member
    of case 2 only."""
    coord = sign_in(team["coordinator"])
    cases = [new_case(coord, f"Pseudonym {n}", f"Summary {n}") for n in (1, 2, 3, 4)]
    add_member(coord, cases[1], team["caseworker"])
    akhmed = add_person(coord, cases[0], name="Akhmed Ismailov")
    ruslan = add_person(coord, cases[1], name="Ruslan Dadaev")
    zelim = add_person(coord, cases[2], name="Zelim Bakaev")
    add_person(coord, cases[3], name="Unrelated Person")
    link(coord, akhmed, ruslan, exposure="Ruslan's photos are in Akhmed's phone")
    link(coord, zelim, akhmed, relation="friend", exposure="Same chat group")
    return {"coord": coord, "cases": cases, "akhmed": akhmed, "ruslan": ruslan, "zelim": zelim}


def test_an_exposure_alerts_every_linked_case_and_sets_them_in_danger_now(web):
    response = expose(web["coord"], web["akhmed"])
    assert response.status_code == 302
    first, second, third, unrelated = (Case.objects.get(pk=c.pk) for c in web["cases"])
    for case in (first, second, third):
        alert = Alert.objects.get(case=case)
        assert alert.kind == "exposure" and alert.resolved_at is None
        assert alert.details["kind"] == "detained" and alert.details["from_case"] == first.short_ref
        assert case.urgency == 1
    assert Alert.objects.get(case=second).details["persons"] == [str(web["ruslan"].pk)]
    assert Alert.objects.get(case=third).details["persons"] == [str(web["zelim"].pk)]
    assert unrelated.urgency == 3 and not Alert.objects.filter(case=unrelated).exists()
    event = AuditEvent.objects.get(action="person.exposure")
    assert event.object_id == str(first.pk) and event.details["person"] == str(web["akhmed"].pk)
    assert set(AuditEvent.objects.filter(action="case.exposure_alert").values_list("object_id", flat=True)) == {
        str(first.pk), str(second.pk), str(third.pk)}


def test_a_link_works_in_both_directions(web):
    expose(web["coord"], web["zelim"], kind="phone_seized")
    first, second, third, _unrelated = (Case.objects.get(pk=c.pk) for c in web["cases"])
    assert first.urgency == 1 and third.urgency == 1
    assert second.urgency == 3 and not Alert.objects.filter(case=second).exists()
    assert Alert.objects.get(case=first).details["persons"] == [str(web["akhmed"].pk)]


def test_members_of_a_linked_case_see_the_alert_and_nothing_of_the_source_case(web, team):
    expose(web["coord"], web["akhmed"], kind="disappeared")
    worker = sign_in(team["caseworker"])  # a member of case 2 only
    second = web["cases"][1]
    page = worker.get(f"/staff/cases/{second.pk}/").content.decode()
    assert "Linked person exposed: Disappeared" in page
    assert web["cases"][0].short_ref in page and "Ruslan Dadaev" in page
    assert "In danger now" in page
    for leaked in (NOTE, "Kadyrovtsy", "Akhmed", "Ismailov", "Pseudonym 1", "Summary 1", "Akhmed&#x27;s phone",
                   str(web["cases"][0].pk)):
        assert leaked not in page, leaked
    assert worker.get(f"/staff/cases/{web['cases'][0].pk}/").status_code == 404


def test_the_exposure_shows_on_the_persons_page_with_its_sealed_note(web):
    expose(web["coord"], web["akhmed"])
    event = ExposureEvent.objects.get()
    assert NOTE.encode() not in bytes(event.note_sealed) and b"Grozny" not in bytes(event.note_sealed)
    page = web["coord"].get(person_url(web["akhmed"])).content.decode()
    assert "Detained" in page and NOTE in page and "1 May 2024" in page
    assert NOTE not in str(list(AuditEvent.objects.values_list("details", flat=True)))


def test_the_exposure_form_says_how_many_cases_it_will_alert(web):
    page = web["coord"].get(person_url(web["akhmed"], "exposure/")).content.decode()
    assert "on this case and on 2 linked cases" in page


@pytest.mark.parametrize("kind, happened_on, message", [
    ("detained", "2999-01-01", "This date is in the future."),
    ("detained", "yesterday", "Write the date as year-month-day"),
    ("detained", "", "This field is required."),
    ("abducted_by_aliens", "2024-05-01", "Select a valid choice."),
])
def test_bad_exposure_input_saves_nothing_and_alerts_nobody(web, kind, happened_on, message):
    response = expose(web["coord"], web["akhmed"], kind=kind, happened_on=happened_on)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ExposureEvent.objects.exists() and not Alert.objects.exists()
    assert set(Case.objects.values_list("urgency", flat=True)) == {3}


def test_a_member_resolves_the_alert_and_it_is_audited(web, team):
    expose(web["coord"], web["akhmed"])
    second = web["cases"][1]
    alert = Alert.objects.get(case=second)
    url = f"/staff/cases/{second.pk}/people/alerts/{alert.pk}/resolve/"
    assert sign_in(team["outsider"]).post(url).status_code == 404
    other_alert = Alert.objects.get(case=web["cases"][0])
    worker = sign_in(team["caseworker"])
    assert worker.post(f"/staff/cases/{second.pk}/people/alerts/{other_alert.pk}/resolve/").status_code == 404
    assert worker.get(url).status_code == 405
    assert worker.post(url).status_code == 302
    alert.refresh_from_db()
    assert alert.resolved_at is not None and alert.resolved_by == team["caseworker"].user
    assert AuditEvent.objects.get(action="alert.resolved").details == {"alert": str(alert.pk), "kind": "exposure"}
    assert "Linked person exposed" not in worker.get(f"/staff/cases/{second.pk}/").content.decode()
    again = worker.post(url, follow=True)
    assert "This alert was already resolved." in again.content.decode()
    assert AuditEvent.objects.filter(action="alert.resolved").count() == 1


def test_an_exposure_with_no_links_alerts_only_its_own_case(web):
    lonely = web["cases"][3].persons.get()
    expose(web["coord"], lonely, kind="outed")
    assert list(Alert.objects.values_list("case_id", flat=True)) == [web["cases"][3].pk]
    assert Case.objects.filter(urgency=1).count() == 1


def test_a_member_without_a_coordinator_role_may_record_an_exposure(web, team):
    worker = sign_in(team["caseworker"])
    assert expose(worker, web["ruslan"], kind="threatened").status_code == 302
    assert set(Alert.objects.values_list("case_id", flat=True)) == {web["cases"][0].pk, web["cases"][1].pk}


def test_the_linked_persons_page_shows_the_alert_and_resolving_there_returns_to_it(web):
    expose(web["coord"], web["akhmed"])
    second, ruslan = web["cases"][1], web["ruslan"]
    page = web["coord"].get(person_url(ruslan)).content.decode()
    assert "Linked person exposed: Detained" in page and f"Recorded in case {web['cases'][0].short_ref}" in page
    people = web["coord"].get(f"/staff/cases/{second.pk}/people/").content.decode()
    assert "Linked person exposed: Detained" in people and "Mark as dealt with" in people
    alert = Alert.objects.get(case=second)
    response = web["coord"].post(f"/staff/cases/{second.pk}/people/alerts/{alert.pk}/resolve/",
                                 {"back": str(ruslan.pk)})
    assert response["Location"] == person_url(ruslan)
    assert "Linked person exposed" not in web["coord"].get(person_url(ruslan)).content.decode()


def test_the_exposed_persons_own_case_says_it_was_recorded_there(web):
    expose(web["coord"], web["akhmed"], kind="outed")
    page = web["coord"].get(person_url(web["akhmed"])).content.decode()
    assert "Exposed: Outed" in page and "Recorded in this case on" in page
    assert "Linked person exposed" not in page
