"""French visa dossiers and asylum support packs: made through the staff form, in French whatever
the user's language, reproducible byte for byte, refused with everything that is missing, audited,
kept encrypted, reachable only by the case's dossier makers, and erased with the case."""

import hashlib
import html
import io
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image
from pypdf import PdfReader

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.cases.actions import core as case_actions
from safepassage.cases.actions import documents, events, people
from safepassage.cases.models import Case, Document, Person
from safepassage.dossiers.actions import dossiers
from safepassage.dossiers.models import Dossier
from safepassage.evidence.actions import files, testimonies
from safepassage.evidence.models import Consent
from safepassage.lib import storage

from .conftest import PASSWORD, erase_with_two_coordinators, sign_in
from .test_shelters_support import make_case, tables_containing
from .test_testimonies import FAKE

pytestmark = pytest.mark.django_db

NAME = "Ахмед Исмаилов (Akhmed Ismailov)"
PHONE = "+7 912 555 01 99"
NOTES = "Hides at his cousin's flat on Qzxlane"
PASSPORT = "75 4419302"
STORY = "Меня задержали на блокпосту возле Зкворска"
FRENCH = "J'ai été détenu à Zqvorsk ; mon frère m'a reçu après, ça a duré trois jours."
CONSULATE = "Consulat général de France à Moscou\n45 rue Bolchaïa Iakimanka"
LETTERHEAD = "Association Passage Sûr\n12 rue des Lilas, 75011 Paris"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class World:
    staff: dict
    case: Case
    testimony: object
    translation: object
    png: bytes


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def w(org) -> World:
    """A case with all a visa dossier needs: applicant, passport, a Russian testimony with a dossier
    consent and a French translation by a person, and one evidence photo."""
    staff = {"coordinator": org.coordinator, "caseworker": org.add("worker", roles.CASEWORKER),
             "translator": org.add("interp", roles.TRANSLATOR), "shelter": org.add("sheltie", roles.SHELTER),
             "outsider": org.add("outsider", roles.COORDINATOR, roles.CASEWORKER)}
    case = make_case(staff["coordinator"], staff["caseworker"], staff["translator"], staff["shelter"])
    worker, interp = staff["caseworker"], staff["translator"]
    people.create_person(worker.user, worker.secret, case, role="applicant", name=NAME, phone=PHONE,
                         birth_date=date(1990, 3, 14), notes=NOTES)
    documents.add_document(worker.user, worker.secret, case, kind="international_passport", status="obtained",
                           reference=PASSPORT)
    testimony = say(worker, case)
    testimonies.record_consent(worker.user, worker.secret, case, testimony, purpose="dossier",
                               given_on=date(2024, 4, 3))
    tr = testimonies.add_translation(interp.user, interp.secret, case, testimony, text=FRENCH, target_language="fr")
    photo = png()
    files.ingest(worker.user, worker.secret, case=case, upload=SimpleUploadedFile("p.png", photo),
                 description="Photo des blessures")
    return World(staff, case, testimony, tr, photo)


def say(staff, case, text=STORY, language="ru"):
    return testimonies.record_testimony(staff.user, staff.secret, case, text=text, language=language,
                                        taken_on=date(2024, 4, 2))


def visa(w: World, **changes) -> dict:
    return {"consulate": CONSULATE, "place": "Paris", "date": "2017-05-10", "signatory": "Marie Dupont",
            "signatory_title": "Présidente", "letterhead": LETTERHEAD, "testimony": str(w.testimony.pk),
            "translation": str(w.translation.pk), "nationality": "russe", "reason": "", **changes}


def pack(w: World, **changes) -> dict:
    return {"testimony": str(w.testimony.pk), "translation": str(w.translation.pk), "nationality": "russe",
            "date": "2024-05-10", **changes}


def new(case, kind="visa") -> str:
    return f"/staff/cases/{case.pk}/dossiers/new/{kind}/"


def made(client, case, data, kind="visa", **headers) -> Dossier:
    response = client.post(new(case, kind), data, **headers)
    assert response.status_code == 302, html.unescape(response.content.decode())[-3000:]
    dossier = Dossier.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert response["Location"] == f"/staff/cases/{case.pk}/dossiers/{dossier.pk}/"
    return dossier


def pdf_of(client, dossier) -> bytes:
    response = client.get(f"/staff/cases/{dossier.case_id}/dossiers/{dossier.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def text(data: bytes) -> str:
    """The PDF's text with its line breaks and runs of spaces folded into single spaces."""
    return " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def refused(client, case, data, *messages):
    response = client.post(new(case), data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    for message in messages:
        assert message in page, message
    assert Dossier.objects.count() == 0


# The visa dossier

def test_a_caseworker_makes_a_visa_dossier_in_french_with_everything_a_consulate_reads(w):
    client = sign_in(w.staff["caseworker"])
    data = pdf_of(client, made(client, w.case, visa(w)))
    content = text(data)
    for expected in ("Consulat général de France à Moscou", "45 rue Bolchaïa Iakimanka", "Marie Dupont",
                     "Présidente", "Association Passage Sûr", "Paris, le 10 mai 2017",
                     "Objet : demande de visa", NAME, "né(e) le 14 mars 1990", f"n° {PASSPORT}", FRENCH,
                     "Passeport international en cours de validité Obtenu", "1 entrée"):
        assert expected in content, expected
    assert "Ахмед Исмаилов" in content  # Cyrillic comes out intact: the fonts carry it
    assert hashlib.sha256(w.png).hexdigest() in "".join(content.split())  # the hash may wrap in its cell


def test_the_visa_dossier_never_holds_the_phone_notes_or_staff_secrets(w):
    client = sign_in(w.staff["caseworker"])
    content = text(pdf_of(client, made(client, w.case, visa(w))))
    for absent in (PHONE, "912 555", "Qzxlane", "cousin", PASSWORD):
        assert absent not in content, absent


def test_the_pdf_embeds_dejavu_fonts(w):
    client = sign_in(w.staff["caseworker"])
    reader = PdfReader(io.BytesIO(pdf_of(client, made(client, w.case, visa(w)))))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [str(fonts[name].get_object()["/BaseFont"]) for name in fonts]
    assert names and all("DejaVu" in name for name in names), names


def test_the_same_inputs_make_byte_identical_dossiers(w):
    worker = w.staff["caseworker"]
    client = sign_in(worker)
    first, second = made(client, w.case, visa(w)), made(client, w.case, visa(w))
    assert first.pk != second.pk
    assert dossiers.read(worker.user, worker.secret, first) == dossiers.read(worker.user, worker.secret, second)
    assert dossiers.fingerprint(worker.user, worker.secret, first) == dossiers.fingerprint(
        worker.user, worker.secret, second)


# Refusals: each lists what is missing, and nothing is saved

def test_a_dossier_without_an_applicant_is_refused(w):
    Person.objects.filter(case=w.case).delete()
    refused(sign_in(w.staff["caseworker"]), w.case, visa(w), "Record the applicant under People")


def test_a_dossier_without_a_chosen_testimony_is_refused(w):
    refused(sign_in(w.staff["caseworker"]), w.case, visa(w, testimony="", translation=""),
            "Choose the testimony the account comes from.")


def test_a_testimony_without_a_dossier_consent_is_refused(w):
    worker = w.staff["caseworker"]
    french = say(worker, w.case, text="Témoignage recueilli en français.", language="fr")
    testimonies.record_consent(worker.user, worker.secret, w.case, french, purpose="advocacy",
                               given_on=date(2024, 4, 3))
    refused(sign_in(worker), w.case, visa(w, testimony=str(french.pk), translation=""),
            "The person has not consented to the use of this testimony in a visa or asylum dossier")


def test_a_withdrawn_consent_is_refused(w):
    worker = w.staff["caseworker"]
    testimonies.withdraw_consent(worker.user, w.case, Consent.objects.get(), withdrawn_on=date(2024, 5, 1))
    refused(sign_in(worker), w.case, visa(w), "has not consented", "(or withdrew it)")


def test_a_russian_testimony_without_a_french_translation_is_refused(w):
    worker = w.staff["caseworker"]
    other = say(worker, w.case)
    testimonies.record_consent(worker.user, worker.secret, w.case, other, purpose="dossier",
                               given_on=date(2024, 4, 3))
    refused(sign_in(worker), w.case, visa(w, testimony=str(other.pk), translation=""),
            "The account must be in French: add a French translation made by a person")


@override_settings(EVIDENCE_MACHINE_TRANSLATOR=FAKE)
def test_a_machine_translation_is_never_offered_nor_enough(w):
    worker, interp = w.staff["caseworker"], w.staff["translator"]
    other = say(worker, w.case)
    testimonies.record_consent(worker.user, worker.secret, w.case, other, purpose="dossier",
                               given_on=date(2024, 4, 3))
    machine = testimonies.machine_translate(interp.user, interp.secret, w.case, other, target_language="fr")
    client = sign_in(worker)
    assert str(machine.pk) not in client.get(new(w.case)).content.decode()
    refused(client, w.case, visa(w, testimony=str(other.pk), translation=""),
            "(a machine translation is not enough)")
    with pytest.raises(dossiers.Incomplete):  # even if its id is sent past the form
        dossiers.make(worker.user, worker.secret, w.case, "visa", visa(w, testimony=str(other.pk),
                                                                       translation=str(machine.pk)))
    assert Dossier.objects.count() == 0


def test_a_visa_dossier_without_a_passport_in_the_register_is_refused(w):
    worker = w.staff["caseworker"]
    documents.delete_document(worker.user, w.case, Document.objects.get())
    refused(sign_in(worker), w.case, visa(w), "Record the international passport in the documents register")


def test_a_visa_dossier_with_an_expired_passport_is_refused(w):
    from safepassage.cases.models import Document

    Document.objects.filter(case=w.case, kind="international_passport").update(expires_on=date(2017, 1, 1))
    refused(sign_in(w.staff["caseworker"]), w.case, visa(w), "The international passport expired on 2017-01-01")


def test_the_letter_fields_left_empty_are_listed_together(w):
    refused(sign_in(w.staff["caseworker"]), w.case, visa(w, consulate=" ", place="", signatory="", letterhead=""),
            *(str(message) for message in dossiers.VISA_REQUIRED.values()))


def test_nothing_is_made_while_infiltration_is_suspected(w):
    Case.objects.filter(pk=w.case.pk).update(state="suspected_infiltration")
    refused(sign_in(w.staff["caseworker"]), w.case, visa(w),
            "Disclosure is frozen while this case is suspected of infiltration.")


# The asylum support pack

def test_the_asylum_pack_outlines_the_ofpra_account_and_lists_the_guda_papers(w):
    client = sign_in(w.staff["caseworker"])
    content = text(pdf_of(client, made(client, w.case, pack(w), kind="asylum_pack")))
    for expected in ("Dossier d'accompagnement de la demande d'asile", "Plan du récit pour l'OFPRA",
                     "Ce qui m'est arrivé", "Mes craintes en cas de retour", FRENCH, "Ахмед Исмаилов",
                     "Formulaire de demande d'asile de l'OFPRA, signé", "Passeport ou documents d'identité"):
        assert expected in content, expected
    assert "Aucun événement daté n'est encore enregistré" in content


def test_the_asylum_pack_computes_the_deadline_from_the_guda_registration(w):
    worker = w.staff["caseworker"]
    events.record_event(worker.user, w.case, "guda_registration", date(2024, 3, 4))
    client = sign_in(worker)
    content = text(pdf_of(client, made(client, w.case, pack(w), kind="asylum_pack")))
    assert "Introduire la demande d'asile complète auprès de l'OFPRA" in content
    assert "lundi 25 mars 2024" in content  # 21 days after 4 March 2024
    assert "Aucun événement daté" not in content


def test_the_asylum_pack_checklist_gives_the_french_account_a_real_state(w):
    """The pack carries the French account (its section 1.2) and the register has a kind for it
    ("recit_french"): the checklist line must say one or the other, not "non enregistrée"."""
    worker = w.staff["caseworker"]
    documents.add_document(worker.user, worker.secret, w.case, kind="recit_french", status="obtained")
    client = sign_in(worker)
    content = text(pdf_of(client, made(client, w.case, pack(w), kind="asylum_pack")))
    state = content.split("Récit en français, joint au formulaire ")[1]
    assert state.startswith(("Obtenu", "dans le présent dossier")), state[:40]


# Audit and encryption

def test_making_and_reading_a_dossier_are_audited_without_names(w):
    worker = w.staff["caseworker"]
    client = sign_in(worker)
    dossier = made(client, w.case, visa(w))
    event = AuditEvent.objects.get(action="dossier.made")
    assert event.details == {"dossier": str(dossier.pk), "kind": "visa", "pages": dossier.pages,
                             "size": dossier.size}
    assert not AuditEvent.objects.filter(action="dossier.read").exists()
    assert client.get(f"/staff/cases/{w.case.pk}/dossiers/{dossier.pk}/").status_code == 200
    assert not AuditEvent.objects.filter(action="dossier.read").exists()  # its page does not open it
    pdf_of(client, dossier)
    read = AuditEvent.objects.get(action="dossier.read")
    assert (read.actor, read.details) == (str(worker.user.uuid), {"dossier": str(dossier.pk)})
    for row in AuditEvent.objects.all():
        assert "Akhmed" not in str(row.details) and "Ахмед" not in str(row.details)


def test_the_inputs_and_the_pdf_are_never_stored_in_the_clear(w, media):
    client = sign_in(w.staff["caseworker"])
    dossier = made(client, w.case, visa(w))
    assert tables_containing("Bolchaïa Iakimanka") == []
    assert tables_containing("Zqvorsk") == []
    on_disk = storage.path("dossiers", dossier.pk, "orig")
    assert on_disk.is_relative_to(media / "dossiers")
    blob = on_disk.read_bytes()
    assert b"%PDF" not in blob and FRENCH.encode() not in blob and b"Zqvorsk" not in blob


# Who, and in which language

def test_a_shelter_coordinator_on_the_case_may_not_make_a_dossier(w):
    client = sign_in(w.staff["shelter"])
    assert client.get(new(w.case)).status_code == 403
    assert client.post(new(w.case), visa(w)).status_code == 403
    assert Dossier.objects.count() == 0


def test_a_non_member_gets_404_on_a_dossier_and_its_pdf(w):
    dossier = made(sign_in(w.staff["caseworker"]), w.case, visa(w))
    outsider = sign_in(w.staff["outsider"])
    for rest in ("", "pdf/"):
        assert outsider.get(f"/staff/cases/{w.case.pk}/dossiers/{dossier.pk}/{rest}").status_code == 404
    assert outsider.get(new(w.case)).status_code == 404
    assert not AuditEvent.objects.filter(action="dossier.read").exists()


def test_the_form_speaks_the_users_language_but_the_pdf_stays_french(w):
    client = sign_in(w.staff["caseworker"])
    form = client.get(new(w.case), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru">' in form and "Мои дела" in form
    dossier = made(client, w.case, visa(w), HTTP_ACCEPT_LANGUAGE="ru")
    content = text(pdf_of(client, dossier))
    assert "Objet : demande de visa" in content and "10 mai 2017" in content and "Obtenu" in content


# Erasure

def test_erasing_the_case_deletes_its_dossiers_and_their_files(w, org):
    second = org.add("coord2", roles.COORDINATOR)
    coordinator = w.staff["coordinator"]
    case_actions.add_member(coordinator.user, coordinator.secret, w.case, second.user)
    dossier = made(sign_in(w.staff["caseworker"]), w.case, visa(w))
    on_disk = storage.path("dossiers", dossier.pk, "orig")
    assert on_disk.exists()
    erase_with_two_coordinators(sign_in(coordinator), sign_in(second), w.case)
    assert Dossier.objects.count() == 0
    assert not on_disk.exists()
