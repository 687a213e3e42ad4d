"""Redacting a testimony: Presidio proposes (names and places in French, numbers, addresses and
dates in every language), a person confirms and adds what it missed, the version kept says what
was redacted and is sealed; its PDF holds none of it; and the analysis downloads nothing."""

import html
import io
import os
import re
from datetime import date
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.dossiers.actions import dossiers, redactions
from safepassage.dossiers.models import Dossier, Redaction
from safepassage.evidence import redaction as engine
from safepassage.evidence.actions import testimonies

from .conftest import sign_in
from .test_shelters_support import make_case, tables_containing

pytestmark = pytest.mark.django_db

FRENCH = ("Le 12 mars 2023, Ivan Petrov a été arrêté à Moscou par le rouquin. "
          "Appelez-le au +33 6 12 34 56 78 ou écrivez à ivan.petrov@example.org. Ensuite le ROUQUIN a tout vu.")
RUSSIAN = "Меня задержали 12 марта 2023 года. Телефон +7 916 123-45-67, почта ivan@example.org."
ENGLISH = "I was detained on 05/04/2023. Call +44 20 7946 0958 or write to ivan@example.org."
SECRETS = ("Ivan Petrov", "12 mars 2023", "+33 6 12 34 56 78", "ivan.petrov@example.org")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def s(org):
    staff = {"caseworker": org.add("worker", roles.CASEWORKER), "translator": org.add("interp", roles.TRANSLATOR),
             "shelter": org.add("sheltie", roles.SHELTER)}
    case = make_case(org.coordinator, *staff.values())
    staff["outsider"] = org.add("outsider", roles.COORDINATOR, roles.CASEWORKER)
    worker = staff["caseworker"]
    testimony = testimonies.record_testimony(worker.user, worker.secret, case, text=FRENCH, language="fr",
                                             taken_on=date(2024, 4, 2))
    return SimpleNamespace(case=case, testimony=testimony, worker=worker, **staff)


def url(s, rest):
    return f"/staff/cases/{s.case.pk}/{rest}"


def redact_url(s, query=""):
    return url(s, f"testimonies/{s.testimony.pk}/redact/{query}")


def text(response) -> str:
    return html.unescape(response.content.decode())


def found(source, language):
    return {(f.entity, f.text(source)) for f in engine.propose(source, language)}


def opened(s, row):
    return redactions.open_redaction(s.worker.user, s.worker.secret, row)


def test_presidio_proposes_names_places_dates_phones_and_e_mails_in_french():
    assert found(FRENCH, "fr") == {("DATE_TIME", "12 mars 2023"), ("PERSON", "Ivan Petrov"), ("LOCATION", "Moscou"),
                                   ("PHONE_NUMBER", "+33 6 12 34 56 78"),
                                   ("EMAIL_ADDRESS", "ivan.petrov@example.org")}


@pytest.mark.parametrize("source, language, day, phone", [
    (RUSSIAN, "ru", "12 марта 2023", "+7 916 123-45-67"),
    (ENGLISH, "en-GB", "05/04/2023", "+44 20 7946 0958"),
])
def test_presidio_proposes_phones_e_mails_and_dates_in_russian_and_english(source, language, day, phone):
    assert found(source, language) == {("DATE_TIME", day), ("PHONE_NUMBER", phone),
                                       ("EMAIL_ADDRESS", "ivan@example.org")}


def test_the_analysis_downloads_nothing():
    engine.propose("Écrivez à ivan@example.org", "fr")  # the e-mail recogniser uses tldextract
    import tldextract.tldextract as t

    assert os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] == ""
    assert t.TLD_EXTRACTOR.suffix_list_urls == ()


def test_the_proposals_are_listed_ticked_for_a_person_to_confirm(s):
    page = text(sign_in(s.caseworker).get(redact_url(s)))
    boxes = re.findall(r'<input type="checkbox" name="(p\d+)"([^>]*)>', page)
    assert [name for name, _rest in boxes] == ["p0", "p1", "p2", "p3", "p4"]
    assert all("checked" in rest for _name, rest in boxes)
    for value in ("12 mars 2023", "Ivan Petrov", "Moscou", "+33 6 12 34 56 78", "ivan.petrov@example.org"):
        assert f"<strong>{value}</strong>" in page, value
    assert "Place" in page and "E-mail address" in page  # the kinds, in the reader's language
    assert AuditEvent.objects.get(action="redaction.proposed").details["proposed"] == 5


def test_the_person_unticks_a_proposal_and_adds_a_word_and_the_kept_version_says_what_went(s):
    ticked = {f"p{i}": "on" for i in (0, 1, 3, 4)}  # all but p2, Moscou
    response = sign_in(s.caseworker).post(redact_url(s), {**ticked, "words": "rouquin\n"})
    row = Redaction.objects.get()
    assert response.status_code == 302 and response["Location"] == url(s, f"redactions/{row.pk}/")
    redacted, applied = opened(s, row)
    assert redacted.startswith("Le [Date], [Nom] a été arrêté à Moscou par le [")
    assert "[Numéro de téléphone]" in redacted
    assert not [v for v in (*SECRETS, "rouquin", "ROUQUIN") if v in redacted]
    assert len(re.findall(r"\[[^\]]+\]", redacted)) == 6
    hand = [(a["start"], a["end"]) for a in applied if a["by"] == "person"]
    assert [FRENCH[start:end] for start, end in hand] == ["rouquin", "ROUQUIN"]
    assert [(a["entity"], FRENCH[a["start"]:a["end"]]) for a in applied if a["by"] == "proposed"] == [
        ("DATE_TIME", "12 mars 2023"), ("PERSON", "Ivan Petrov"), ("PHONE_NUMBER", "+33 6 12 34 56 78"),
        ("EMAIL_ADDRESS", "ivan.petrov@example.org")]
    assert {a["entity"] for a in applied if a["by"] == "person"} == {"CUSTOM"}
    assert (row.proposed, row.language, row.testimony, row.translation) == (5, "fr", s.testimony, None)
    assert AuditEvent.objects.get(action="redaction.made").details == {
        "redaction": str(row.pk), "testimony": str(s.testimony.pk), "proposed": 5, "kept": 4, "added": 2}


def test_a_french_text_is_redacted_with_french_labels_only(s):
    row = redactions.confirm(s.worker.user, s.worker.secret, s.case, s.testimony, chosen=[0, 1, 2, 3, 4],
                             words=["rouquin"])
    redacted, _applied = opened(s, row)
    english = [label for label in ("[Place]", "[E-mail address]", "[Redacted]") if label in redacted]
    assert english == [], f"untranslated placeholders in a French text: {english} ({redacted})"


def test_the_redacted_text_and_what_was_redacted_are_not_stored_in_the_clear(s):
    sign_in(s.caseworker).post(redact_url(s), {"p1": "on", "words": "rouquin"})
    assert Redaction.objects.count() == 1
    for clear in ("[Nom]", "CUSTOM", '"by"', "Petrov", "rouquin", "a tout vu"):
        assert tables_containing(clear) == [], clear


def test_nothing_ticked_and_no_word_added_is_refused_and_nothing_saved(s):
    page = text(sign_in(s.caseworker).post(redact_url(s), {"words": "  \n"}))
    assert "Nothing would be redacted: tick a proposal or add a word." in page
    assert Redaction.objects.count() == 0 and not AuditEvent.objects.filter(action="redaction.made").exists()


def test_a_forged_proposal_index_is_ignored(s):
    client = sign_in(s.caseworker)
    page = text(client.post(redact_url(s), {"p99": "on", "p-1": "on"}))
    assert "Nothing would be redacted" in page and Redaction.objects.count() == 0
    assert client.post(redact_url(s), {"p1": "on", "p99": "on"}).status_code == 302
    redacted, applied = opened(s, Redaction.objects.get())
    assert [(a["entity"], a["by"]) for a in applied] == [("PERSON", "proposed")]
    assert "Moscou" in redacted and "ivan.petrov@example.org" in redacted


def test_a_human_translation_can_be_redacted_in_its_own_language(s):
    ru = testimonies.record_testimony(s.worker.user, s.worker.secret, s.case, text=RUSSIAN, language="ru",
                                      taken_on=date(2024, 4, 2))
    tr = testimonies.add_translation(s.translator.user, s.translator.secret, s.case, ru, text=FRENCH,
                                     target_language="fr")
    s.testimony = ru
    client = sign_in(s.caseworker)
    page = text(client.get(redact_url(s, f"?from={tr.pk}")))
    assert "<strong>Ivan Petrov</strong>" in page and "+7 916" not in page
    assert client.post(redact_url(s, f"?from={tr.pk}"), {"p1": "on"}).status_code == 302
    row = Redaction.objects.get()
    assert (row.testimony, row.translation, row.language) == (ru, tr, "fr")
    assert "[Nom]" in opened(s, row)[0]


def test_the_pdf_of_a_redaction_holds_none_of_what_was_redacted(s):
    client = sign_in(s.caseworker)
    client.post(redact_url(s), {**{f"p{i}": "on" for i in range(5)}, "words": "rouquin"})
    row = Redaction.objects.get()
    response = client.post(url(s, f"redactions/{row.pk}/pdf/"))
    dossier = Dossier.objects.get()
    assert response["Location"] == url(s, f"dossiers/{dossier.pk}/")
    assert dossier.kind == "redacted_testimony"
    pdf = dossiers.read(s.worker.user, s.worker.secret, dossier)
    content = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "arrêté" in content and "[Nom]" in content
    assert not [v for v in (*SECRETS, "Moscou", "rouquin", "ROUQUIN", "Petrov", "example.org") if v in content]
    assert dossiers.inputs_of(s.worker.user, s.worker.secret, dossier) == {"redaction": str(row.pk)}


def test_a_member_without_a_consent_role_gets_403_and_a_non_member_404(s):
    row = redactions.confirm(s.worker.user, s.worker.secret, s.case, s.testimony, chosen=[1], words=[])
    shelter, outsider = sign_in(s.shelter), sign_in(s.outsider)
    for rest in (f"testimonies/{s.testimony.pk}/redact/", f"redactions/{row.pk}/"):
        assert shelter.get(url(s, rest)).status_code == 403, rest
        assert outsider.get(url(s, rest)).status_code == 404, rest
    assert shelter.post(redact_url(s), {"p0": "on"}).status_code == 403
    assert outsider.post(redact_url(s), {"p0": "on"}).status_code == 404
    for client, status in ((shelter, 403), (outsider, 404)):
        assert client.post(url(s, f"redactions/{row.pk}/pdf/")).status_code == status
    assert Redaction.objects.count() == 1 and Dossier.objects.count() == 0


def test_a_redaction_from_an_unknown_or_malformed_translation_is_404(org):
    worker = org.add("worker3", roles.CASEWORKER)
    case = make_case(org.coordinator, worker)
    testimony = testimonies.record_testimony(worker.user, worker.secret, case, text="x", language="fr",
                                             taken_on=date(2024, 1, 1))
    client = sign_in(worker)
    base = f"/staff/cases/{case.pk}/testimonies/{testimony.pk}/redact/"
    assert client.get(base + "?from=not-a-uuid").status_code == 404
    assert client.get(base + "?from=00000000-0000-0000-0000-000000000000").status_code == 404
