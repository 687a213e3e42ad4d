"""Deduplication: the same act or victim reported by several sources is counted once.

Merging B into A sets B.merged_into = A and records a Merge; B keeps its sources, which now
count for A. Only records that are not merged themselves can take part, so merges form trees
whose roots are what statistics count. Undoing a merge puts B back as its own root. Nothing is
deleted, so what was counted on any day can be explained."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.cases import access
from safepassage.vault import fields

from .. import keys
from ..models import Act, Merge, Victim

MAX_SUGGESTIONS = 50


def _check(user, *records) -> None:
    if not access.can_work_on_evidence(user, *records):
        raise PermissionDenied


def _roots_only(survivor, merged) -> None:
    if survivor.pk == merged.pk:
        raise ValidationError(_("A record cannot be merged into itself."))
    if merged.merged_into_id:
        raise ValidationError(_("This record is already merged into another one."))
    if survivor.merged_into_id:
        raise ValidationError(_("The record to keep is itself merged into another one: merge into that one."))


def merge_acts(user, secret: bytes, survivor: Act, merged: Act, *, reason: str = "") -> Merge:
    return _merge(user, secret, "act", survivor, merged, reason)


def merge_victims(user, secret: bytes, survivor: Victim, merged: Victim, *, reason: str = "") -> Merge:
    return _merge(user, secret, "victim", survivor, merged, reason)


@transaction.atomic
def _merge(user, secret: bytes, kind: str, survivor, merged, reason: str) -> Merge:
    key = keys.open_for(user, secret).fields
    rows = type(survivor).objects.select_for_update()
    if kind == "act":
        rows = rows.select_related("event")
    survivor, merged = rows.get(pk=survivor.pk), rows.get(pk=merged.pk)
    _check(user, survivor, merged)
    _roots_only(survivor, merged)
    if kind == "act" and survivor.unit != merged.unit:
        raise ValidationError(_("These acts count different things (people and incidents): they cannot be "
                                "the same act."))
    merge = Merge(organisation_id=user.organisation_id, kind=kind, merged_by=user,
                  **{f"survivor_{kind}": survivor, f"merged_{kind}": merged})
    fields.seal_text(key, merge, "reason", (reason or "").strip()[:2000])
    merge.save()
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    record("evidence.acts_merged" if kind == "act" else "evidence.victims_merged", actor=user, obj=merge,
           details={"survivor": str(survivor.pk), "merged": str(merged.pk)})
    return merge


@transaction.atomic
def undo(user, merge: Merge) -> None:
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    _check(user, merge)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    merged = merge.merged
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    merge.undone_at, merge.undone_by = timezone.now(), user
    merge.save(update_fields=["undone_at", "undone_by"])
    record("evidence.merge_undone", actor=user, obj=merge, details={
        "kind": merge.kind, "survivor": str(merge.survivor.pk), "merged": str(merged.pk)})


def merge_reason(user, secret: bytes, merge: Merge) -> str:
    _check(user, merge)
    return fields.open_text(keys.open_for(user, secret).fields, merge, "reason")


def root_of(record):
    """Follow merged_into to the record that is counted."""
    seen = set()
    while record.merged_into_id and record.pk not in seen:
        seen.add(record.pk)
        record = record.merged_into
    return record


def suggestions(user) -> dict:
    """Likely duplicates among records that are counted (roots): acts of the same type, unit,
    region and year done to the same victim, or both to unnamed groups, or one to a victim and
    one to a group that may include them, that no source reports twice; and victims from
    testimonies shared by the same case. A person decides."""
    _check(user)
    acts = list(access.evidence_records(user, Act).filter(merged_into__isnull=True).select_related(
        "act_type", "region", "victim__merged_into").prefetch_related("attestations"))
    groups, alike = defaultdict(list), defaultdict(list)
    for act in acts:
        victim = root_of(act.victim).pk if act.victim else None
        year = act.occurred_on.year if act.occurred_on else None
        groups[(act.act_type_id, act.unit, act.region_id, year, victim)].append(act)
        alike[(act.act_type_id, act.unit, act.region_id, year)].append(act)

    def apart(a, b):
        return not {att.source_id for att in a.attestations.all()} & {att.source_id for att in b.attestations.all()}

    act_pairs = [(a, b) for group in groups.values() for i, a in enumerate(group) for b in group[i + 1:]
                 if apart(a, b)]
    # A victim's act may be one of those a group count already holds ("at least 100 detained").
    act_pairs += [(g, v) for group in alike.values() for g in group if g.victim_id is None and g.count > 1
                  for v in group if v.victim_id is not None and apart(g, v)]
    by_case = defaultdict(list)
    for victim in access.evidence_records(user, Victim).filter(merged_into__isnull=True, share__case__isnull=False
                                                               ).select_related("share"):
        by_case[victim.share.case_id].append(victim)
    victim_pairs = [(group[0], other) for group in by_case.values() for other in group[1:]]
    return {"acts": act_pairs[:MAX_SUGGESTIONS], "victims": victim_pairs[:MAX_SUGGESTIONS]}
