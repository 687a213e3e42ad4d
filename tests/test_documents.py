"""The documents register of a case: members add, change and remove entries; numbers and notes
are sealed; expired and soon-expiring documents stand out; bad dates are refused clearly."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Document

from .conftest import make_org, sign_in
from .test_shelters_support import make_case, shelter_team, tables_containing

pytestmark = pytest.mark.django_db

PASSPORT = {"kind": "international_passport", "status": "obtained", "reference": "75 No 4419273",
            "notes": "Original kept by Zxq the lawyer", "issued_on": "2019-05-02", "expires_on": "2029-05-01",
            "notified_on": ""}


@pytest.fixture
def setup(org):
    team = shelter_team(org)
    case = make_case(team["coordinator"], team["caseworker"])
    return team, case


def add(client, case, **changes):
    return client.post(f"/staff/cases/{case.pk}/documents/new/", {**PASSPORT, **changes})


def test_a_member_adds_a_document_and_every_member_sees_it(setup):
    team, case = setup
    worker = sign_in(team["caseworker"])
    response = add(worker, case)
    assert response.status_code == 302 and response["Location"] == f"/staff/cases/{case.pk}/"
    doc = Document.objects.get()
    assert (doc.kind, doc.status, doc.issued_on, doc.expires_on) == (
        "international_passport", "obtained", date(2019, 5, 2), date(2029, 5, 1))
    text = sign_in(team["coordinator"]).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "International passport" in text and "75 No 4419273" in text and "Original kept by Zxq" in text
    assert "1 May 2029" in text
    event = AuditEvent.objects.get(action="document.added")
    assert event.details == {"document": str(doc.pk), "kind": "international_passport", "status": "obtained"}


def test_number_and_notes_are_never_stored_in_the_clear(setup):
    team, case = setup
    add(sign_in(team["caseworker"]), case)
    assert tables_containing("international_passport") != []  # the kind is plain on purpose
    assert tables_containing("4419273") == []
    assert tables_containing("Zxq the lawyer") == []


def test_an_expiry_before_the_issue_date_is_refused_clearly_and_nothing_saved(setup):
    team, case = setup
    response = add(sign_in(team["caseworker"]), case, issued_on="2024-06-01", expires_on="2024-05-31")
    assert response.status_code == 200
    assert "The expiry date cannot be before the issue date (1 Jun 2024)." in response.content.decode()
    assert Document.objects.count() == 0


def test_a_notification_before_the_decision_was_issued_is_refused(setup):
    team, case = setup
    response = add(sign_in(team["caseworker"]), case, kind="decision", issued_on="2024-06-01",
                   expires_on="", notified_on="2024-05-01")
    assert "A decision cannot be notified before it was issued (1 Jun 2024)." in response.content.decode()
    assert Document.objects.count() == 0


@pytest.mark.parametrize("changes, message", [
    ({"kind": "driving_licence"}, "Select a valid choice."),
    ({"kind": ""}, "This field is required."),
    ({"status": "lost"}, "Select a valid choice."),
    ({"issued_on": "02/05/2019"}, "Enter a date as year-month-day, e.g. 2024-03-31."),
    ({"reference": "x" * 201}, "Ensure this value has at most 200 characters"),
])
def test_malformed_entries_get_a_clear_error_and_save_nothing(setup, changes, message):
    team, case = setup
    response = add(sign_in(team["caseworker"]), case, **changes)
    assert response.status_code == 200 and message in response.content.decode()
    assert Document.objects.count() == 0


def test_expired_and_soon_expiring_documents_stand_out(setup):
    team, case = setup
    client = sign_in(team["caseworker"])
    today = timezone.localdate()
    add(client, case, kind="visa", reference="VISA-EXPIRED", issued_on="", expires_on=str(today - timedelta(days=1)))
    add(client, case, kind="asylum_certificate", reference="CERT-SOON", issued_on="",
        expires_on=str(today + timedelta(days=12)))
    add(client, case, kind="internal_passport", reference="PASS-LATER", issued_on="",
        expires_on=str(today + timedelta(days=31)))
    add(client, case, kind="photos", reference="NO-DATE", issued_on="", expires_on="")
    text = client.get(f"/staff/cases/{case.pk}/").content.decode()
    register = text[text.index('id="documents"'):]
    rows = register.split("<tr>")[2:]
    assert [r[r.index('class="mono">') + 13:].split("<")[0] for r in rows] == [
        "VISA-EXPIRED", "CERT-SOON", "PASS-LATER", "NO-DATE"]  # soonest expiry first
    assert "expiry-expired" in rows[0] and "expired</span>" in rows[0]
    assert "expiry-soon" in rows[1] and "expires in 12 days" in rows[1]
    assert "expiry-" not in rows[2] and "expiry-" not in rows[3]


def test_editing_shows_the_sealed_fields_and_saves_changes(setup):
    team, case = setup
    client = sign_in(team["caseworker"])
    add(client, case)
    doc = Document.objects.get()
    form = client.get(f"/staff/cases/{case.pk}/documents/{doc.pk}/edit/").content.decode()
    assert "75 No 4419273" in form and 'value="2029-05-01"' in form
    assert AuditEvent.objects.filter(action="document.read_for_edit", details__document=str(doc.pk)).exists()
    response = client.post(f"/staff/cases/{case.pk}/documents/{doc.pk}/edit/",
                           {**PASSPORT, "status": "submitted", "reference": "75 No 0000001"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == "submitted"
    text = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "75 No 0000001" in text and "4419273" not in text


def test_a_bad_edit_changes_nothing(setup):
    team, case = setup
    client = sign_in(team["caseworker"])
    add(client, case)
    doc = Document.objects.get()
    before = bytes(doc.reference_sealed)
    response = client.post(f"/staff/cases/{case.pk}/documents/{doc.pk}/edit/",
                           {**PASSPORT, "reference": "CHANGED", "expires_on": "2010-01-01"})
    assert "The expiry date cannot be before the issue date" in response.content.decode()
    doc.refresh_from_db()
    assert bytes(doc.reference_sealed) == before and doc.expires_on == date(2029, 5, 1)


def test_removing_a_document_asks_first(setup):
    team, case = setup
    client = sign_in(team["caseworker"])
    add(client, case)
    doc = Document.objects.get()
    confirm = client.get(f"/staff/cases/{case.pk}/documents/{doc.pk}/delete/").content.decode()
    assert "Remove “International passport” from the register?" in confirm and Document.objects.exists()
    assert client.post(f"/staff/cases/{case.pk}/documents/{doc.pk}/delete/").status_code == 302
    assert not Document.objects.exists()
    assert AuditEvent.objects.filter(action="document.deleted", details__document=str(doc.pk)).exists()


def test_non_members_get_404_for_every_document_page(setup):
    team, case = setup
    client = sign_in(team["coordinator"])
    add(client, case)
    doc = Document.objects.get()
    outsider = sign_in(team["outsider"])
    for url in (f"/staff/cases/{case.pk}/documents/new/", f"/staff/cases/{case.pk}/documents/{doc.pk}/edit/",
                f"/staff/cases/{case.pk}/documents/{doc.pk}/delete/"):
        assert outsider.get(url).status_code == 404, url
        assert outsider.post(url, PASSPORT).status_code == 404, url
    assert Document.objects.count() == 1


def test_documents_of_another_case_or_organisation_get_404(setup):
    team, case = setup
    coordinator = sign_in(team["coordinator"])
    other_case = make_case(team["coordinator"], pseudonym="Other")
    add(coordinator, other_case)
    other_doc = Document.objects.get()
    other = make_org("Other Org", "othercoord")
    foreign_case = make_case(other.coordinator, pseudonym="Foreign")
    add(sign_in(other.coordinator), foreign_case)
    foreign_doc = Document.objects.get(case=foreign_case)
    for doc in (other_doc, foreign_doc):
        assert coordinator.get(f"/staff/cases/{case.pk}/documents/{doc.pk}/edit/").status_code == 404
        assert coordinator.post(f"/staff/cases/{case.pk}/documents/{doc.pk}/delete/").status_code == 404
    assert coordinator.get(f"/staff/cases/{foreign_case.pk}/documents/new/").status_code == 404
    assert Document.objects.count() == 2


def test_audit_events_hold_no_document_text(setup):
    team, case = setup
    client = sign_in(team["caseworker"])
    add(client, case)
    doc = Document.objects.get()
    client.get(f"/staff/cases/{case.pk}/documents/{doc.pk}/edit/")
    client.post(f"/staff/cases/{case.pk}/documents/{doc.pk}/edit/", PASSPORT)
    client.post(f"/staff/cases/{case.pk}/documents/{doc.pk}/delete/")
    assert all("4419273" not in str(e.details) and "lawyer" not in str(e.details)
               for e in AuditEvent.objects.all())
