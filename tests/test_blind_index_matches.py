"""Duplicate and link detection: the same name, phone or birth date in another case of the
organisation shows as a possible match to coordinators of the case, computed in their session
from blind indexes, without revealing anything of the other case to those who are not its members."""

import pytest

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.cases.models import BlindIndex, IndexKey
from safepassage.vault.models import Grant

from .conftest import erase_with_two_coordinators, make_org, sign_in
from .test_people import add_member, add_person, new_case, person_url

pytestmark = pytest.mark.django_db

OTHER_CASE = ("Zaurbek Hidden-Pseudonym", "Summary only its members may read")


def two_cases(team):
    """The coordinator's case with Akhmed in Latin letters; coordinator2's case with him in Cyrillic."""
    coord, coord2 = sign_in(team["coordinator"]), sign_in(team["coordinator2"])
    mine = new_case(coord, "My case")
    theirs = new_case(coord2, *OTHER_CASE)
    them = add_person(coord2, theirs, name="Исмаилов Ахмед", phone="8 928 123 45 67", birth_date="1990-04-03",
                      notes="Notes of the other case")
    return coord, coord2, mine, theirs, them


def test_a_name_in_cyrillic_matches_the_same_name_in_latin_letters_in_another_case(team):
    coord, _coord2, mine, theirs, _them = two_cases(team)
    me = add_person(coord, mine, name="Ahmed Ismailov")
    page = coord.get(person_url(me)).content.decode()
    assert "Full name" in page and theirs.short_ref in page
    assert "Phone number" not in page.split('id="matches"')[1].split("</div>")[0]
    section = coord.get(f"/staff/cases/{mine.pk}/").content.decode()
    assert "Possible match" in section and theirs.short_ref in section


def test_a_phone_written_another_way_and_the_same_birth_date_match(team):
    coord, _coord2, mine, theirs, _them = two_cases(team)
    me = add_person(coord, mine, name="Someone Unrelated", phone="+7 (928) 123-45-67", birth_date="03.04.1990")
    matches = coord.get(person_url(me)).content.decode().split('id="matches"')[1].split("</div>")[0]
    assert "Phone number" in matches and "Birth date" in matches and "Full name" not in matches
    assert theirs.short_ref in matches


def test_one_shared_name_part_is_shown_as_a_weaker_match(team):
    coord, _coord2, mine, theirs, _them = two_cases(team)
    me = add_person(coord, mine, name="Ruslan Ismailov", role="family")
    matches = coord.get(person_url(me)).content.decode().split('id="matches"')[1].split("</div>")[0]
    assert "Part of the name" in matches and "Full name" not in matches


def test_different_people_do_not_match(team):
    coord, _coord2, mine, theirs, _them = two_cases(team)
    me = add_person(coord, mine, name="Ruslan Dadaev", phone="+7 928 000 11 22", birth_date="1991-04-03")
    page = coord.get(person_url(me)).content.decode()
    assert "None found." in page and theirs.short_ref not in page


def test_a_coordinator_who_is_not_a_member_sees_the_kind_and_short_ref_and_nothing_decrypted(team):
    coord, _coord2, mine, theirs, them = two_cases(team)
    me = add_person(coord, mine, name="Akhmed Ismailov", phone="89281234567")
    for url in (person_url(me), f"/staff/cases/{mine.pk}/", f"/staff/cases/{mine.pk}/people/"):
        page = coord.get(url).content.decode()
        assert "a case you are not a member of" in page and theirs.short_ref in page
        for leaked in (*OTHER_CASE, "Исмаилов", "Ахмед", "8 928 123 45 67", "Notes of the other case",
                       str(theirs.pk), str(them.pk), f"/staff/cases/{theirs.pk}"):
            assert leaked not in page, (url, leaked)
    assert coord.get(f"/staff/cases/{theirs.pk}/").status_code == 404
    # Nothing was opened under the other case's key: no read event names it.
    assert not AuditEvent.objects.filter(actor=str(team["coordinator"].user.uuid), object_id=str(theirs.pk),
                                         action__in=["case.read", "person.read", "person.listed"]).exists()


def test_a_coordinator_who_is_a_member_of_both_cases_gets_a_link_to_the_other(team):
    coord, coord2, mine, theirs, _them = two_cases(team)
    add_member(coord2, theirs, team["coordinator"])
    me = add_person(coord, mine, name="Akhmed Ismailov")
    page = coord.get(person_url(me)).content.decode()
    assert f'href="/staff/cases/{theirs.pk}/"' in page
    assert "a case you are not a member of" not in page


def test_members_who_are_not_coordinators_see_nothing_about_other_cases(team):
    coord, _coord2, mine, theirs, _them = two_cases(team)
    add_member(coord, mine, team["caseworker"])
    worker = sign_in(team["caseworker"])
    me = add_person(worker, mine, name="Akhmed Ismailov", phone="89281234567")
    assert not BlindIndex.objects.filter(person=me).exists()  # a caseworker holds no index key
    for url in (person_url(me), f"/staff/cases/{mine.pk}/", f"/staff/cases/{mine.pk}/people/"):
        page = worker.get(url).content.decode()
        assert theirs.short_ref not in page and "Possible match" not in page and 'id="matches"' not in page
    coord.get(f"/staff/cases/{mine.pk}/people/")  # a coordinator opening the case checks them
    assert BlindIndex.objects.filter(person=me).exists()
    assert "Possible match" in coord.get(person_url(me)).content.decode()
    assert "Possible match" not in worker.get(person_url(me)).content.decode()


def test_matches_stay_inside_the_organisation(team):
    coord = sign_in(team["coordinator"])
    other_org = make_org("Other Org", "othercoord")
    foreign_client = sign_in(other_org.coordinator)
    foreign_case = new_case(foreign_client, "Foreign")
    add_person(foreign_client, foreign_case, name="Akhmed Ismailov", phone="89281234567")
    me = add_person(coord, new_case(coord), name="Akhmed Ismailov", phone="89281234567")
    page = coord.get(person_url(me)).content.decode()
    assert "None found." in page and foreign_case.short_ref not in page
    # Each organisation has its own index key: the same name gives different fingerprints.
    assert IndexKey.objects.count() == 2
    mine = set(BlindIndex.objects.filter(person=me).values_list("digest", flat=True))
    theirs = set(BlindIndex.objects.filter(person__case=foreign_case).values_list("digest", flat=True))
    assert mine and theirs and not mine & theirs


def test_an_erased_case_no_longer_matches(team):
    coord, coord2, mine, theirs, _them = two_cases(team)
    add_member(coord2, theirs, team["coordinator"])
    erase_with_two_coordinators(coord2, coord, theirs)
    me = add_person(coord, mine, name="Akhmed Ismailov")
    assert "None found." in coord.get(person_url(me)).content.decode()


def test_the_index_key_is_made_once_and_sealed_only_to_the_roles_that_vet_and_match(team, org):
    vetting = org.add("vetter", roles.VETTING)
    worker = sign_in(team["caseworker"])
    add_person(worker, new_case(worker), name="First")  # a caseworker makes no key: they would know it
    assert not IndexKey.objects.exists()
    coord = sign_in(team["coordinator"])
    add_person(coord, new_case(coord))
    key = IndexKey.objects.get()
    holders = set(Grant.objects.filter(data_key=key.data_key).values_list("user__username", flat=True))
    assert holders == {None, "coord", "coord2", vetting.user.username}  # and the recovery key
    add_person(sign_in(team["coordinator2"]), new_case(sign_in(team["coordinator2"])), name="Second")
    assert IndexKey.objects.count() == 1
    assert AuditEvent.objects.filter(action="index_key.created").count() == 1


def test_staff_without_the_index_key_are_told_and_a_coordinator_shares_it(team, org):
    coord = sign_in(team["coordinator"])
    theirs = new_case(coord, "Earlier case")
    add_person(coord, theirs, name="Akhmed Ismailov")  # the key is made now, before the newcomer
    late = org.add("late", roles.COORDINATOR)
    late_client = sign_in(late)
    refused = late_client.post(f"/staff/cases/{theirs.pk}/people/share-index-key/")
    assert refused.status_code == 404  # not a member of that case
    mine = new_case(late_client, "Newcomer's case")
    refused = late_client.post(f"/staff/cases/{mine.pk}/people/share-index-key/", follow=True)
    assert "You do not hold the blind-index key yourself" in refused.content.decode()
    response = late_client.post(f"/staff/cases/{mine.pk}/people/new/", {
        "role": "applicant", "name": "Ахмед Исмаилов", "phone": "", "birth_date": "", "notes": ""}, follow=True)
    page = response.content.decode()
    assert "the blind-index key has not been shared with you yet" in page
    person = mine.persons.get()
    assert not BlindIndex.objects.filter(person=person).exists()
    assert "Not checked against other cases yet." in late_client.get(f"/staff/cases/{mine.pk}/people/").content.decode()
    refused = late_client.post(f"/staff/cases/{mine.pk}/people/check/", follow=True)
    assert "has not been shared with you yet" in refused.content.decode()

    case_people = coord.get(f"/staff/cases/{theirs.pk}/people/").content.decode()
    assert "1 colleague cannot check people against other cases yet." in case_people
    assert coord.post(f"/staff/cases/{theirs.pk}/people/share-index-key/").status_code == 302
    shared = AuditEvent.objects.get(action="index_key.shared")
    assert shared.details == {"members": [str(late.user.uuid)]}
    assert late_client.post(f"/staff/cases/{mine.pk}/people/check/").status_code == 302
    assert BlindIndex.objects.filter(person=person).exists()
    add_member(late_client, mine, team["coordinator"])
    assert theirs.short_ref in coord.get(person_url(person)).content.decode()


def test_only_coordinators_share_the_index_key(team):
    coord = sign_in(team["coordinator"])
    case = new_case(coord)
    add_member(coord, case, team["caseworker"])
    worker = sign_in(team["caseworker"])
    assert worker.post(f"/staff/cases/{case.pk}/people/share-index-key/").status_code == 403
    assert "Share the blind-index key" not in worker.get(f"/staff/cases/{case.pk}/people/").content.decode()
    assert not AuditEvent.objects.filter(action="index_key.shared").exists()


def test_a_changed_name_replaces_its_fingerprints(team):
    coord, _coord2, mine, theirs, _them = two_cases(team)
    me = add_person(coord, mine, name="Akhmed Ismailov")
    assert theirs.short_ref in coord.get(person_url(me)).content.decode()
    coord.post(person_url(me, "edit/"), {"role": "applicant", "name": "Ruslan Dadaev", "phone": "",
                                         "birth_date": "", "notes": ""})
    assert theirs.short_ref not in coord.get(person_url(me)).content.decode()
