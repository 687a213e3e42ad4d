"""Dossiers (PDFs made for outsiders), redacted versions of testimonies, and every disclosure:
what left, to whom, why, on which consent, approved by whom, and through which link.

Sealed under the case key: what a person typed (recipients' names, the inputs of a dossier),
the texts and the fingerprints of what was shared. Plain: kinds, purposes, countries, dates,
statuses, who asked and who approved, counts of downloads, so the disclosure log and its
checks work in SQL."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.evidence.models import PURPOSES

DOSSIER_KINDS = [
    ("visa", _("Humanitarian visa dossier (French consulate)")),
    ("asylum_pack", _("Asylum support pack (OFPRA account and documents)")),
    ("redacted_testimony", _("Redacted testimony")),
]


class Dossier(models.Model):
    """A generated PDF, kept encrypted (its own key, sealed under the case key) exactly as it was
    made, with the inputs it was made from: the same inputs make the same bytes."""

    SEALED_FIELDS = ("inputs", "key", "sha256")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="dossiers")
    kind = models.CharField(max_length=20, choices=DOSSIER_KINDS)
    inputs_sealed = models.BinaryField()  # JSON: what the person chose and typed for it
    key_sealed = models.BinaryField()
    sha256_sealed = models.BinaryField()
    size = models.PositiveIntegerField()  # rounded up (vault/files.padme), like every stored size
    pages = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def short_ref(self) -> str:
        return "D-" + str(self.id)[:6]


class Redaction(models.Model):
    """A testimony (or a human translation of it) with personal data taken out. Presidio
    proposes, a person confirms; `applied` records what was redacted (entity types and places
    in the text), `proposed` how many were proposed."""

    SEALED_FIELDS = ("text", "applied")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="redactions")
    testimony = models.ForeignKey("evidence.Testimony", on_delete=models.CASCADE, related_name="redactions")
    translation = models.ForeignKey("evidence.Translation", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="redactions")
    language = models.CharField(max_length=16)
    text_sealed = models.BinaryField()
    applied_sealed = models.BinaryField()  # JSON list of {"start", "end", "entity", "by": "proposed"|"person"}
    proposed = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def short_ref(self) -> str:
        return "R-" + str(self.id)[:6]


RECIPIENT_KINDS = [
    ("consulate", _("Consulate or embassy")),
    ("asylum_office", _("Asylum office (OFPRA, GUDA, prefecture)")),
    ("court", _("Court or tribunal")),
    ("police", _("Police or security service")),
    ("government", _("Other government body")),
    ("lawyer", _("Lawyer")),
    ("partner", _("Partner organisation")),
    ("investigators", _("Investigators (UN, OSCE, Council of Europe...)")),
    ("media", _("Journalist or media")),
    ("other", _("Other")),
]
# A body of a state: if it is a state the person fled, nothing may go to it (DOMAIN.md).
STATE_BODIES = {"consulate", "asylum_office", "court", "police", "government"}
class Disclosure(models.Model):
    """One sending of documents to someone outside the organisation. Its two-person approval
    (cases.Approval, kind "export") says whether it may go: waiting, approved, refused or
    withdrawn, by whom and when."""

    SEALED_FIELDS = ("recipient", "note")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="disclosures")
    recipient_sealed = models.BinaryField()  # who, as the person typed it
    recipient_kind = models.CharField(max_length=16, choices=RECIPIENT_KINDS)
    recipient_country = models.CharField(max_length=2)  # ISO 3166-1 alpha-2 of the state it belongs to
    purpose = models.CharField(max_length=16, choices=PURPOSES)
    consent = models.ForeignKey("evidence.Consent", on_delete=models.PROTECT, related_name="disclosures")
    note_sealed = models.BinaryField()
    approval = models.OneToOneField("cases.Approval", on_delete=models.PROTECT, related_name="disclosure")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at"]

    @property
    def short_ref(self) -> str:
        return "X-" + str(self.id)[:6]

    @property
    def status(self) -> str:
        return self.approval.status

    @property
    def approved(self) -> bool:
        return self.approval.status == "approved"


class DisclosureItem(models.Model):
    """One thing shared: a dossier, or the working copy of an evidence file, with the SHA-256 of
    the exact bytes that were approved (a link refuses to send anything else)."""

    SEALED_FIELDS = ("sha256",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="items")
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence_file = models.ForeignKey("evidence.EvidenceFile", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    # A dossier's testimony: its teller's consent for the disclosure's purpose is checked until the
    # last download, whatever consent the disclosure names.
    testimony = models.ForeignKey("evidence.Testimony", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    sha256_sealed = models.BinaryField()
    size = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(
            condition=models.Q(dossier__isnull=True, evidence_file__isnull=False)
            | models.Q(dossier__isnull=False, evidence_file__isnull=True), name="disclosure_item_has_one_thing")]


class ShareLink(models.Model):
    """A link an outside recipient downloads from. What it sends is stored encrypted under a key
    derived from the link's secret token, which exists only in the link itself: the server keeps
    the token's SHA-256 to find the row, never the token. Limited in time and in downloads,
    revocable; every download is recorded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="links")
    lookup = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=80)  # generic, e.g. "dossier-D-1a2b3c.pdf": never a name
    media_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    expires_at = models.DateTimeField()
    max_downloads = models.PositiveSmallIntegerField()
    downloads = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at"]

    @property
    def short_ref(self) -> str:
        return "L-" + str(self.id)[:6]


class LinkDownload(models.Model):
    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="download_log")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]
