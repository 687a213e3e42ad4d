"""The evidence base, after the HURIDOCS events standard ("who did what to whom"):

  Event --< Act >-- Victim          an act: what was done (act type), by whom (perpetrator type),
              ^                     where (region), when (a date and its precision), how sure we are
              |                     (certainty), and to how many (a count with unit and qualifier)
         Attestation >-- Source     a source reports an act; the source's reliability and the
                                    information's validity are graded separately (Admiralty code)

Everything typed is sealed under the evidence base key (models/base.py); codes, dates, grades and
counts are plain, so that statistics are computed in SQL without opening anything. A victim is
either unnamed (a sealed description) or comes from a testimony shared by a case: the case is
never shown to researchers. Duplicates are merged, never deleted (Merge): a merged act or victim
points at the one it was merged into and is no longer counted; undoing the merge restores it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DATE_PRECISIONS = [
    ("day", _("Day")),
    ("month", _("Month")),
    ("season", _("Season")),
    ("year", _("Year")),
    ("unknown", _("Unknown")),
]
CERTAINTIES = [
    ("confirmed", _("Confirmed")),
    ("probable", _("Probable")),
    ("possible", _("Possible")),
]
QUALIFIERS = [
    ("exact", _("exactly")),
    ("at_least", _("at least")),
    ("about", _("about")),
]
UNITS = [
    ("persons", _("people")),
    ("incidents", _("incidents")),
]
# The Admiralty (NATO) grading: how far a source can be trusted, and, separately, how far one
# piece of information from it is borne out.
RELIABILITY = [
    ("A", _("A: completely reliable")),
    ("B", _("B: usually reliable")),
    ("C", _("C: fairly reliable")),
    ("D", _("D: not usually reliable")),
    ("E", _("E: unreliable")),
    ("F", _("F: reliability cannot be judged")),
]
VALIDITY = [
    ("1", _("1: confirmed by other sources")),
    ("2", _("2: probably true")),
    ("3", _("3: possibly true")),
    ("4", _("4: doubtful")),
    ("5", _("5: improbable")),
    ("6", _("6: truth cannot be judged")),
]


def _term(related_name, **kwargs):
    return models.ForeignKey("evidence.Term", on_delete=models.PROTECT, related_name=related_name, **kwargs)


class Source(models.Model):
    """Where information comes from: a media or NGO report, an official statement (denials
    included), or a testimony. A public source (a published report) may be cited in public
    statistics; a testimony shared by a case is never public."""

    SEALED_FIELDS = ("title", "publisher", "url", "notes")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    source_type = _term("+")
    title_sealed = models.BinaryField()
    publisher_sealed = models.BinaryField()
    url_sealed = models.BinaryField()
    notes_sealed = models.BinaryField()
    published_on = models.DateField(null=True, blank=True)
    public = models.BooleanField(default=False)
    reliability = models.CharField(max_length=1, choices=RELIABILITY, default="F")
    share = models.OneToOneField("evidence.TestimonyShare", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="source")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "-created_at"]

    @property
    def short_ref(self) -> str:
        return "S-" + str(self.id)[:6]


class Event(models.Model):
    """Something that happened: a wave of detentions, a raid, a killing. Its acts say to whom."""

    SEALED_FIELDS = ("title", "description", "place")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    title_sealed = models.BinaryField()
    description_sealed = models.BinaryField()
    place_sealed = models.BinaryField()  # the detail under the region code: never exported
    region = _term("+", null=True, blank=True)
    occurred_on = models.DateField(null=True, blank=True)  # the first day of the period
    date_precision = models.CharField(max_length=8, choices=DATE_PRECISIONS, default="unknown")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]

    @property
    def short_ref(self) -> str:
        return "E-" + str(self.id)[:6]


class Victim(models.Model):
    """A person to whom acts were done. Unnamed (a sealed description such as "man, about 25"),
    or from a testimony a case shared: then `share` says which, and researchers see only that."""

    SEALED_FIELDS = ("description",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    description_sealed = models.BinaryField()
    share = models.ForeignKey("evidence.TestimonyShare", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="victims")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    @property
    def short_ref(self) -> str:
        return "V-" + str(self.id)[:6]


class Act(models.Model):
    """One act of an event. An act with a victim counts one person; an act without one carries
    a count ("at least 100 people detained"), as its sources report it."""

    SEALED_FIELDS = ("note",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="acts")
    victim = models.ForeignKey(Victim, null=True, blank=True, on_delete=models.PROTECT, related_name="acts")
    act_type = _term("+")
    perpetrator_type = _term("+")
    region = _term("+", null=True, blank=True)
    occurred_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=8, choices=DATE_PRECISIONS, default="unknown")
    certainty = models.CharField(max_length=10, choices=CERTAINTIES, default="probable")
    count = models.PositiveIntegerField(default=1)
    unit = models.CharField(max_length=10, choices=UNITS, default="persons")
    qualifier = models.CharField(max_length=10, choices=QUALIFIERS, default="exact")
    note_sealed = models.BinaryField()
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "created_at"]
        indexes = [models.Index(fields=["merged_into", "act_type"])]

    @property
    def short_ref(self) -> str:
        return "A-" + str(self.id)[:6]


STANCES = [
    ("reports", _("reports it")),
    ("denies", _("denies it")),
]


class Attestation(models.Model):
    """A source reports an act, or denies it (an official denial is part of the record: "there
    are no facts"). Only a source that reports an act counts it and is cited for it. Validity
    grades this piece of information; the source's reliability is graded on the source."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="attestations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="attestations")
    stance = models.CharField(max_length=8, choices=STANCES, default="reports")
    validity = models.CharField(max_length=1, choices=VALIDITY, default="6")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["act", "source"], name="one_attestation_per_source")]


MERGE_KINDS = [("act", _("Act")), ("victim", _("Victim"))]


class Merge(models.Model):
    """One act or victim recognised as the same as another. Undoing sets undone_at and puts the
    merged record back; the row stays, so the history of what was counted can be told."""

    SEALED_FIELDS = ("reason",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=MERGE_KINDS)
    survivor_act = models.ForeignKey(Act, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    merged_act = models.ForeignKey(Act, null=True, blank=True, on_delete=models.PROTECT, related_name="merges")
    survivor_victim = models.ForeignKey(Victim, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    merged_victim = models.ForeignKey(Victim, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="merges")
    reason_sealed = models.BinaryField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    @property
    def survivor(self):
        return self.survivor_act if self.kind == "act" else self.survivor_victim

    @property
    def merged(self):
        return self.merged_act if self.kind == "act" else self.merged_victim
