"""The documents register of a case: what exists, its status and its dates (DOMAIN.md).
The reference (number) and notes are sealed under the case key; kind, status and dates are
plain so that expiries can be found in SQL."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.vault import datakeys, fields

from .. import access
from ..models import Case, Document
from ..models.documents import DOCUMENT_KINDS, DOCUMENT_STATUSES

# How far ahead an expiry is flagged on the case page.
EXPIRING_WITHIN = timedelta(days=30)
EXPIRED, EXPIRING, VALID = "expired", "expiring", ""


@dataclass
class OpenDocument:
    document: Document
    reference: str
    notes: str
    expiry: str  # EXPIRED, EXPIRING or VALID

    @property
    def days_left(self) -> int | None:
        expires_on = self.document.expires_on
        return None if expires_on is None else (expires_on - timezone.localdate()).days


def expiry_of(document: Document, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if document.expires_on is None:
        return EXPIRED if document.status == "expired" else VALID
    if document.expires_on < today:
        return EXPIRED
    if document.expires_on <= today + EXPIRING_WITHIN:
        return EXPIRING
    return VALID


def _clean(kind, status, reference, notes, issued_on, expires_on, notified_on) -> tuple[str, str]:
    errors = {}
    if kind not in dict(DOCUMENT_KINDS):
        errors["kind"] = _("Choose what kind of document this is.")
    if status not in dict(DOCUMENT_STATUSES):
        errors["status"] = _("Choose the document's status.")
    if issued_on and expires_on and expires_on < issued_on:
        errors["expires_on"] = _("The expiry date cannot be before the issue date (%(issued)s).") % {
            "issued": date_format(issued_on, "j M Y")}
    if issued_on and notified_on and notified_on < issued_on:
        errors["notified_on"] = _("A decision cannot be notified before it was issued (%(issued)s).") % {
            "issued": date_format(issued_on, "j M Y")}
    if errors:
        raise ValidationError(errors)
    return (reference or "").strip(), (notes or "").strip()


def _seal(key: bytes, doc: Document, reference: str, notes: str) -> None:
    fields.seal_text(key, doc, "reference", reference)
    fields.seal_text(key, doc, "notes", notes)


def list_documents(user, secret: bytes, case: Case) -> list[OpenDocument]:
    """The register for the case page, soonest expiry first. The page's "case.read" event
    covers this read."""
    if not access.can_see_documents(user, case):
        raise PermissionDenied
    docs = list(case.documents.order_by(F("expires_on").asc(nulls_last=True), "kind", "-updated_at"))
    if not docs:
        return []
    key = datakeys.open_for(case.data_key, user, secret)
    today = timezone.localdate()
    return [OpenDocument(d, fields.open_text(key, d, "reference"), fields.open_text(key, d, "notes"),
                         expiry_of(d, today)) for d in docs]


def open_document(user, secret: bytes, case: Case, doc: Document) -> OpenDocument:
    if not access.can_see_documents(user, case) or doc.case_id != case.pk:
        raise PermissionDenied
    key = datakeys.open_for(case.data_key, user, secret)
    opened = OpenDocument(doc, fields.open_text(key, doc, "reference"), fields.open_text(key, doc, "notes"),
                          expiry_of(doc))
    record("document.read_for_edit", actor=user, obj=case, details={"document": str(doc.pk)})
    return opened


@transaction.atomic
def add_document(user, secret: bytes, case: Case, *, kind: str, status: str, reference: str = "", notes: str = "",
                 issued_on=None, expires_on=None, notified_on=None) -> Document:
    if not access.can_edit_documents(user, case):
        raise PermissionDenied
    reference, notes = _clean(kind, status, reference, notes, issued_on, expires_on, notified_on)
    doc = Document(case=case, kind=kind, status=status, issued_on=issued_on, expires_on=expires_on,
                   notified_on=notified_on)
    _seal(datakeys.open_for(case.data_key, user, secret), doc, reference, notes)
    doc.save()
    record("document.added", actor=user, obj=case, details={"document": str(doc.pk), "kind": kind, "status": status})
    return doc


@transaction.atomic
def update_document(user, secret: bytes, case: Case, doc: Document, *, kind: str, status: str, reference: str = "",
                    notes: str = "", issued_on=None, expires_on=None, notified_on=None) -> None:
    if not access.can_edit_documents(user, case) or doc.case_id != case.pk:
        raise PermissionDenied
    reference, notes = _clean(kind, status, reference, notes, issued_on, expires_on, notified_on)
    doc.kind, doc.status = kind, status
    doc.issued_on, doc.expires_on, doc.notified_on = issued_on, expires_on, notified_on
    _seal(datakeys.open_for(case.data_key, user, secret), doc, reference, notes)
    doc.save()
    record("document.updated", actor=user, obj=case,
           details={"document": str(doc.pk), "kind": kind, "status": status})


@transaction.atomic
def delete_document(user, case: Case, doc: Document) -> None:
    if not access.can_edit_documents(user, case) or doc.case_id != case.pk:
        raise PermissionDenied
    record("document.deleted", actor=user, obj=case, details={"document": str(doc.pk), "kind": doc.kind})
    doc.delete()
