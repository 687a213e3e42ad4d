import uuid

from django.conf import settings
from django.db import models

from safepassage.evidence.models.incidents import UNITS


class Release(models.Model):
    """Statistics prepared for publication. What it shows (the payload: cells, hidden cells,
    cited sources) is sealed under the evidence base key like the rest of the evidence base,
    and kept so that every later release can avoid revealing small changes since this one.
    Every release counts as published from the moment it is made."""

    SEALED_FIELDS = ("payload",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    dimensions = models.JSONField()  # [[dimension, level], ...]
    unit = models.CharField(max_length=10, choices=UNITS)
    threshold = models.PositiveSmallIntegerField()
    as_of = models.DateField()
    hidden = models.PositiveIntegerField()
    payload_sealed = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def short_ref(self) -> str:
        return "R-" + str(self.id)[:6]
