"""Controlled vocabularies: seeded per organisation with the founding case's types in English,
French and Russian, labels follow the active language, admins add, edit and deactivate terms
(audited with codes only), duplicates are refused, non-admins get 403 and another
organisation's terms are neither listed nor opened."""

import json

import pytest
from django.utils import translation

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.evidence import vocabularies
from safepassage.evidence.models import Term

from .conftest import make_org, sign_in

pytestmark = pytest.mark.django_db


def terms(org, vocabulary):
    return Term.objects.filter(organisation=org, vocabulary=vocabulary)


def test_seeding_adds_the_founding_case_types_in_three_languages_once(org):
    assert vocabularies.ensure_seeded(org.org) == 26
    assert terms(org.org, "act_type").count() == 10
    assert terms(org.org, "perpetrator_type").count() == 4
    assert terms(org.org, "source_type").count() == 4
    for term in Term.objects.filter(organisation=org.org):
        assert term.label_en.strip() and term.label_fr.strip() and term.label_ru.strip(), term.code
        assert term.active
    assert {"arbitrary_detention", "torture", "killing_by_relatives", "enforced_disappearance",
            "coerced_statements"} <= set(terms(org.org, "act_type").values_list("code", flat=True))
    assert vocabularies.ensure_seeded(org.org) == 0
    assert Term.objects.filter(organisation=org.org).count() == 26
    assert AuditEvent.objects.filter(action="vocabulary.seeded").count() == 1


def test_seeding_keeps_what_an_admin_changed(org):
    vocabularies.ensure_seeded(org.org)
    Term.objects.filter(organisation=org.org, code="extortion").update(label_en="Blackmail", active=False)
    Term.objects.filter(organisation=org.org, code="other").delete()  # e.g. a term added to the seed later
    assert vocabularies.ensure_seeded(org.org) == 1
    extortion = Term.objects.get(organisation=org.org, code="extortion")
    assert (extortion.label_en, extortion.active) == ("Blackmail", False)


def test_each_organisation_gets_its_own_terms(org):
    other = make_org("Other Org", "othercoord")
    vocabularies.ensure_seeded(org.org)
    vocabularies.ensure_seeded(other.org)
    assert Term.objects.count() == 52


def test_label_follows_the_active_language_and_falls_back_to_english(org):
    vocabularies.ensure_seeded(org.org)
    term = Term.objects.get(organisation=org.org, code="enforced_disappearance")
    with translation.override("en"):
        assert term.label == "Enforced disappearance"
    with translation.override("fr"):
        assert term.label == "Disparition forcée"
    with translation.override("ru"):
        assert term.label == "Насильственное исчезновение"
    term.label_ru = ""
    with translation.override("ru"):
        assert term.label == "Enforced disappearance"
    with translation.override("de"):
        assert term.label == "Enforced disappearance"


def test_admin_sees_the_vocabularies_seeded_on_first_visit(team):
    client = sign_in(team["admin"])
    assert Term.objects.count() == 0
    page = client.get("/staff/vocabularies/").content.decode()
    assert "Arbitrary detention" in page and "Détention arbitraire" in page and "Произвольное задержание" in page
    assert "Police or security forces" in page and "Media report" in page
    assert 'href="/staff/vocabularies/"' in page  # the menu entry


def test_admin_adds_a_term_audited_with_codes_only(team):
    client = sign_in(team["admin"])
    response = client.post("/staff/vocabularies/new/", {
        "vocabulary": "act_type", "code": "forced_eviction", "label_en": "Forced eviction",
        "label_fr": "Expulsion forcée", "label_ru": "Принудительное выселение", "position": "200"})
    assert response.status_code == 302 and response["Location"] == "/staff/vocabularies/"
    term = Term.objects.get(code="forced_eviction")
    assert (term.organisation_id, term.vocabulary, term.position, term.active) == (
        team["admin"].user.organisation_id, "act_type", 200, True)
    event = AuditEvent.objects.get(action="vocabulary.term_added")
    assert event.object_id == str(term.pk)
    assert event.details == {"vocabulary": "act_type", "code": "forced_eviction"}
    assert "Forced eviction" not in json.dumps(event.details, ensure_ascii=False)
    assert "Forced eviction" in client.get("/staff/vocabularies/").content.decode()


def test_the_new_term_page_preselects_the_vocabulary(team):
    page = sign_in(team["admin"]).get("/staff/vocabularies/new/?vocabulary=source_type").content.decode()
    assert '<option value="source_type" selected>' in page


def test_admin_edits_and_deactivates_a_term(team):
    client = sign_in(team["admin"])
    client.get("/staff/vocabularies/")
    term = Term.objects.get(code="extortion")
    assert client.get(f"/staff/vocabularies/{term.pk}/edit/").status_code == 200
    response = client.post(f"/staff/vocabularies/{term.pk}/edit/", {
        "label_en": "Extortion or blackmail", "label_fr": term.label_fr, "label_ru": term.label_ru,
        "position": str(term.position)})  # "active" unticked
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.label_en, term.active, term.code) == ("Extortion or blackmail", False, "extortion")
    assert Term.objects.filter(code="extortion").exists()  # deactivated, not deleted
    event = AuditEvent.objects.get(action="vocabulary.term_updated")
    assert event.details == {"vocabulary": "act_type", "code": "extortion", "changed": ["label_en", "active"],
                             "active": False}
    assert term not in vocabularies.active_terms(term.organisation, "act_type")
    assert "inactive" in client.get("/staff/vocabularies/").content.decode()


def test_a_duplicate_code_is_refused_with_a_clear_error(team):
    client = sign_in(team["admin"])
    response = client.post("/staff/vocabularies/new/", {
        "vocabulary": "act_type", "code": "torture", "label_en": "Torture again", "position": "0"})
    assert response.status_code == 200
    assert "This vocabulary already has a term with this code." in response.content.decode()
    assert Term.objects.filter(code="torture").count() == 1
    assert not AuditEvent.objects.filter(action="vocabulary.term_added").exists()
    # the same code in another vocabulary is a different term
    response = client.post("/staff/vocabularies/new/", {
        "vocabulary": "source_type", "code": "torture", "label_en": "Torture report", "position": "0"})
    assert response.status_code == 302


def test_an_empty_english_label_is_refused(team):
    client = sign_in(team["admin"])
    client.get("/staff/vocabularies/")
    response = client.post("/staff/vocabularies/new/", {
        "vocabulary": "act_type", "code": "beating", "label_en": "   ", "label_fr": "Passage à tabac"})
    assert response.status_code == 200
    assert "Enter the English label" in response.content.decode()
    assert not Term.objects.filter(code="beating").exists()
    term = Term.objects.get(code="torture")
    response = client.post(f"/staff/vocabularies/{term.pk}/edit/", {"label_en": "", "active": "on"})
    assert "Enter the English label" in response.content.decode()
    term.refresh_from_db()
    assert term.label_en == "Torture or ill-treatment"


def test_errors_are_translated(team):
    client = sign_in(team["admin"])
    response = client.post("/staff/vocabularies/new/", {
        "vocabulary": "act_type", "code": "torture", "label_en": "x"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    with translation.override("ru"):
        message = translation.gettext("This vocabulary already has a term with this code.")
    assert message != "This vocabulary already has a term with this code."
    assert message in response.content.decode()


def test_a_bad_code_is_refused(team):
    response = sign_in(team["admin"]).post("/staff/vocabularies/new/", {
        "vocabulary": "act_type", "code": "Torture Again!", "label_en": "x"})
    assert response.status_code == 200
    assert "lower-case letters" in response.content.decode()


def test_non_admins_get_403(team):
    vocabularies.ensure_seeded(team["admin"].user.organisation)
    term = Term.objects.first()
    for who in ("caseworker", "coordinator2"):
        client = sign_in(team[who])
        assert client.get("/staff/vocabularies/").status_code == 403
        assert client.get("/staff/vocabularies/new/").status_code == 403
        assert client.get(f"/staff/vocabularies/{term.pk}/edit/").status_code == 403
        response = client.post("/staff/vocabularies/new/", {"vocabulary": "act_type", "code": "x", "label_en": "x"})
        assert response.status_code == 403
        response = client.post(f"/staff/vocabularies/{term.pk}/edit/", {"label_en": "Changed"})
        assert response.status_code == 403
    assert not Term.objects.filter(code="x").exists()
    assert not Term.objects.filter(label_en="Changed").exists()
    assert 'href="/staff/vocabularies/"' not in sign_in(team["caseworker"]).get("/staff/").content.decode()


def test_another_organisations_terms_are_404_and_not_listed(team):
    other = make_org("Other Org", "othercoord")
    other_admin = other.add("otheradmin", roles.ADMIN)
    client = sign_in(other_admin)
    client.post("/staff/vocabularies/new/", {"vocabulary": "act_type", "code": "secret_other_term",
                                             "label_en": "Other organisation's term"})
    theirs = Term.objects.get(code="secret_other_term")
    mine = sign_in(team["admin"])
    page = mine.get("/staff/vocabularies/").content.decode()
    assert "Other organisation&#x27;s term" not in page and "secret_other_term" not in page
    assert mine.get(f"/staff/vocabularies/{theirs.pk}/edit/").status_code == 404
    response = mine.post(f"/staff/vocabularies/{theirs.pk}/edit/", {"label_en": "Hijacked", "active": "on"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.label_en == "Other organisation's term"
    # theirs is not mine: the same code is free in my organisation
    assert mine.post("/staff/vocabularies/new/", {"vocabulary": "act_type", "code": "secret_other_term",
                                                   "label_en": "Mine"}).status_code == 302
