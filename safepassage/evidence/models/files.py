"""Evidence files and their chain of custody.

A file belongs to a case (sealed under the case key, seen by its members) or to a source of the
evidence base (sealed under the evidence base key). Each file has its own random key, kept as a
sealed field, so rotating the case key reseals 32 bytes instead of re-encrypting the file.
The untouched original and a working copy (images re-encoded without metadata; a person may
replace it, e.g. with a cropped version) are stored encrypted under media/evidence/.

Every ingest, view, download, replacement, check and export is a CustodyEntry. Entries of one
file form a hash chain (each hash covers the previous one), so the log that goes out with an
export can be checked by its recipient. The SHA-256 of the original is sealed: in the clear it
would let whoever seizes the server confirm that the organisation holds a given photo."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

FILE_KINDS = [
    ("image", _("Image")),
    ("pdf", _("PDF document")),
    ("audio", _("Audio recording")),
    ("video", _("Video")),
]


class EvidenceFile(models.Model):
    SEALED_FIELDS = ("name", "description", "key", "sha256", "working_sha256")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    source = models.ForeignKey("evidence.Source", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="files")
    kind = models.CharField(max_length=8, choices=FILE_KINDS)
    media_type = models.CharField(max_length=40)  # read from the content, never from the name
    # Rounded up to their Padmé bucket (vault/files.padme): an exact size can recognise a known photo.
    size = models.PositiveBigIntegerField()
    working_size = models.PositiveBigIntegerField()
    name_sealed = models.BinaryField()
    description_sealed = models.BinaryField()
    key_sealed = models.BinaryField()
    sha256_sealed = models.BinaryField()
    working_sha256_sealed = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    working_updated_at = models.DateTimeField(auto_now_add=True)
    # The last custody entry's hash: the chain alone cannot show that entries were cut off its end.
    custody_head = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(
            condition=models.Q(case__isnull=True, source__isnull=False) | models.Q(case__isnull=False,
                                                                                 source__isnull=True),
            name="evidence_file_has_one_owner")]

    @property
    def short_ref(self) -> str:
        return "F-" + str(self.id)[:6]


EXPORT_PURPOSES = [
    ("records", _("The organisation's own records")),
    ("dossier", _("A visa or asylum dossier")),
    ("lawyer", _("A lawyer")),
    ("court", _("A court")),
    ("investigators", _("Investigators")),
    ("partner", _("A partner organisation")),
    ("other", _("Other")),
]

CUSTODY_ACTIONS = [
    ("ingested", _("Received and fingerprinted")),
    ("viewed", _("Working copy viewed")),
    ("downloaded", _("Working copy downloaded")),
    ("original_viewed", _("Original opened")),
    ("working_replaced", _("Working copy replaced")),
    ("verified", _("Integrity checked")),
    ("exported", _("Exported")),
]


class CustodyEntry(models.Model):
    """One link of a file's chain of custody: who did what with it, when. Details hold codes
    only (the result of a check, the export's id), never a name or a fingerprint."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.ForeignKey(EvidenceFile, on_delete=models.CASCADE, related_name="custody")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=CUSTODY_ACTIONS)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["file", "seq"]
        constraints = [models.UniqueConstraint(fields=["file", "seq"], name="custody_seq_unique_per_file")]
