"""Testimonies on a case, the consents given for each use of them, and their translations
(DOMAIN.md, "Documenting violations"). Everything a person typed is sealed under the case key;
languages, purposes and dates are plain so that "is this consent in force?" works in SQL."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PURPOSES = [
    ("dossier", _("Visa or asylum dossier")),
    ("investigators", _("Investigators")),
    ("advocacy", _("Public advocacy")),
]


class Testimony(models.Model):
    SEALED_FIELDS = ("text",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="testimonies")
    text_sealed = models.BinaryField()
    language = models.CharField(max_length=16)  # BCP 47 code, e.g. "ru", "ce", "fr"
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    taken_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-created_at"]


class Consent(models.Model):
    """Consent for one purpose, from a date; withdrawing it sets withdrawn_on and keeps the row,
    so what was allowed on a given day can still be answered."""

    SEALED_FIELDS = ("note",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=16, choices=PURPOSES)
    given_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawal_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                               related_name="+", null=True, blank=True)
    note_sealed = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["purpose", "-given_on"]

    def in_force_on(self, day) -> bool:
        return self.given_on <= day and not (self.withdrawn_on and self.withdrawn_on <= day)

    @property
    def in_force(self) -> bool:
        return self.in_force_on(timezone.localdate())


class Translation(models.Model):
    """A translation of a testimony. A machine translation is marked as such: it helps a reader
    but is never the consented text (only the testimony itself is)."""

    SEALED_FIELDS = ("text", "external_translator")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="translations")
    text_sealed = models.BinaryField()
    target_language = models.CharField(max_length=16)
    translator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)  # a staff translator; else the external name
    external_translator_sealed = models.BinaryField()  # a translator outside the organisation
    machine = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_language", "-created_at"]
