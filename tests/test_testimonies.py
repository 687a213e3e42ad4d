"""Testimonies on a case: sealed text, language, who took it and when; consent per purpose with
dates and withdrawal; translations with their translator and target language; machine
translation off unless an operator plugs a translator in, and never the consented text."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.cases.actions import core as case_actions
from safepassage.evidence import models as evidence
from safepassage.evidence import translation
from safepassage.evidence.actions import testimonies as actions
from safepassage.evidence.models import Consent, Translation

from .conftest import erase_with_two_coordinators, make_org, sign_in
from .test_shelters_support import make_case, tables_containing

pytestmark = pytest.mark.django_db

STORY = "They took my phone at the checkpoint near Zqvorsk"
FRENCH = "Ils ont pris mon téléphone au barrage près de Zqvorsk"
NOTE = "Consent given by Xylo in person"


class FakeTranslator:
    """A stand-in for an operator's on-server translator."""

    name = "fake-mt"

    def translate(self, text, source, target):
        return f"[{source}>{target}] " + text.upper()


FAKE = "tests.test_testimonies.FakeTranslator"


@pytest.fixture
def people(org):
    staff = {
        "coordinator": org.coordinator,
        "caseworker": org.add("worker", roles.CASEWORKER),
        "legal": org.add("lawyer", roles.LEGAL),
        "support": org.add("medic", roles.SUPPORT),
        "translator": org.add("interp", roles.TRANSLATOR),
        "shelter": org.add("sheltie", roles.SHELTER),
        "researcher": org.add("research", roles.RESEARCHER, roles.LOGISTICS),  # only a researcher: no member
        "outsider": org.add("outsider", roles.COORDINATOR, roles.CASEWORKER, roles.TRANSLATOR),
    }
    case = make_case(staff["coordinator"], *(staff[r] for r in (
        "caseworker", "legal", "support", "translator", "shelter", "researcher")))
    return staff, case


def take(staff, case, text=STORY, language="ru", taken_on=None):
    return actions.record_testimony(staff.user, staff.secret, case, text=text, language=language,
                                    taken_on=taken_on or date(2024, 4, 2))


def url(case, rest=""):
    return f"/staff/cases/{case.pk}/testimonies/{rest}"


def test_a_caseworker_records_a_testimony_and_reading_it_is_audited(people):
    staff, case = people
    client = sign_in(staff["caseworker"])
    response = client.post(url(case, "new/"), {"text": STORY, "language": "ru", "taken_on": "2024-04-02"})
    testimony = evidence.Testimony.objects.get()
    assert response.status_code == 302 and response["Location"] == url(case, f"{testimony.pk}/")
    assert (testimony.language, testimony.taken_on, testimony.taken_by) == (
        "ru", date(2024, 4, 2), staff["caseworker"].user)
    assert AuditEvent.objects.get(action="testimony.recorded").details == {
        "testimony": str(testimony.pk), "language": "ru"}
    page = sign_in(staff["legal"]).get(url(case, f"{testimony.pk}/")).content.decode()
    assert STORY in page and "2 Apr 2024" in page
    read = AuditEvent.objects.get(action="testimony.read")
    assert read.actor == str(staff["legal"].user.uuid)
    assert read.details == {"testimony": str(testimony.pk)}


def test_the_case_page_lists_testimonies_without_opening_them(people):
    staff, case = people
    take(staff["caseworker"], case)
    page = sign_in(staff["coordinator"]).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Testimonies" in page and "2 Apr 2024" in page and STORY not in page
    assert not AuditEvent.objects.filter(action="testimony.read").exists()


def test_text_notes_translations_and_outside_translators_are_never_stored_in_the_clear(people):
    staff, case = people
    testimony = take(staff["caseworker"], case)
    actions.record_consent(staff["legal"].user, staff["legal"].secret, case, testimony, purpose="dossier",
                           given_on=date(2024, 4, 2), note=NOTE)
    actions.add_translation(staff["translator"].user, staff["translator"].secret, case, testimony, text=FRENCH,
                            target_language="fr", external_translator="Qwibble Interpreting")
    for secret_text in ("Zqvorsk", "Xylo in person", "Qwibble"):
        assert tables_containing(secret_text) == [], secret_text
    assert tables_containing("dossier") != []  # the purpose is plain on purpose: exports ask it in SQL
    for event in AuditEvent.objects.all():
        assert "Zqvorsk" not in str(event.details) and "Qwibble" not in str(event.details)


def test_who_may_record_read_consent_and_translate(people):
    staff, case = people
    for role in ("caseworker", "coordinator", "legal", "support", "translator"):
        response = sign_in(staff[role]).post(url(case, "new/"), {"text": f"by {role}", "language": "ru",
                                                                 "taken_on": "2024-04-02"})
        assert response.status_code == 302, role
    for role in ("shelter", "researcher"):
        client = sign_in(staff[role])
        assert client.post(url(case, "new/"), {"text": "x", "language": "ru",
                                               "taken_on": "2024-04-02"}).status_code == 403, role
        assert client.get(url(case)).status_code == 403
    assert evidence.Testimony.objects.count() == 5
    testimony = evidence.Testimony.objects.first()
    consent = {"purpose": "advocacy", "given_on": "2024-04-03", "note": ""}
    for role in ("support", "translator"):
        assert sign_in(staff[role]).post(url(case, f"{testimony.pk}/consents/new/"), consent).status_code == 403
    assert sign_in(staff["legal"]).post(url(case, f"{testimony.pk}/consents/new/"), consent).status_code == 302
    translated = {"target_language": "fr", "text": FRENCH, "external_translator": ""}
    assert sign_in(staff["caseworker"]).post(url(case, f"{testimony.pk}/translations/new/"),
                                             translated).status_code == 403
    assert Consent.objects.count() == 1 and Translation.objects.count() == 0


def test_consent_is_in_force_from_its_date_until_withdrawn(people):
    staff, case = people
    testimony = take(staff["caseworker"], case)
    legal = staff["legal"]
    actions.record_consent(legal.user, legal.secret, case, testimony, purpose="investigators",
                           given_on=date(2024, 5, 1))
    assert not actions.consented(testimony, "investigators", on=date(2024, 4, 30))
    assert actions.consented(testimony, "investigators", on=date(2024, 5, 1))
    assert not actions.consented(testimony, "advocacy", on=date(2024, 5, 1))  # per purpose
    consent = Consent.objects.get()
    client = sign_in(legal)
    confirm = client.get(url(case, f"{testimony.pk}/consents/{consent.pk}/withdraw/"))
    assert confirm.status_code == 200 and "Withdraw the consent" in confirm.content.decode()
    assert Consent.objects.get().withdrawn_on is None  # a GET only asks
    response = client.post(url(case, f"{testimony.pk}/consents/{consent.pk}/withdraw/"),
                           {"withdrawn_on": "2024-06-10"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawal_recorded_by) == (date(2024, 6, 10), legal.user)
    assert actions.consented(testimony, "investigators", on=date(2024, 6, 9))
    assert not actions.consented(testimony, "investigators", on=date(2024, 6, 10))
    assert not actions.consented(testimony, "investigators")
    assert AuditEvent.objects.get(action="consent.withdrawn").details == {
        "testimony": str(testimony.pk), "consent": str(consent.pk), "purpose": "investigators",
        "withdrawn_on": "2024-06-10"}


def test_a_future_dated_consent_is_not_yet_in_force(people):
    staff, case = people
    testimony = take(staff["caseworker"], case)
    tomorrow = timezone.localdate() + timedelta(days=1)
    actions.record_consent(staff["coordinator"].user, staff["coordinator"].secret, case, testimony,
                           purpose="advocacy", given_on=tomorrow)
    assert not actions.consented(testimony, "advocacy")
    assert actions.consented(testimony, "advocacy", on=tomorrow)


def test_bad_consents_are_refused_clearly_and_nothing_saved(people):
    staff, case = people
    testimony = take(staff["caseworker"], case)
    client = sign_in(staff["legal"])
    new = url(case, f"{testimony.pk}/consents/new/")
    assert client.post(new, {"purpose": "dossier", "given_on": "2024-05-01"}).status_code == 302
    again = client.post(new, {"purpose": "dossier", "given_on": "2024-05-02"}).content.decode()
    assert "already recorded" in again
    assert "Select a valid choice" in client.post(new, {"purpose": "press", "given_on": "2024-05-01"}).content.decode()
    consent = Consent.objects.get()
    early = client.post(url(case, f"{testimony.pk}/consents/{consent.pk}/withdraw/"), {"withdrawn_on": "2024-04-30"})
    assert early.status_code == 200 and "cannot be withdrawn before it was given (1 May 2024)" in early.content.decode()
    consent.refresh_from_db()
    assert Consent.objects.count() == 1 and consent.withdrawn_on is None


def test_a_translation_records_its_translator_and_target_language(people):
    staff, case = people
    testimony = take(staff["caseworker"], case)
    client = sign_in(staff["translator"])
    form = client.get(url(case, f"{testimony.pk}/translations/new/")).content.decode()
    assert STORY in form  # the translator works from the original, an audited read
    assert AuditEvent.objects.filter(action="testimony.read").count() == 1
    response = client.post(url(case, f"{testimony.pk}/translations/new/"),
                           {"target_language": "fr", "text": FRENCH, "external_translator": ""})
    assert response.status_code == 302
    client.post(url(case, f"{testimony.pk}/translations/new/"),
                {"target_language": "en", "text": "They took my phone", "external_translator": "Qwibble"})
    mine, outside = Translation.objects.get(target_language="fr"), Translation.objects.get(target_language="en")
    assert (mine.translator, mine.recorded_by, mine.machine) == (staff["translator"].user, staff["translator"].user,
                                                                  False)
    assert (outside.translator, outside.recorded_by) == (None, staff["translator"].user)
    page = sign_in(staff["caseworker"]).get(url(case, f"{testimony.pk}/")).content.decode()
    assert FRENCH in page and "translated by Interp" in page and "Qwibble (outside the organisation)" in page
    bad = client.post(url(case, f"{testimony.pk}/translations/new/"),
                      {"target_language": "French!", "text": FRENCH}).content.decode()
    assert "Enter a language code" in bad and Translation.objects.count() == 2


def test_machine_translation_is_off_by_default(people):
    staff, case = people
    testimony = take(staff["caseworker"], case)
    assert translation.machine_translator() is None and not translation.enabled()
    client = sign_in(staff["translator"])
    page = client.get(url(case, f"{testimony.pk}/")).content.decode()
    assert "Machine-translate" not in page and "translations/machine/" not in page
    response = client.post(url(case, f"{testimony.pk}/translations/machine/"), {"target_language": "fr"})
    assert response.status_code == 404 and Translation.objects.count() == 0


@override_settings(EVIDENCE_MACHINE_TRANSLATOR=FAKE)
def test_a_plugged_in_translator_records_a_machine_translation_that_is_never_the_consented_text(people):
    staff, case = people
    testimony = take(staff["caseworker"], case)
    actions.record_consent(staff["legal"].user, staff["legal"].secret, case, testimony, purpose="advocacy",
                           given_on=date(2024, 4, 2))
    client = sign_in(staff["translator"])
    assert "Machine-translate" in client.get(url(case, f"{testimony.pk}/")).content.decode()
    response = client.post(url(case, f"{testimony.pk}/translations/machine/"), {"target_language": "fr"})
    assert response.status_code == 302
    tr = Translation.objects.get()
    assert (tr.machine, tr.target_language, tr.translator, tr.recorded_by) == (
        True, "fr", None, staff["translator"].user)
    opened = actions.open_testimony(staff["legal"].user, staff["legal"].secret, case, testimony)
    assert opened.text == STORY  # the consented text is the testimony itself, untouched
    assert opened.translations[0].text == "[ru>fr] " + STORY.upper()
    assert opened.translations[0].external_translator == "fake-mt"
    assert list(actions.human_translations(testimony)) == []
    assert AuditEvent.objects.filter(action="translation.machine_added").count() == 1
    page = client.get(url(case, f"{testimony.pk}/")).content.decode()
    assert "machine translation (fake-mt), not checked by a person" in page


@override_settings(EVIDENCE_MACHINE_TRANSLATOR="safepassage.evidence.models.Testimony")
def test_a_configured_class_that_is_not_a_translator_is_refused():
    with pytest.raises(TypeError):
        translation.machine_translator()


def test_non_members_and_foreign_ids_get_404(people):
    staff, case = people
    testimony = take(staff["caseworker"], case)
    consent = actions.record_consent(staff["legal"].user, staff["legal"].secret, case, testimony,
                                     purpose="dossier", given_on=date(2024, 4, 2))
    outsider = sign_in(staff["outsider"])
    for rest in ("", "new/", f"{testimony.pk}/", f"{testimony.pk}/consents/new/",
                 f"{testimony.pk}/consents/{consent.pk}/withdraw/", f"{testimony.pk}/translations/new/"):
        assert outsider.get(url(case, rest)).status_code == 404, rest
    assert outsider.post(url(case, f"{testimony.pk}/consents/{consent.pk}/withdraw/"),
                         {"withdrawn_on": "2024-05-01"}).status_code == 404
    # A member of another case cannot reach this testimony through their own case's URL.
    other = make_case(staff["outsider"])
    for rest in (f"{testimony.pk}/", f"{testimony.pk}/consents/new/",
                 f"{testimony.pk}/consents/{consent.pk}/withdraw/", f"{testimony.pk}/translations/new/"):
        assert outsider.get(url(other, rest)).status_code == 404, rest
    assert outsider.post(url(other, f"{testimony.pk}/consents/{consent.pk}/withdraw/"),
                         {"withdrawn_on": "2024-05-01"}).status_code == 404
    stranger = sign_in(make_org("Other Org", "othercoord").coordinator)
    assert stranger.get(url(case, f"{testimony.pk}/")).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert not AuditEvent.objects.filter(action="testimony.read").exists()


def test_testimonies_stay_readable_after_a_member_is_removed_and_the_key_rotated(people):
    staff, case = people
    coordinator = staff["coordinator"]
    testimony = take(staff["caseworker"], case)
    actions.record_consent(coordinator.user, coordinator.secret, case, testimony, purpose="dossier",
                           given_on=date(2024, 4, 2), note=NOTE)
    actions.add_translation(staff["translator"].user, staff["translator"].secret, case, testimony, text=FRENCH,
                            target_language="fr", external_translator="Qwibble")
    before = bytes(evidence.Testimony.objects.get().text_sealed)
    case_actions.remove_member(coordinator.user, coordinator.secret, case, staff["caseworker"].user)
    assert bytes(evidence.Testimony.objects.get().text_sealed) != before
    opened = actions.open_testimony(coordinator.user, coordinator.secret, case, evidence.Testimony.objects.get())
    assert opened.text == STORY and opened.consents[0].note == NOTE
    assert (opened.translations[0].text, opened.translations[0].external_translator) == (FRENCH, "Qwibble")
    assert sign_in(staff["caseworker"]).get(url(case, f"{testimony.pk}/")).status_code == 404


def test_erasing_a_case_deletes_its_testimonies_consents_and_translations(people, org):
    staff, case = people
    second = org.add("coord2", roles.COORDINATOR)
    case_actions.add_member(staff["coordinator"].user, staff["coordinator"].secret, case, second.user)
    testimony = take(staff["caseworker"], case)
    actions.record_consent(staff["legal"].user, staff["legal"].secret, case, testimony, purpose="dossier",
                           given_on=date(2024, 4, 2))
    actions.add_translation(staff["translator"].user, staff["translator"].secret, case, testimony, text=FRENCH,
                            target_language="fr")
    erase_with_two_coordinators(sign_in(staff["coordinator"]), sign_in(second), case)
    assert (evidence.Testimony.objects.count(), Consent.objects.count(), Translation.objects.count()) == (0, 0, 0)


def test_a_testimony_needs_text_a_language_code_and_a_past_date(people):
    staff, case = people
    client = sign_in(staff["caseworker"])
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    page = client.post(url(case, "new/"), {"text": "x", "language": "ru", "taken_on": future}).content.decode()
    assert "cannot be taken in the future" in page
    page = client.post(url(case, "new/"), {"text": "x", "language": "Russian", "taken_on": "2024-01-01"})
    assert "Enter a language code" in page.content.decode()
    assert evidence.Testimony.objects.count() == 0


@pytest.mark.parametrize("code", ["ce-Argun", "ru-x-grozny", "fr-Qwerty-abc"])
def test_a_language_code_cannot_carry_free_text(people, code):
    staff, case = people
    page = sign_in(staff["caseworker"]).post(url(case, "new/"), {"text": "x", "language": code,
                                                                 "taken_on": "2024-04-02"}).content.decode()
    assert "Enter a language code such as ru, ce or fr." in page
    assert not evidence.Testimony.objects.exists()
