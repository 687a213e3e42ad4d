"""Disclosures: asking to send a dossier outside, the second coordinator's approval, share links
(limited, revocable, encrypted under a token the server never keeps), the disclosure log, and the
refusals: state bodies of a country fled, consents not in force, changed documents, who may not."""

import hashlib
import html
import io
import re
import zipfile
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone
from PIL import Image

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.cases.actions import documents, people, pipeline
from safepassage.cases.models import Approval, Case
from safepassage.dossiers.actions import disclosures, dossiers, redactions
from safepassage.dossiers.models import Disclosure, DisclosureItem, LinkDownload, ShareLink
from safepassage.evidence.actions import files, testimonies
from safepassage.evidence.models import CustodyEntry
from safepassage.lib import storage

from .conftest import sign_in
from .test_shelters_support import make_case, tables_containing

pytestmark = pytest.mark.django_db

RECIPIENT = "Consulat général de France, attention Mme Vrolikova"
STORY = "Ils m'ont arrêté à Zqvorsk et gardé trois jours."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def s(org):
    staff = {"coordinator2": org.add("coord2", roles.COORDINATOR), "caseworker": org.add("worker", roles.CASEWORKER),
             "caseworker2": org.add("worker2", roles.CASEWORKER), "shelter": org.add("sheltie", roles.SHELTER)}
    case = make_case(org.coordinator, *staff.values())
    staff.update(coordinator=org.coordinator, outsider=org.add("outsider", roles.COORDINATOR, roles.CASEWORKER))
    worker = staff["caseworker"]
    testimony = testimonies.record_testimony(worker.user, worker.secret, case, text=STORY, language="fr",
                                             taken_on=date(2024, 4, 2))
    consent = testimonies.record_consent(worker.user, worker.secret, case, testimony, purpose="dossier",
                                         given_on=date(2024, 4, 2))
    people.create_person(worker.user, worker.secret, case, role="applicant", name="Aslan Qvizbek")
    documents.add_document(worker.user, worker.secret, case, kind="international_passport", status="obtained",
                           reference="75 0000001")
    dossier = dossiers.make(worker.user, worker.secret, case, "visa", {
        "consulate": "Consulat de France", "place": "Paris", "date": "2024-04-10", "signatory": "Claire",
        "letterhead": "Harbour Aid", "testimony": str(testimony.pk), "translation": ""})
    return SimpleNamespace(case=case, testimony=testimony, consent=consent, dossier=dossier, worker=worker, **staff)


def url(s, rest=""):
    return f"/staff/cases/{s.case.pk}/{rest}"


def text(response) -> str:
    return html.unescape(response.content.decode())


BASE = {"recipient": RECIPIENT, "recipient_kind": "consulate", "recipient_country": "FR", "purpose": "dossier"}


def form(s, **changes) -> dict:
    data = {**BASE, "consent": str(s.consent.pk), "dossiers": [str(s.dossier.pk)], **changes}
    return {k: v for k, v in data.items() if v is not None}


def ask(s, **kwargs) -> Disclosure:
    return disclosures.request(s.worker.user, s.worker.secret, s.case, **{
        **BASE, "consent": s.consent, "dossiers": [s.dossier], **kwargs})


def approved(s, **kwargs) -> Disclosure:
    disclosure = ask(s, **kwargs)
    pipeline.decide(s.coordinator2.user, s.coordinator2.secret, disclosure.approval, True)
    return disclosure


def link(s, disclosure, **kwargs):
    return disclosures.create_link(s.worker.user, s.worker.secret, disclosure, **kwargs)


def sent(s, **kwargs):
    """An approved disclosure with one link: (disclosure, link, token)."""
    disclosure = approved(s)
    return (disclosure, *link(s, disclosure, **kwargs))


def png(colour=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(out, format="PNG")
    return SimpleUploadedFile("photo-Qzxv.png", out.getvalue(), content_type="image/png")


def nothing_saved():
    return not Disclosure.objects.exists() and not Approval.objects.exists()


def test_a_dossier_reaches_a_french_consulate_once_a_second_coordinator_approves(s):
    worker = sign_in(s.caseworker)
    response = worker.post(url(s, "disclosures/new/"), form(s))
    disclosure = Disclosure.objects.get()
    page = url(s, f"disclosures/{disclosure.pk}/")
    assert response.status_code == 302 and response["Location"] == page
    assert "Waiting for a second coordinator" in text(worker.get(page))
    assert worker.post(page, {"days": "2", "max_downloads": "2"}).status_code == 200
    assert ShareLink.objects.count() == 0  # not yet: see the next test for what the page says
    decide = url(s, f"approvals/{disclosure.approval.pk}/decide/")
    assert worker.post(decide, {"decision": "approve"}).status_code == 403
    assert sign_in(s.caseworker2).post(decide, {"decision": "approve"}).status_code == 403
    assert Approval.objects.get().status == "pending"
    second = sign_in(s.coordinator2)
    assert "Approve this disclosure" in text(second.get(page))
    assert second.post(decide, {"decision": "approve"})["Location"] == page
    made = text(worker.post(page, {"days": "2", "max_downloads": "2"}))
    found = re.search(r"http://testserver/l/([\w-]+)/", made)
    assert found and "It is shown only once" in made
    token = found.group(1)
    assert token not in text(worker.get(page))
    recipient = Client()
    expected = dossiers.fingerprint(s.worker.user, s.worker.secret, s.dossier)
    for _ in range(2):
        download = recipient.get(f"/l/{token}/download/")
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        assert hashlib.sha256(download.content).hexdigest() == expected
    third = recipient.get(f"/l/{token}/download/")
    assert third.status_code == 410 and "downloaded as many times as allowed" in text(third)
    assert not storage.path("links", ShareLink.objects.get().pk, "orig").exists()  # used up: deleted
    assert LinkDownload.objects.filter(link__disclosure=disclosure).count() == 2
    assert AuditEvent.objects.filter(action="disclosure.downloaded").count() == 2


def test_before_approval_asking_for_a_link_says_why_none_is_made(s):
    disclosure = ask(s)
    page = text(sign_in(s.caseworker).post(url(s, f"disclosures/{disclosure.pk}/"),
                                           {"days": "2", "max_downloads": "2"}))
    assert ShareLink.objects.count() == 0
    assert "A second coordinator must approve this disclosure first." in page


def test_the_log_says_to_whom_why_on_which_consent_what_who_approved_and_every_link(s):
    disclosure, share, token = sent(s, days=2, max_downloads=5)
    Client().get(f"/l/{token}/download/")
    item, real = DisclosureItem.objects.get(), hashlib.sha256(dossiers.read(
        s.worker.user, s.worker.secret, s.dossier)).hexdigest()
    assert (item.disclosure, item.dossier, item.size) == (disclosure, s.dossier, s.dossier.size)
    disclosure.refresh_from_db()
    assert (disclosure.recipient_kind, disclosure.recipient_country, disclosure.purpose, disclosure.consent,
            disclosure.requested_by) == ("consulate", "FR", "dossier", s.consent, s.caseworker.user)
    assert (disclosure.approval.decided_by, disclosure.approval.status) == (s.coordinator2.user, "approved")
    page = text(sign_in(s.coordinator).get(url(s, "disclosures/")))
    today = f"{timezone.localdate():%d %b %Y}".lstrip("0")
    for shown in (RECIPIENT, "Consulate or embassy, FR", "Visa or asylum dossier", "consent of 2 Apr 2024", real,
                  s.dossier.short_ref, "Worker", "Coord2, " + today, share.short_ref + "</span> 1/5"):
        assert shown in page, shown
    assert AuditEvent.objects.filter(action="disclosure.log_read").count() == 1


def test_audit_events_carry_ids_and_codes_and_the_recipient_is_never_in_the_clear(s):
    disclosure, share, token = sent(s)
    Client().get(f"/l/{token}/download/")
    d, ids = str(disclosure.pk), {"disclosure": str(disclosure.pk), "link": str(share.pk)}
    assert {a: AuditEvent.objects.get(action=a).details for a in (
        "disclosure.requested", "approval.granted", "disclosure.approved", "disclosure.link_created",
        "disclosure.downloaded")} == {
        "disclosure.requested": {"disclosure": d, "kind": "consulate", "country": "FR", "purpose": "dossier",
                                 "consent": str(s.consent.pk), "items": [str(s.dossier.pk)]},
        "approval.granted": {"kind": "export", "target": d, "requested_by": str(s.caseworker.user.uuid)},
        "disclosure.approved": {"disclosure": d},
        "disclosure.link_created": {**ids, "days": 7, "max_downloads": 3},
        "disclosure.downloaded": {**ids, "download": 1}}
    assert not [e for e in AuditEvent.objects.all() if "Vrolikova" in str(e.details)]
    assert tables_containing("Vrolikova") == []


@pytest.mark.parametrize("kind", ["consulate", "police", "court", "government"])
def test_a_state_body_of_the_country_fled_is_refused_outright_and_the_attempt_kept(s, kind):
    page = text(sign_in(s.caseworker).post(url(s, "disclosures/new/"), form(s, recipient_kind=kind,
                                                                           recipient_country="RU")))
    assert "Refused: nothing is ever sent to the authorities of a country" in page
    assert nothing_saved()
    assert AuditEvent.objects.get(action="disclosure.blocked").details == {"kind": kind, "country": "RU"}


@pytest.mark.parametrize("kind, country", [("partner", "FR"), ("lawyer", "DE"), ("consulate", "FR")])
def test_ticking_that_the_recipient_is_an_authority_of_the_country_fled_blocks_anything(s, kind, country):
    data = form(s, recipient_kind=kind, recipient_country=country, origin_authority="on")
    assert "Refused: nothing is ever sent" in text(sign_in(s.caseworker).post(url(s, "disclosures/new/"), data))
    assert nothing_saved() and AuditEvent.objects.filter(action="disclosure.blocked").count() == 1


def test_the_countries_people_flee_come_from_the_settings(s):
    ask(s, recipient_country="BY")  # not blocked by default
    with override_settings(ORIGIN_COUNTRIES="RU,BY"):
        with pytest.raises(ValidationError, match="Refused"):
            ask(s, recipient_country="BY")
    assert Disclosure.objects.count() == 1


def test_a_partner_organisation_in_the_country_fled_needs_a_confirmation_that_it_is_no_authority(s):
    client = sign_in(s.caseworker)
    page = text(client.post(url(s, "disclosures/new/"), form(s, recipient_kind="partner", recipient_country="RU")))
    assert "Confirm that it is not, and does not work for, any authority of that country." in page
    assert not Disclosure.objects.exists()
    response = client.post(url(s, "disclosures/new/"), form(s, recipient_kind="partner", recipient_country="RU",
                                                            not_an_authority="on"))
    assert response.status_code == 302
    assert Disclosure.objects.get().recipient_country == "RU"
    assert not AuditEvent.objects.filter(action="disclosure.blocked").exists()
    review = text(sign_in(s.coordinator2).get(response["Location"]))
    assert "Careful: this recipient is in RU" in review  # the approver is warned too


def test_bad_requests_are_refused_with_their_message_and_nothing_saved(s):
    worker = s.worker
    other = testimonies.record_consent(worker.user, worker.secret, s.case, s.testimony, purpose="investigators",
                                       given_on=date(2024, 4, 2))
    client = sign_in(s.caseworker)
    for changes, message in [
        ({"consent": None}, "This field is required."),
        ({"consent": str(other.pk)}, "Choose the person's consent for this purpose."),
        ({"dossiers": None}, "Choose at least one document to send."),
        ({"recipient_country": "F1"}, "Give the recipient's country as two letters, e.g. FR."),
        ({"recipient_country": "FRA"}, "Ensure this value has at most 2 characters"),
    ]:
        response = client.post(url(s, "disclosures/new/"), form(s, **changes))
        assert response.status_code == 200 and message in text(response), changes
    assert nothing_saved()


def test_a_withdrawn_consent_cannot_be_relied_on(s):
    testimonies.withdraw_consent(s.worker.user, s.case, s.consent, withdrawn_on=date(2024, 5, 1))
    s.consent.refresh_from_db()
    page = text(sign_in(s.caseworker).post(url(s, "disclosures/new/"), form(s)))
    assert "Select a valid choice" in page  # a withdrawn consent is not offered at all
    with pytest.raises(ValidationError, match="This consent is not in force"):
        ask(s)
    assert nothing_saved()


def test_nothing_leaves_a_case_suspected_of_infiltration(s):
    Case.objects.filter(pk=s.case.pk).update(state="suspected_infiltration")
    page = text(sign_in(s.caseworker).post(url(s, "disclosures/new/"), form(s)))
    assert "Disclosure is frozen while this case is suspected of infiltration." in page
    assert nothing_saved()


def test_a_consent_withdrawn_after_the_request_stops_the_approval(s):
    disclosure = ask(s)
    testimonies.withdraw_consent(s.worker.user, s.case, s.consent)
    response = sign_in(s.coordinator2).post(url(s, f"approvals/{disclosure.approval.pk}/decide/"),
                                            {"decision": "approve"}, follow=True)
    assert "The consent this disclosure relies on is no longer in force." in text(response)
    assert Approval.objects.get().status == "pending"
    assert not AuditEvent.objects.filter(action__in=["approval.granted", "disclosure.approved"]).exists()


def test_a_consent_withdrawn_after_approval_stops_new_links(s):
    disclosure = approved(s)
    testimonies.withdraw_consent(s.worker.user, s.case, s.consent)
    page = text(sign_in(s.caseworker).post(url(s, f"disclosures/{disclosure.pk}/"),
                                           {"days": "2", "max_downloads": "2"}))
    assert "The consent this disclosure relies on is no longer in force." in page
    assert ShareLink.objects.count() == 0


@pytest.mark.parametrize("stop", ["consent withdrawn", "infiltration suspected"])
def test_an_open_link_stops_at_once_when_the_consent_goes_or_infiltration_is_suspected(s, stop):
    _d, share, token = sent(s)
    assert Client().get(f"/l/{token}/").status_code == 200
    if stop == "consent withdrawn":
        testimonies.withdraw_consent(s.worker.user, s.case, s.consent)
    else:
        Case.objects.filter(pk=s.case.pk).update(state="suspected_infiltration")
    response = Client().get(f"/l/{token}/download/")
    assert response.status_code == 410 and "It was withdrawn." in text(response)
    assert not storage.path("links", share.pk, "orig").exists()


def test_an_expired_link_answers_410_and_what_it_held_is_deleted(s):
    _d, share, token = sent(s)
    stored = storage.path("links", share.pk, "orig")
    ShareLink.objects.filter(pk=share.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(f"/l/{token}/")
    assert response.status_code == 410 and "It has expired." in text(response)
    assert not stored.exists()
    assert Client().get(f"/l/{token}/download/").status_code == 410


def test_a_revoked_link_answers_410_and_what_it_held_is_deleted(s):
    disclosure, share, token = sent(s)
    client = sign_in(s.caseworker)
    revoke = url(s, f"links/{share.pk}/revoke/")
    assert f'href="/staff/cases/{s.case.pk}/links/{share.pk}/revoke/"' in text(
        client.get(url(s, f"disclosures/{disclosure.pk}/")))
    assert "Revoke this link?" in text(client.get(revoke))
    assert storage.path("links", share.pk, "orig").exists()  # a GET only asks
    assert client.post(revoke)["Location"] == url(s, f"disclosures/{disclosure.pk}/")
    share.refresh_from_db()
    assert (share.revoked_by, disclosures.state(share)) == (s.caseworker.user, "revoked")
    assert not storage.path("links", share.pk, "orig").exists()
    response = Client().get(f"/l/{token}/download/")
    assert response.status_code == 410 and "It was withdrawn." in text(response)


def test_an_unknown_token_answers_404(s):
    sent(s)
    assert [Client().get(f"/l/not-a-token{rest}/").status_code for rest in ("", "/download")] == [404, 404]


def test_the_token_is_kept_nowhere_and_what_the_link_holds_is_encrypted(s):
    _d, share, token = sent(s)
    assert share.lookup == hashlib.sha256(token.encode()).hexdigest()
    blob, pdf = storage.read("links", share.pk, "orig"), dossiers.read(s.worker.user, s.worker.secret, s.dossier)
    assert pdf not in blob and b"%PDF" not in blob and pdf[200:264] not in blob
    assert Client().get(f"/l/{token}/download/").content == pdf
    assert tables_containing(token) == []  # nor did the download leave it anywhere


def test_purge_expired_deletes_what_expired_links_hold(s):
    disclosure, old, _token = sent(s)
    fresh, _other = link(s, disclosure)
    ShareLink.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert disclosures.purge_expired() == 1
    assert not storage.path("links", old.pk, "orig").exists()
    assert storage.path("links", fresh.pk, "orig").exists()
    assert ShareLink.objects.count() == 2  # the rows stay, for the log
    assert disclosures.purge_expired() == 0


def test_links_last_at_most_30_days_and_20_downloads(s):
    disclosure = approved(s)
    client = sign_in(s.caseworker)
    page = text(client.post(url(s, f"disclosures/{disclosure.pk}/"), {"days": "31", "max_downloads": "21"}))
    assert "less than or equal to 30" in page and "less than or equal to 20" in page
    assert ShareLink.objects.count() == 0
    with pytest.raises(ValidationError, match="from 1 to 30 days"):
        link(s, disclosure, days=31, max_downloads=21)  # the action refuses too, not only the form
    assert link(s, disclosure, days=30, max_downloads=20)[0].max_downloads == 20


def test_an_evidence_file_goes_in_a_zip_with_a_manifest_and_its_custody_log_says_exported(s):
    photo = files.ingest(s.worker.user, s.worker.secret, case=s.case, upload=png())
    disclosure = approved(s, evidence_files=[photo])
    _share, token = link(s, disclosure)
    response = Client().get(f"/l/{token}/download/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert names == ["MANIFEST.txt", f"dossier-{s.dossier.short_ref}.pdf", f"piece-{photo.short_ref}.png"]
    manifest = archive.read("MANIFEST.txt").decode()
    working = files.open_file(s.worker.user, s.worker.secret, photo).working_sha256
    for name in names[1:]:
        assert f"{name}  sha256 {hashlib.sha256(archive.read(name)).hexdigest()}" in manifest
    assert working in manifest
    assert hashlib.sha256(archive.read(names[1])).hexdigest() == dossiers.fingerprint(
        s.worker.user, s.worker.secret, s.dossier)
    exported = CustodyEntry.objects.get(file=photo, action="exported")
    assert exported.actor == s.caseworker.user and exported.details["purpose"] == "disclosure"


def test_a_document_changed_after_approval_is_not_sent(s):
    photo = files.ingest(s.worker.user, s.worker.secret, case=s.case, upload=png())
    disclosure = approved(s, evidence_files=[photo])
    files.replace_working(s.worker.user, s.worker.secret, photo, upload=png((10, 200, 10)))
    page = text(sign_in(s.caseworker).post(url(s, f"disclosures/{disclosure.pk}/"),
                                           {"days": "2", "max_downloads": "2"}))
    assert "A document changed since this disclosure was approved" in page
    assert ShareLink.objects.count() == 0 and not list(storage.path("links", "x", "orig").parent.glob("*"))
    assert not CustodyEntry.objects.filter(file=photo, action="exported").exists()


def test_non_members_get_404_on_every_disclosure_url(s):
    disclosure, share, _token = sent(s)
    outsider = sign_in(s.outsider)
    for rest in ("disclosures/", "disclosures/new/", f"disclosures/{disclosure.pk}/", f"links/{share.pk}/revoke/"):
        assert outsider.get(url(s, rest)).status_code == 404, rest
        assert outsider.post(url(s, rest), form(s)).status_code == 404, rest
    other = ask(s)
    assert outsider.post(url(s, f"approvals/{other.approval.pk}/decide/"),
                         {"decision": "approve"}).status_code == 404
    assert Approval.objects.get(pk=other.approval.pk).status == "pending"
    assert ShareLink.objects.get().revoked_at is None and ShareLink.objects.count() == 1


def test_a_shelter_coordinator_reads_the_log_but_cannot_ask_to_send(s):
    disclosure = ask(s)
    shelter = sign_in(s.shelter)
    assert RECIPIENT in text(shelter.get(url(s, "disclosures/")))
    assert shelter.get(url(s, f"disclosures/{disclosure.pk}/")).status_code == 200
    assert shelter.get(url(s, "disclosures/new/")).status_code == 403
    assert shelter.post(url(s, "disclosures/new/"), form(s)).status_code == 403
    assert Disclosure.objects.count() == 1


def test_a_dossier_goes_only_on_a_consent_of_the_person_whose_testimony_it_holds(s):
    """A redacted testimony of one person cannot be sent on another testimony's consent, and its
    link stops when its own person withdraws."""
    worker = s.worker
    other = testimonies.record_testimony(worker.user, worker.secret, s.case, text="autre", language="fr",
                                         taken_on=date(2024, 4, 3))
    other_consent = testimonies.record_consent(worker.user, worker.secret, s.case, other, purpose="advocacy",
                                               given_on=date(2024, 4, 3))
    redaction = redactions.confirm(worker.user, worker.secret, s.case, s.testimony, chosen=[], words=["Zqvorsk"])
    redacted = dossiers.make_redacted(worker.user, worker.secret, s.case, redaction)
    with pytest.raises(ValidationError, match="no consent in force for this purpose"):
        ask(s, purpose="advocacy", consent=other_consent, dossiers=[redacted], recipient_kind="media")
    with pytest.raises(ValidationError, match="cannot be sent for this purpose"):
        ask(s, dossiers=[redacted])  # a redacted testimony is not a visa or asylum dossier
    own = testimonies.record_consent(worker.user, worker.secret, s.case, s.testimony, purpose="advocacy",
                                     given_on=date(2024, 4, 2))
    disclosure = approved(s, purpose="advocacy", consent=other_consent, dossiers=[redacted], recipient_kind="media")
    _link, token = link(s, disclosure)
    testimonies.withdraw_consent(worker.user, s.case, own)
    assert Client().get(f"/l/{token}/download/").status_code == 410


def test_a_link_stopped_by_a_suspicion_of_infiltration_stays_stopped_once_it_is_lifted(s):
    _d, share, token = sent(s)
    pipeline.change_state(s.coordinator.user, s.case, "suspected_infiltration")
    share.refresh_from_db()
    assert share.revoked_at is not None  # stopped the moment the case was flagged
    assert AuditEvent.objects.filter(action="disclosure.links_stopped").exists()
    Case.objects.filter(pk=s.case.pk).update(state="accepted")  # the suspicion lifted
    for path in (f"/l/{token}/", f"/l/{token}/download/"):
        assert Client().get(path).status_code == 410


def test_a_country_added_to_those_people_flee_stops_what_was_asked_and_approved_before(s):
    asked = ask(s, recipient_country="BY")
    with override_settings(ORIGIN_COUNTRIES="RU,BY"), pytest.raises(ValidationError, match="Refused"):
        pipeline.decide(s.coordinator2.user, s.coordinator2.secret, asked.approval, True)
    assert Approval.objects.get(pk=asked.approval.pk).status == "pending"


def test_no_redacted_pdf_is_made_while_infiltration_is_suspected(s):
    redaction = redactions.confirm(s.worker.user, s.worker.secret, s.case, s.testimony, chosen=[], words=["Zqvorsk"])
    Case.objects.filter(pk=s.case.pk).update(state="suspected_infiltration")
    s.case.refresh_from_db()
    with pytest.raises(ValidationError, match="frozen"):
        dossiers.make_redacted(s.worker.user, s.worker.secret, s.case, redaction)
