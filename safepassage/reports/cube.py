"""Counts of the evidence base, from plain columns only (nothing sealed is opened).

What is counted: every act that is not merged into another (a root, evidence/actions/dedup.py)
and that at least one usable source reports (a source that denies it does not count). A source
is usable unless it is a testimony shared
by a case whose consent to public advocacy is no longer in force (or whose copy was withdrawn).
A merged group counts once, with the highest figure any of its acts carries and that act's
qualifier. An act with a victim counts one; an act without one counts its figure.

Part of a figure may already be public: the acts that a public source (a published report)
reports at the figure counted. A cell keeps that part (its floor) apart from the rest, which
only the organisation knows: suppression protects that confidential part, and a hidden figure
can still be published as "at least <floor>", with its sources.

Dimensions and their levels, coarsest first ("all" is the total):
  act_type     all > code
  perpetrator  all > code
  period       all > year > month     (an act known only to the season or year goes under
                                       "YYYY-??" at month level: month unknown)
  region       all > country > region (the country is the code before the hyphen)
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from safepassage.evidence.actions.shares import usable
from safepassage.evidence.models import Act, Attestation, Term

ALL = "*"
UNKNOWN = "unknown"
DIMENSIONS = {
    "act_type": ("all", "code"),
    "perpetrator": ("all", "code"),
    "period": ("all", "year", "month"),
    "region": ("all", "country", "region"),
}
QUALIFIER_ORDER = {"exact": 0, "at_least": 1, "about": 2}


@dataclass
class Counted:
    """One counted act (a merge group's root), reduced to what statistics use."""

    act_type: str
    perpetrator: str
    region: str  # a region code, or "" when not known
    occurred_on: date | None
    precision: str
    figure: int
    qualifier: str
    public_figure: int = 0  # the highest figure a public source reports for it (at most `figure`)
    citations: frozenset = frozenset()  # ids of the public sources that report it at that figure


def value(c: Counted, dim: str, level: str) -> str:
    """The category of a counted act along one dimension at one level."""
    if level == "all":
        return ALL
    if dim == "act_type":
        return c.act_type
    if dim == "perpetrator":
        return c.perpetrator
    if dim == "region":
        if not c.region:
            return UNKNOWN
        return c.region.split("-")[0] if level == "country" else c.region
    if c.occurred_on is None or c.precision == "unknown":
        return UNKNOWN
    if level == "year" or c.precision in ("season", "year"):
        return str(c.occurred_on.year) if level == "year" else f"{c.occurred_on.year}-??"
    return c.occurred_on.strftime("%Y-%m")


def parent_value(dim: str, level: str, v: str) -> str:
    """The category one level up that contains category `v` of `level`."""
    levels = DIMENSIONS[dim]
    up = levels[levels.index(level) - 1]
    if up == "all":
        return ALL
    if v == UNKNOWN:
        return UNKNOWN
    if dim == "region":
        return v.split("-")[0]
    return v[:4]  # period: "2017-03" and "2017-??" are in "2017"


def counted_acts(organisation_id, unit: str = "persons", on: date | None = None) -> list[Counted]:
    on = on or timezone.localdate()
    acts = list(Act.objects.filter(event__organisation_id=organisation_id, unit=unit).select_related(
        "act_type", "perpetrator_type", "region").only(
        "id", "merged_into_id", "victim_id", "count", "qualifier", "occurred_on", "date_precision",
        "act_type__code", "perpetrator_type__code", "region__code"))
    by_id = {a.pk: a for a in acts}
    usable_shares = set(usable(organisation_id, on).values_list("pk", flat=True))
    sources = defaultdict(list)  # act id -> [(public, source id)] of its usable sources
    for act_id, source_id, public, share_id in Attestation.objects.filter(act__in=by_id, stance="reports").values_list(
            "act_id", "source_id", "source__public", "source__share_id"):
        if share_id is None or share_id in usable_shares:
            sources[act_id].append((public and share_id is None, source_id))

    def root(act):
        seen = set()
        while act.merged_into_id in by_id and act.pk not in seen:
            seen.add(act.pk)
            act = by_id[act.merged_into_id]
        return act

    groups = defaultdict(list)
    for act in acts:
        groups[root(act).pk].append(act)
    counted = []
    for root_id, members in groups.items():
        members = [m for m in members if sources[m.pk]]  # an act no usable source reports counts for nothing
        if not members:
            continue
        figure_of = {m.pk: 1 if m.victim_id else m.count for m in members}
        best = max(members, key=lambda m: (figure_of[m.pk], -QUALIFIER_ORDER[m.qualifier]))
        figure = figure_of[best.pk]
        publicly = [m for m in members if any(p for p, _s in sources[m.pk])]
        public_figure = max((figure_of[m.pk] for m in publicly), default=0)
        citations = frozenset(s for m in publicly if figure_of[m.pk] == public_figure for p, s in sources[m.pk] if p)
        r = by_id[root_id]
        counted.append(Counted(
            act_type=r.act_type.code, perpetrator=r.perpetrator_type.code,
            region=r.region.code if r.region else "", occurred_on=r.occurred_on, precision=r.date_precision,
            figure=figure, qualifier=best.qualifier, public_figure=public_figure, citations=citations))
    return counted


@dataclass
class Cell:
    value: int = 0
    floor: int = 0  # the part of `value` that public sources already report
    qualifier: str = "exact"
    citations: set = field(default_factory=set)

    @property
    def confidential(self) -> int:
        """What only the organisation knows: the part suppression protects."""
        return self.value - self.floor

    def add(self, c: Counted) -> None:
        self.value += c.figure
        self.floor += c.public_figure
        if QUALIFIER_ORDER[c.qualifier] > QUALIFIER_ORDER[self.qualifier]:
            self.qualifier = c.qualifier
        self.citations |= c.citations


def categories(organisation_id, counted: list[Counted], dim: str, level: str) -> list[str]:
    """Every category of a dimension at a level: those of the vocabulary (so that an empty
    category shows as 0) and those the data uses, in a stable order."""
    if level == "all":
        return [ALL]
    seen = {value(c, dim, level) for c in counted}
    if dim in ("act_type", "perpetrator", "region"):
        vocabulary = {"act_type": "act_type", "perpetrator": "perpetrator_type", "region": "region"}[dim]
        codes = list(Term.objects.filter(organisation_id=organisation_id, vocabulary=vocabulary, active=True)
                     .order_by("position", "code").values_list("code", flat=True))
        if dim == "region" and level == "country":
            codes = list(dict.fromkeys(code.split("-")[0] for code in codes))
        extra = sorted(seen - set(codes) - {UNKNOWN})
        return codes + extra + ([UNKNOWN] if UNKNOWN in seen else [])
    years = sorted({v[:4] for v in seen if v != UNKNOWN})
    if level == "year":
        out = years
    else:
        out = [f"{y}-{m:02d}" for y in years for m in range(1, 13)]
        out += sorted(v for v in seen if v.endswith("-??"))
        out.sort()
    return out + ([UNKNOWN] if UNKNOWN in seen else [])


def table(organisation_id, counted: list[Counted], dims: list[tuple[str, str]]) -> dict[tuple, Cell]:
    """Every cell of the cross-table of `dims` (a list of (dimension, level)), empty ones included."""
    cells: dict[tuple, Cell] = {}
    axes = [categories(organisation_id, counted, d, level) for d, level in dims]

    def product(i, prefix):
        if i == len(axes):
            cells[prefix] = Cell()
            return
        for v in axes[i]:
            product(i + 1, prefix + (v,))

    product(0, ())
    for c in counted:
        key = tuple(value(c, d, level) for d, level in dims)
        cells.setdefault(key, Cell()).add(c)
    return cells
