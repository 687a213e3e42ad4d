import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

DOCUMENT_KINDS = [
    ("internal_passport", _("Internal passport")),
    ("international_passport", _("International passport")),
    ("visa", _("Visa")),
    ("asylum_certificate", _("Asylum certificate")),
    ("ofpra_form", _("OFPRA form")),
    ("recit_original", _("Account (récit), original language")),
    ("recit_french", _("Account (récit), French translation")),
    ("medical_certificate", _("Medical certificate")),
    ("ngo_attestation", _("NGO attestation")),
    ("photos", _("Photos")),
    ("decision", _("Decision")),
    ("other", _("Other")),
]
DOCUMENT_STATUSES = [("missing", _("Missing")), ("requested", _("Requested")), ("obtained", _("Obtained")),
                     ("submitted", _("Submitted")), ("expired", _("Expired"))]


class Document(models.Model):
    """The documents register of a case: what exists, its status and its dates. Numbers and
    notes are sealed; kinds, statuses and dates are plain so expiries and deadlines work in SQL."""

    SEALED_FIELDS = ("reference", "notes")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=DOCUMENT_KINDS)
    status = models.CharField(max_length=10, choices=DOCUMENT_STATUSES, default="missing")
    reference_sealed = models.BinaryField()
    notes_sealed = models.BinaryField()
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    notified_on = models.DateField(null=True, blank=True)  # decisions: the date of notification
    updated_at = models.DateTimeField(auto_now=True)
