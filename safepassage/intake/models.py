import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.lib.urgency import URGENCY_CHOICES

from . import regions

STATUS_CHOICES = [
    ("new", _("New")),
    ("open", _("In progress")),
    ("converted", _("Became a case")),
    ("declined", _("Declined")),
]


class Thread(models.Model):
    """One anonymous request for help and the conversation that follows it.

    Its key is sealed to the intake team, to the recovery key, and wrapped under the applicant's
    receipt; the server keeps none of them in the clear. Plain: urgency, coarse region,
    language, status and times, for the queue."""

    SEALED_FIELDS = ("story", "contact", "referrer")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="threads")
    data_key = models.OneToOneField("vault.DataKey", on_delete=models.PROTECT, related_name="thread")
    receipt_lookup = models.CharField(max_length=64, unique=True)
    receipt_salt = models.BinaryField()
    receipt_wrapped_key = models.BinaryField()
    story_sealed = models.BinaryField()
    contact_sealed = models.BinaryField()
    referrer_sealed = models.BinaryField()
    urgency = models.PositiveSmallIntegerField(choices=URGENCY_CHOICES)
    region = models.CharField(max_length=10, choices=regions.CHOICES, blank=True)
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default="new")
    case = models.OneToOneField("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="thread")
    created_at = models.DateTimeField(auto_now_add=True)
    last_applicant_at = models.DateTimeField(auto_now_add=True)
    last_staff_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "status", "urgency", "last_applicant_at"])]

    @property
    def short_ref(self) -> str:
        return str(self.id)[:8]

    @property
    def awaiting_reply(self) -> bool:
        return self.last_staff_at is None or self.last_staff_at < self.last_applicant_at


class Message(models.Model):
    SEALED_FIELDS = ("body",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    from_applicant = models.BooleanField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    body_sealed = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class Attachment(models.Model):
    """A file sent by the applicant. The untouched original and a working copy (images re-encoded
    without metadata) are stored encrypted under media/intake/, named by this row's UUID only."""

    SEALED_FIELDS = ("name", "sha256")
    KINDS = [("image", _("Image")), ("pdf", _("PDF document"))]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="attachments")
    name_sealed = models.BinaryField()
    sha256_sealed = models.BinaryField()
    kind = models.CharField(max_length=8, choices=KINDS)
    size = models.PositiveIntegerField()  # of the original, rounded up (vault/files.padme), for the storage cap
    created_at = models.DateTimeField(auto_now_add=True)
