import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TRUST_LEVELS = [("unknown", _("Unknown")), ("low", _("Low")), ("medium", _("Medium")), ("high", _("High"))]


class Vetting(models.Model):
    """Checks before anything is revealed to an applicant (infiltrators posed as victims)."""

    SEALED_FIELDS = ("referrer", "notes")
    CHECKLIST = ("identity_checked", "referrer_checked", "story_corroborated", "duplicates_checked")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="vetting")
    referrer_sealed = models.BinaryField(default=b"")
    referrer_trust = models.CharField(max_length=10, choices=TRUST_LEVELS, default="unknown")
    notes_sealed = models.BinaryField(default=b"")  # consistency notes
    identity_checked = models.BooleanField(default=False)
    referrer_checked = models.BooleanField(default=False)
    story_corroborated = models.BooleanField(default=False)
    duplicates_checked = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def complete(self) -> bool:
        return all(getattr(self, name) for name in self.CHECKLIST)


class Corroboration(models.Model):
    SEALED_FIELDS = ("source", "detail")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="corroborations")
    source_sealed = models.BinaryField()
    detail_sealed = models.BinaryField()
    independent = models.BooleanField(default=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
