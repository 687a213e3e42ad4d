"""Controlled vocabularies: act, perpetrator, source types and regions, per organisation."""

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

VOCABULARIES = [
    ("act_type", _("Act types")),
    ("perpetrator_type", _("Perpetrator types")),
    ("source_type", _("Source types")),
    ("region", _("Regions")),
]


class Term(models.Model):
    """One entry of an organisation's controlled vocabulary (act, perpetrator and source types,
    and the regions where acts took place), with its label in English, French and Russian.
    Terms are never deleted, only deactivated: records may refer to them. The labels are plain
    on purpose: they name kinds of acts, sources and regions, never a person, and statistics
    must group and sort by them in SQL."""

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

    @property
    def country(self) -> str:
        """A region's country: its code up to the first hyphen ("ru-ce" is in "ru")."""
        return self.code.split("-")[0]
