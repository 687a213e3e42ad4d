"""Testimonies on a case, the consents given for each use of them, and their translations
(DOMAIN.md, "Documenting violations"). Everything a person typed is sealed under the case key;
languages, purposes and dates are plain so that "is this consent in force?" works in SQL."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
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


VOCABULARIES = [
    ("act_type", _("Act types")),
    ("perpetrator_type", _("Perpetrator types")),
    ("source_type", _("Source types")),
]


class Term(models.Model):
    """One entry of an organisation's controlled vocabulary (act, perpetrator and source types),
    with its label in English, French and Russian. Terms are never deleted, only deactivated:
    records may refer to them. The labels are plain on purpose: they name kinds of acts and
    sources, never a person, and statistics must group and sort by them in SQL."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="terms")
    vocabulary = models.CharField(max_length=32, choices=VOCABULARIES)
    code = models.SlugField(max_length=64)  # stable: what records and exports refer to
    label_en = models.CharField(max_length=200)
    label_fr = models.CharField(max_length=200, blank=True)
    label_ru = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    position = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["vocabulary", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "vocabulary", "code"],
                                               name="term_code_unique_per_vocabulary")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language; English when there is none in that language."""
        language = (get_language() or "en").split("-")[0]
        if language in ("fr", "ru"):
            return getattr(self, f"label_{language}") or self.label_en
        return self.label_en
