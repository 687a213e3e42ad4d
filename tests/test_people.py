"""Persons in a case: members add, read, edit and delete them; every typed field is sealed under
the case key; everyone else gets 404; links between persons show on both sides, and the other
side only to members of its case."""

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import BlindIndex, Case, ExposureEvent, Person, PersonLink

from .conftest import erase_with_two_coordinators, make_org, sign_in

pytestmark = pytest.mark.django_db

NAME, PHONE, BORN, NOTES = "Ахмед Исмаилов", "+7 928 123-45-67", "1990-04-03", "Hiding at his aunt in Argun"


def new_case(client, pseudonym="Case Alpha", summary="Detained twice in March"):
    response = client.post("/staff/cases/new/", {"pseudonym": pseudonym, "summary": summary, "urgency": 3})
    assert response.status_code == 302, response.content[:400]
    return Case.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def add_member(client, case, staff):
    response = client.post(f"/staff/cases/{case.pk}/members/", {"member": str(staff.user.uuid)})
    assert response.status_code == 302, response.content[:400]


def add_person(client, case, name=NAME, role="applicant", phone="", birth_date="", notes="") -> Person:
    response = client.post(f"/staff/cases/{case.pk}/people/new/", {
        "role": role, "name": name, "phone": phone, "birth_date": birth_date, "notes": notes})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Person.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def link(client, a: Person, b: Person, relation="partner", exposure="His photo is in the other's phone"):
    response = client.post(f"/staff/cases/{a.case_id}/people/{a.pk}/link/",
                           {"case": str(b.case_id), "other": str(b.pk), "relation": relation, "exposure": exposure})
    assert response.status_code == 302, response.content.decode()[:2000]
    return PersonLink.objects.get(a=a, b=b)


def person_url(person, suffix=""):
    return f"/staff/cases/{person.case_id}/people/{person.pk}/{suffix}"


def test_a_member_adds_a_person_and_reads_every_field_back(team):
    coord = sign_in(team["coordinator"])
    case = new_case(coord)
    person = add_person(coord, case, phone=PHONE, birth_date="03.04.1990", notes=NOTES)
    page = coord.get(person_url(person)).content.decode()
    for text in (NAME, PHONE, BORN, NOTES, "Applicant"):
        assert text in page
    assert AuditEvent.objects.filter(action="person.created", object_id=str(case.pk)).count() == 1
    read = AuditEvent.objects.get(action="person.read", object_id=str(case.pk))
    assert read.details["person"] == str(person.pk)
    case_page = coord.get(f"/staff/cases/{case.pk}/").content.decode()
    assert NAME in case_page and person_url(person) in case_page


def test_every_typed_field_is_sealed_and_no_plaintext_reaches_the_row_or_the_audit_log(team):
    coord = sign_in(team["coordinator"])
    person = add_person(coord, new_case(coord), phone=PHONE, birth_date=BORN, notes=NOTES)
    row = Person.objects.filter(pk=person.pk).values().get()
    raw = b"".join(bytes(v) for k, v in row.items() if k.endswith("_sealed"))
    for text in (NAME, "Ахмед", "Akhmed", PHONE, "1234567", BORN, "1990", NOTES, "Argun"):
        assert text.encode() not in raw
        assert text.casefold().encode() not in raw
    digests = " ".join(BlindIndex.objects.filter(person=person).values_list("digest", flat=True))
    for token in ("ahmed", "ismailov", "9281234567", BORN):
        assert token not in digests
    logged = str(list(AuditEvent.objects.values_list("details", flat=True)))
    for text in ("Ахмед", "Исмаилов", "1234567", BORN, "Argun"):
        assert text not in logged


def test_editing_a_person_reseals_their_fields_and_shows_the_new_values(team):
    coord = sign_in(team["coordinator"])
    person = add_person(coord, new_case(coord), phone=PHONE)
    before = bytes(Person.objects.get(pk=person.pk).name_sealed)
    form = coord.get(person_url(person, "edit/")).content.decode()
    assert NAME in form and PHONE in form
    response = coord.post(person_url(person, "edit/"), {"role": "partner", "name": "Ruslan Ismailov",
                                                        "phone": "", "birth_date": "", "notes": "Moved"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == "partner" and bytes(person.name_sealed) != before
    page = coord.get(person_url(person)).content.decode()
    assert "Ruslan Ismailov" in page and "Moved" in page and PHONE not in page
    assert AuditEvent.objects.filter(action="person.updated").count() == 1
    assert AuditEvent.objects.filter(action="person.read_for_edit").count() == 1


@pytest.mark.parametrize("fields, message", [
    ({"name": "  "}, "This field is required."),
    ({"phone": "call me"}, "A phone number has at least 6 digits"),
    ({"phone": "12-34"}, "A phone number has at least 6 digits"),
    ({"birth_date": "31.02.1990"}, "Write the date as year-month-day"),
    ({"birth_date": "2999-01-01"}, "This date is in the future."),
    ({"role": "boss"}, "Select a valid choice."),
    ({"name": "x" * 201}, "Ensure this value has at most 200 characters"),
])
def test_bad_person_input_gets_a_clear_error_and_saves_nothing(team, fields, message):
    coord = sign_in(team["coordinator"])
    case = new_case(coord)
    data = {"role": "applicant", "name": NAME, "phone": "", "birth_date": "", "notes": "", **fields}
    response = coord.post(f"/staff/cases/{case.pk}/people/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists() and not BlindIndex.objects.exists()
    assert not AuditEvent.objects.filter(action="person.created").exists()


def test_non_members_get_404_for_every_people_page_and_action(team):
    coord = sign_in(team["coordinator"])
    case = new_case(coord)
    person = add_person(coord, case)
    other = add_person(coord, case, name="Ruslan", role="partner")
    the_link = link(coord, person, other)
    coord.post(person_url(person, "exposure/"), {"kind": "detained", "happened_on": "2024-05-01", "note": ""})
    alert = case.alerts.get()
    base = f"/staff/cases/{case.pk}/people/"
    gets = [base, base + "new/", person_url(person), person_url(person, "edit/"), person_url(person, "delete/"),
            person_url(person, "link/"), person_url(person, f"link/?case={case.pk}"), person_url(person, "exposure/")]
    posts = gets + [base + "check/", base + "share-index-key/", base + f"alerts/{alert.pk}/resolve/",
                    person_url(person, f"links/{the_link.pk}/remove/")]
    for who in ("outsider", "admin", "coordinator2"):
        client = sign_in(team[who])
        for url in gets:
            assert client.get(url).status_code == 404, (who, url)
        for url in posts:
            assert client.post(url, {"role": "applicant", "name": "Intruder"}).status_code == 404, (who, url)
    assert Person.objects.count() == 2 and PersonLink.objects.count() == 1
    assert case.alerts.get().resolved_at is None


def test_person_and_link_ids_from_another_case_or_organisation_get_404(team):
    coord = sign_in(team["coordinator"])
    mine, elsewhere = new_case(coord, "Mine"), new_case(coord, "Elsewhere")
    here = add_person(coord, mine)
    partner = add_person(coord, mine, name="Partner", role="partner")
    there = add_person(coord, elsewhere, name="Someone Else")
    foreign_org = make_org("Other Org", "othercoord")
    foreign_client = sign_in(foreign_org.coordinator)
    foreign = add_person(foreign_client, new_case(foreign_client, "Foreign"), name="Foreign Person")
    for person in (there, foreign):
        url = f"/staff/cases/{mine.pk}/people/{person.pk}/"
        for suffix in ("", "edit/", "delete/", "link/", "exposure/"):
            assert coord.get(url + suffix).status_code == 404
    assert coord.get(person_url(here, "link/?case=" + str(foreign.case_id))).status_code == 404
    assert coord.get(person_url(here, "link/?case=not-a-uuid")).status_code == 404
    response = coord.post(person_url(here, "link/"), {"case": str(foreign.case_id), "other": str(foreign.pk),
                                                      "relation": "friend", "exposure": ""})
    assert response.status_code == 404
    response = coord.post(person_url(here, "link/"), {"case": str(mine.pk), "other": str(foreign.pk),
                                                      "relation": "friend", "exposure": ""})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not PersonLink.objects.exists()
    assert coord.get(f"/staff/cases/{mine.pk}/people/00000000-0000-0000-0000-000000000000/").status_code == 404
    own_link = link(coord, here, partner)
    assert coord.post(person_url(there, f"links/{own_link.pk}/remove/")).status_code == 404


def test_a_caseworker_member_cannot_delete_a_person_and_a_coordinator_can(team):
    coord = sign_in(team["coordinator"])
    case = new_case(coord)
    add_member(coord, case, team["caseworker"])
    worker = sign_in(team["caseworker"])
    person = add_person(worker, case, name="Added By Worker")
    assert worker.get(person_url(person, "delete/")).status_code == 403
    assert worker.post(person_url(person, "delete/")).status_code == 403
    assert "Delete this person" not in worker.get(person_url(person)).content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    assert coord.get(person_url(person, "delete/")).status_code == 200
    response = coord.post(person_url(person, "delete/"))
    assert response.status_code == 302 and not Person.objects.filter(pk=person.pk).exists()
    assert AuditEvent.objects.get(action="person.deleted").details == {"person": str(person.pk)}


def test_a_link_within_one_case_shows_on_both_persons_pages(team):
    coord = sign_in(team["coordinator"])
    case = new_case(coord)
    a, b = add_person(coord, case), add_person(coord, case, name="Ruslan Dadaev", role="partner")
    link(coord, a, b)
    for person, other_name in ((a, "Ruslan Dadaev"), (b, NAME)):
        page = coord.get(person_url(person)).content.decode()
        assert other_name in page and "His photo is in the other&#x27;s phone" in page


def test_a_link_across_cases_shows_the_other_side_only_to_members_of_its_case(team):
    coord = sign_in(team["coordinator"])
    first, second = new_case(coord, "First"), new_case(coord, "Second")
    add_member(coord, second, team["caseworker"])
    a = add_person(coord, first, notes="secret note of the first case")
    b = add_person(coord, second, name="Ruslan Dadaev")
    the_link = link(coord, a, b, exposure="Ruslan's number is saved in Akhmed's phone")
    assert the_link.recorded_in_id == first.pk
    assert AuditEvent.objects.filter(action="person.linked", object_id=str(second.pk)).exists()

    both = coord.get(person_url(b)).content.decode()
    assert NAME in both and "saved in Akhmed" in both

    worker = sign_in(team["caseworker"])  # member of the second case only
    page = worker.get(person_url(b)).content.decode()
    assert "a person in another case" in page
    assert "Partner" in page
    for leaked in (NAME, "Ахмед", "saved in Akhmed", "secret note", "First", str(first.pk)):
        assert leaked not in page
    assert "Remove this link" not in page
    assert worker.get(person_url(b, f"links/{the_link.pk}/remove/")).status_code == 403
    assert worker.post(person_url(b, f"links/{the_link.pk}/remove/")).status_code == 403
    reads = AuditEvent.objects.filter(action="person.read", actor=str(team["coordinator"].user.uuid),
                                      object_id=str(second.pk))
    assert reads.get().details["other_cases"] == [str(first.pk)]


def test_linking_needs_membership_of_both_cases(team):
    coord = sign_in(team["coordinator"])
    first, theirs = new_case(coord, "First"), None
    add_member(coord, first, team["caseworker"])
    worker = sign_in(team["caseworker"])
    theirs_client = sign_in(team["coordinator2"])
    theirs = new_case(theirs_client, "Not shared with the worker")
    b = add_person(theirs_client, theirs, name="Hidden Person")
    a = add_person(worker, first)
    choose = worker.get(person_url(a, "link/")).content.decode()
    assert "Not shared with the worker" not in choose and str(theirs.pk) not in choose
    response = worker.post(person_url(a, "link/"), {"case": str(theirs.pk), "other": str(b.pk),
                                                     "relation": "friend", "exposure": ""})
    assert response.status_code == 404 and not PersonLink.objects.exists()


def test_a_person_cannot_be_linked_to_themselves_or_twice(team):
    coord = sign_in(team["coordinator"])
    case = new_case(coord)
    a, b = add_person(coord, case), add_person(coord, case, name="Ruslan", role="friend")
    link(coord, a, b)
    again = coord.post(person_url(b, "link/"), {"case": str(case.pk), "other": str(a.pk), "relation": "friend"})
    assert "These two people are already linked." in again.content.decode()
    choices = coord.get(person_url(a, f"link/?case={case.pk}")).content.decode()
    assert f'value="{a.pk}"' not in choices and f'value="{b.pk}"' in choices
    itself = coord.post(person_url(a, "link/"), {"case": str(case.pk), "other": str(a.pk), "relation": "friend"})
    assert itself.status_code == 200 and PersonLink.objects.count() == 1


def test_the_link_form_is_two_steps_without_javascript(team):
    coord = sign_in(team["coordinator"])
    first, second = new_case(coord, "First case"), new_case(coord, "Second case")
    a = add_person(coord, first)
    add_person(coord, second, name="Zelimkhan")
    step1 = coord.get(person_url(a, "link/")).content.decode()
    assert 'method="get"' in step1 and "Second case" in step1 and "<script" not in step1
    step2 = coord.get(person_url(a, f"link/?case={second.pk}")).content.decode()
    assert "Zelimkhan" in step2 and f'name="case" value="{second.pk}"' in step2
    assert AuditEvent.objects.filter(action="person.listed", object_id=str(second.pk)).exists()


def test_removing_a_link_is_audited_on_both_cases(team):
    coord = sign_in(team["coordinator"])
    first, second = new_case(coord, "First"), new_case(coord, "Second")
    a, b = add_person(coord, first), add_person(coord, second, name="Ruslan")
    the_link = link(coord, a, b)
    confirm = coord.get(person_url(a, f"links/{the_link.pk}/remove/"))
    assert confirm.status_code == 200 and "will no longer alert" in confirm.content.decode()
    assert PersonLink.objects.exists()
    assert coord.post(person_url(b, f"links/{the_link.pk}/remove/")).status_code == 302
    assert not PersonLink.objects.exists()
    assert set(AuditEvent.objects.filter(action="person.unlinked").values_list("object_id", flat=True)) == {
        str(first.pk), str(second.pk)}


def test_members_still_read_persons_links_and_exposures_after_a_member_is_removed(team):
    coord = sign_in(team["coordinator"])
    case = new_case(coord)
    add_member(coord, case, team["caseworker"])
    a = add_person(coord, case, phone=PHONE, notes=NOTES)
    b = add_person(coord, case, name="Ruslan Dadaev", role="partner")
    link(coord, a, b, exposure="Same dating app")
    coord.post(person_url(a, "exposure/"), {"kind": "phone_seized", "happened_on": "2024-05-01",
                                            "note": "Taken at the checkpoint"})
    before = {"person": bytes(Person.objects.get(pk=a.pk).name_sealed),
              "link": bytes(PersonLink.objects.get().exposure_sealed),
              "exposure": bytes(ExposureEvent.objects.get().note_sealed)}
    response = coord.post(f"/staff/cases/{case.pk}/members/{team['caseworker'].user.uuid}/remove/")
    assert response.status_code == 302
    after = {"person": bytes(Person.objects.get(pk=a.pk).name_sealed),
             "link": bytes(PersonLink.objects.get().exposure_sealed),
             "exposure": bytes(ExposureEvent.objects.get().note_sealed)}
    assert all(before[k] != after[k] for k in before)
    page = coord.get(person_url(a)).content.decode()
    for text in (NAME, PHONE, NOTES, "Ruslan Dadaev", "Same dating app", "Taken at the checkpoint"):
        assert text in page
    assert sign_in(team["caseworker"]).get(person_url(a)).status_code == 404


def test_erasing_a_case_deletes_its_people_links_and_fingerprints(team):
    coord, coord2 = sign_in(team["coordinator"]), sign_in(team["coordinator2"])
    case, other = new_case(coord, "To erase"), new_case(coord, "Stays")
    add_member(coord, case, team["coordinator2"])
    a = add_person(coord, case, phone=PHONE)
    b = add_person(coord, other, name="Ruslan")
    link(coord, b, a)
    erase_with_two_coordinators(coord, coord2, case)
    assert not Person.objects.filter(case=case).exists()
    assert not BlindIndex.objects.filter(person_id=a.pk).exists()
    assert not PersonLink.objects.exists()
    assert "a person in another case" not in coord.get(person_url(b)).content.decode()
