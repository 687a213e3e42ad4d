"""Statistics for the researchers, and releases that are safe to publish.

`overview` gives researchers the exact counts (they hold the evidence base key; nothing there
leaves the organisation). `make_release` computes a table at the granularity a researcher
chooses, with every coarser total, hides small cells (suppression.py), and keeps what it shows
so later releases do not reveal small changes. A release carries codes, counts, qualifiers and
the public sources it cites: never a victim, a place detail, a testimony or a case."""

import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.cases import access
from safepassage.evidence import keys, vocabularies
from safepassage.evidence.models import Act, Source, Term
from safepassage.evidence.models.incidents import UNITS
from safepassage.vault import fields

from . import cube, lattice, suppression
from .models import Release

MIN_THRESHOLD, MAX_THRESHOLD, DEFAULT_THRESHOLD = 3, 100, 5
FORMAT = "safepassage-statistics/1"


def _check(user) -> None:
    if not access.can_use_evidence_base(user):
        raise PermissionDenied


@dataclass
class Overview:
    unit: str
    total: int
    tables: dict  # dimension -> [(category, cube.Cell)]
    merged: int
    uncounted: int  # acts no usable source reports any more (e.g. a consent was withdrawn)


# What the overview counts by, and how finely.
OVERVIEW_LEVELS = {"act_type": "code", "perpetrator": "code", "period": "month", "region": "region"}


def overview(user, unit: str = "persons") -> Overview:
    """Exact counts by act type, perpetrator, month and region, for the researchers only."""
    _check(user)
    vocabularies.ensure_seeded(user.organisation)
    org = user.organisation_id
    counted = cube.counted_acts(org, unit)
    tables = {}
    for dim, level in OVERVIEW_LEVELS.items():
        t = cube.table(org, counted, [(dim, level)])
        rows = [(key[0], cell) for key, cell in t.items()]
        if dim == "period":  # months with nothing are noise on screen; the releases keep them
            rows = [r for r in rows if r[1].value]
        tables[dim] = rows
    acts = access.evidence_records(user, Act).filter(unit=unit)
    roots = acts.filter(merged_into__isnull=True).count()
    return Overview(unit=unit, total=sum(c.figure for c in counted), tables=tables,
                    merged=acts.filter(merged_into__isnull=False).count(), uncounted=roots - len(counted))


def _dims(dims) -> list[tuple[str, str]]:
    clean = []
    for dim, level in dims:
        if dim not in cube.DIMENSIONS or level not in cube.DIMENSIONS[dim] or level == "all":
            raise ValidationError({"dimension": _("Choose what to count by, and how finely.")})
        if dim in (d for d, _l in clean):
            raise ValidationError({"second": _("Choose two different things to count by.")})
        clean.append((dim, level))
    if not 1 <= len(clean) <= 2:
        raise ValidationError({"dimension": _("Choose what to count by, and how finely.")})
    return clean


def _earlier(user, key: bytes, unit: str) -> dict:
    """The confidential part of each cell as the last earlier release of this unit that showed
    the cell revealed it (its figure minus what public sources report)."""
    shown = {}
    for old in Release.objects.filter(organisation_id=user.organisation_id, unit=unit).order_by("created_at"):
        for cell in json.loads(fields.open_text(key, old, "payload"))["cells"]:
            if cell.get("confidential") is not None:
                shown[tuple(tuple(part) for part in cell["id"])] = cell["confidential"]
    return shown


def _earlier_dimensions(user, unit: str) -> set:
    rows = Release.objects.filter(organisation_id=user.organisation_id, unit=unit).values_list("dimensions", flat=True)
    return {tuple(sorted(tuple(d) for d in dims)) for dims in rows}


def _unique(lines: list) -> list:
    seen, out = set(), []
    for total, parts in lines:
        key = (total, tuple(parts))
        if key not in seen:
            seen.add(key)
            out.append((total, parts))
    return out


def labels(organisation_id) -> dict:
    """Labels of every term a release may name, in the three languages."""
    out = {}
    for t in Term.objects.filter(organisation_id=organisation_id):
        out[f"{t.vocabulary}:{t.code}"] = {"en": t.label_en, "fr": t.label_fr or t.label_en,
                                           "ru": t.label_ru or t.label_en}
    return out


def _citation(key: bytes, source: Source) -> dict:
    return {"title": fields.open_text(key, source, "title"), "publisher": fields.open_text(key, source, "publisher"),
            "url": fields.open_text(key, source, "url"),
            "published_on": source.published_on.isoformat() if source.published_on else None}


@transaction.atomic
def make_release(user, secret: bytes, *, dims, unit: str = "persons", threshold: int = DEFAULT_THRESHOLD) -> Release:
    _check(user)
    key = keys.open_for(user, secret).fields
    dims = _dims(dims)
    if unit not in dict(UNITS):
        raise ValidationError({"unit": _("Choose what to count.")})
    if not MIN_THRESHOLD <= (threshold or 0) <= MAX_THRESHOLD:
        raise ValidationError({"threshold": _("Choose a threshold from %(low)s to %(high)s.")
                               % {"low": MIN_THRESHOLD, "high": MAX_THRESHOLD}})
    org = user.organisation_id
    vocabularies.ensure_seeded(user.organisation)
    today = timezone.localdate()
    counted = cube.counted_acts(org, unit, today)
    cells, lines = lattice.build(org, counted, dims)
    values = {c: cell.confidential for c, cell in cells.items()}
    for earlier_dims in _earlier_dimensions(user, unit) - {tuple(sorted(dims))}:
        their_cells, their_lines = lattice.build(org, counted, list(earlier_dims))
        for c, cell in their_cells.items():
            values.setdefault(c, cell.confidential)
        lines += their_lines
    inp = suppression.Input(values=values, lines=_unique(lines), threshold=threshold,
                            earlier=_earlier(user, key, unit), own=set(cells))
    try:
        result = suppression.protect(inp)
    except suppression.CannotProtect:
        raise ValidationError(_("These statistics cannot be published safely at this granularity: some small "
                                "figure could still be worked out. Choose a coarser granularity.")) from None
    out_cells = [_published(cid, cell, cid in result.hidden, threshold) for cid, cell in cells.items()]
    cited = {s for c in out_cells for s in c["sources"]}
    dims_of = dict(dims)
    out_cells = [dict(c, categories=_categories(c["id"], dims_of)) for c in out_cells]
    payload = {
        "format": FORMAT, "as_of": today.isoformat(), "unit": unit, "threshold": threshold,
        "dimensions": [{"name": d, "level": lv} for d, lv in dims],
        "cells": out_cells,
        "hidden": {"cells": len(result.hidden), "below_threshold": result.primary,
                   "changed_since_earlier_release": result.changed, "to_protect_others": result.complementary},
        "sources": {sid: _citation(key, s) for sid, s in ((str(s.pk), s) for s in Source.objects.filter(
            pk__in=cited, organisation_id=org, public=True, share__isnull=True))},
        "labels": labels(org),
    }
    release = Release(organisation_id=org, dimensions=[list(d) for d in dims], unit=unit, threshold=threshold,
                      as_of=today, hidden=len(result.hidden), created_by=user)
    fields.seal_text(key, release, "payload", json.dumps(payload, sort_keys=True, ensure_ascii=False))
    release.save()
    record("evidence.release_made", actor=user, obj=release, details={
        "dimensions": release.dimensions, "unit": unit, "threshold": threshold, "hidden": release.hidden})
    return release


def _published(cid, cell: cube.Cell, hidden: bool, threshold: int) -> dict:
    """What a release says of one cell: its figure ("shown", or "public" when small but all in
    cited public sources); only the part public sources report ("floor": "at least N"); or
    nothing ("hidden")."""
    if not hidden:
        status = "public" if cell.value and cell.value < threshold else "shown"
        value, qualifier = cell.value, cell.qualifier
    elif cell.floor:
        status, value, qualifier = "floor", cell.floor, "at_least"
    else:
        status, value, qualifier = "hidden", None, None
    return {"id": [list(part) for part in cid], "status": status, "value": value, "qualifier": qualifier,
            "sources": sorted(str(s) for s in cell.citations) if value else [],
            # Kept inside the organisation (the files leave it out): what later releases compare with.
            "confidential": None if hidden else cell.confidential}


def _categories(cid, dims_of: dict) -> dict:
    """{dimension: category} for every dimension of the release, "*" where totalled."""
    given = {dim: value for dim, _level, value in cid}
    return {dim: given.get(dim, cube.ALL) for dim in dims_of}


def open_release(user, secret: bytes, release: Release, *, audit_as="evidence.release_read") -> dict:
    if not access.can_work_on_evidence(user, release):
        raise PermissionDenied
    payload = json.loads(fields.open_text(keys.open_for(user, secret).fields, release, "payload"))
    record(audit_as, actor=user, obj=release)
    return payload


def releases_for(user):
    _check(user)
    return Release.objects.filter(organisation_id=user.organisation_id).select_related("created_by")
