import uuid

from django.conf import settings
from django.db import models

from safepassage.lib.urgency import URGENCY_CHOICES

from ..pipeline import STATE_CHOICES


class Case(models.Model):
    """A person (or group) the organisation helps. Everything typed about them is sealed under
    the case's data key; only state, urgency, dates and assignments are plain."""

    SEALED_FIELDS = ("pseudonym", "summary")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="cases")
    data_key = models.OneToOneField("vault.DataKey", on_delete=models.PROTECT, related_name="case")
    pseudonym_sealed = models.BinaryField()
    summary_sealed = models.BinaryField()
    state = models.CharField(max_length=30, choices=STATE_CHOICES, default="new")
    # Where a side state (lost contact, detained, suspected infiltration) returns to.
    previous_state = models.CharField(max_length=30, choices=STATE_CHOICES, blank=True)
    closing_reason = models.CharField(max_length=20, blank=True)
    checkin_every_hours = models.PositiveIntegerField(null=True, blank=True)
    last_checkin_at = models.DateTimeField(null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(choices=URGENCY_CHOICES, default=3)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["urgency", "created_at"]
        indexes = [models.Index(fields=["organisation", "erased_at", "urgency", "created_at"])]

    @property
    def short_ref(self) -> str:
        return str(self.id)[:8]
