"""Sources, events, acts, victims and attestations of the evidence base. Only documentation
researchers act here (access.can_use_evidence_base); every read of sealed text and every change
is audited with ids and codes only."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.cases import access
from safepassage.vault import fields

from .. import dates, keys
from ..models import Act, Attestation, Event, Merge, Source, Term, Victim
from ..models.incidents import CERTAINTIES, DATE_PRECISIONS, QUALIFIERS, RELIABILITY, STANCES, UNITS, VALIDITY

MAX_TITLE = 300
MAX_TEXT = 20_000
MAX_COUNT = 1_000_000


@dataclass
class OpenSource:
    source: Source
    title: str
    publisher: str = ""
    url: str = ""
    notes: str = ""


@dataclass
class OpenVictim:
    victim: Victim
    description: str


@dataclass
class OpenAct:
    act: Act
    note: str
    victim: OpenVictim | None
    attestations: list[tuple[Attestation, str]] = field(default_factory=list)  # (attestation, source title)


@dataclass
class OpenEvent:
    event: Event
    title: str
    description: str = ""
    place: str = ""
    acts: list[OpenAct] = field(default_factory=list)


def _keys(user, secret: bytes) -> bytes:
    return keys.open_for(user, secret).fields


def _mine(user, record) -> None:
    """A record of another organisation (or anything for a non-researcher) is refused."""
    if not access.can_work_on_evidence(user, record):
        raise PermissionDenied


def _text(value: str, name: str, *, required=False, limit=MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({name: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({name: _("At most %(n)s characters.") % {"n": limit}})
    return value


def _choice(value: str, choices, name: str) -> str:
    if value not in dict(choices):
        raise ValidationError({name: _("Choose one of the options.")})
    return value


def _term(user, term: Term | None, vocabulary: str, name: str, *, required=True, current: Term | None = None):
    """A term of the user's organisation and of that vocabulary; inactive only if already set."""
    if term is None:
        if required:
            raise ValidationError({name: _("Choose one of the options.")})
        return None
    if (term.organisation_id != user.organisation_id or term.vocabulary != vocabulary
            or not (term.active or term == current)):
        raise ValidationError({name: _("Choose one of the options.")})
    return term


def _when(day: date | None, precision: str) -> date | None:
    precision = _choice(precision, DATE_PRECISIONS, "date_precision")
    if precision != "unknown" and day is None:
        raise ValidationError({"occurred_on": _("Enter a date, or choose 'Unknown' as its precision.")})
    if day is not None and day > timezone.localdate():
        raise ValidationError({"occurred_on": _("This date is in the future.")})
    return dates.normalise(day, precision)


def _listed(user, secret: bytes, records, open_one, name: str) -> list:
    """One page of records opened for a list; one audit event (evidence.<name>_listed) names them."""
    key = _keys(user, secret)
    opened = []
    for rec in records:
        _mine(user, rec)
        opened.append(open_one(key, rec))
    if opened:
        record(f"evidence.{name}_listed", actor=user, details={name: [str(r.pk) for r in records]})
    return opened


# Sources

def _source_fields(user, data: dict, current: Source | None = None) -> dict:
    clean = {
        "source_type": _term(user, data.get("source_type"), "source_type", "source_type",
                             current=current.source_type if current else None),
        "title": _text(data.get("title"), "title", required=True, limit=MAX_TITLE),
        "publisher": _text(data.get("publisher"), "publisher", limit=MAX_TITLE),
        "url": _text(data.get("url"), "url", limit=2000),
        "notes": _text(data.get("notes"), "notes"),
        "published_on": data.get("published_on"),
        "public": bool(data.get("public")),
        "reliability": _choice(data.get("reliability") or "F", RELIABILITY, "reliability"),
    }
    if clean["published_on"] and clean["published_on"] > timezone.localdate():
        raise ValidationError({"published_on": _("This date is in the future.")})
    if clean["public"] and current is not None and current.share_id:
        raise ValidationError({"public": _("A testimony shared by a case is never a public source.")})
    return clean


def _seal_source(key: bytes, source: Source, clean: dict) -> None:
    for name in Source.SEALED_FIELDS:
        fields.seal_text(key, source, name, clean[name])


@transaction.atomic
def create_source(user, secret: bytes, **data) -> Source:
    key = _keys(user, secret)
    clean = _source_fields(user, data)
    source = Source(organisation_id=user.organisation_id, created_by=user,
                    **{k: v for k, v in clean.items() if k not in Source.SEALED_FIELDS})
    _seal_source(key, source, clean)
    source.save()
    record("evidence.source_added", actor=user, obj=source, details={
        "type": source.source_type.code, "public": source.public, "reliability": source.reliability})
    return source


@transaction.atomic
def update_source(user, secret: bytes, source: Source, **data) -> None:
    key = _keys(user, secret)
    source = Source.objects.select_for_update().get(pk=source.pk)
    _mine(user, source)
    clean = _source_fields(user, data, current=source)
    for name, value in clean.items():
        if name not in Source.SEALED_FIELDS:
            setattr(source, name, value)
    _seal_source(key, source, clean)
    source.save()
    record("evidence.source_updated", actor=user, obj=source, details={
        "type": source.source_type.code, "public": source.public, "reliability": source.reliability})


def _open_source(key: bytes, source: Source, full=True) -> OpenSource:
    if not full:
        return OpenSource(source, fields.open_text(key, source, "title"))
    return OpenSource(source, *(fields.open_text(key, source, n) for n in Source.SEALED_FIELDS))


def open_source(user, secret: bytes, source: Source) -> OpenSource:
    _mine(user, source)
    opened = _open_source(_keys(user, secret), source)
    record("evidence.source_read", actor=user, obj=source)
    return opened


def list_sources(user, secret: bytes, sources) -> list[OpenSource]:
    """Titles for one page of sources; one audit event names them."""
    return _listed(user, secret, sources, lambda key, r: _open_source(key, r, full=False), "sources")


def source_titles(user, secret: bytes) -> list[tuple[str, str]]:
    """(id, title) of every source, for choosing one in a form (not audited as a read of the
    sources' contents: only titles are opened, as a list would)."""
    key = _keys(user, secret)
    rows = access.evidence_records(user, Source).select_related("source_type")
    return [(str(s.pk), f"{fields.open_text(key, s, 'title')} ({s.source_type.label})") for s in rows]


# Events

def _event_fields(user, data: dict, current: Event | None = None) -> dict:
    return {
        "title": _text(data.get("title"), "title", required=True, limit=MAX_TITLE),
        "description": _text(data.get("description"), "description"),
        "place": _text(data.get("place"), "place", limit=MAX_TITLE),
        "region": _term(user, data.get("region"), "region", "region", required=False,
                        current=current.region if current else None),
        "date_precision": data.get("date_precision") or "unknown",
        "occurred_on": _when(data.get("occurred_on"), data.get("date_precision") or "unknown"),
    }


@transaction.atomic
def create_event(user, secret: bytes, **data) -> Event:
    key = _keys(user, secret)
    clean = _event_fields(user, data)
    event = Event(organisation_id=user.organisation_id, created_by=user, region=clean["region"],
                  occurred_on=clean["occurred_on"], date_precision=clean["date_precision"])
    for name in Event.SEALED_FIELDS:
        fields.seal_text(key, event, name, clean[name])
    event.save()
    record("evidence.event_added", actor=user, obj=event, details={
        "region": event.region.code if event.region else "", "precision": event.date_precision})
    return event


@transaction.atomic
def update_event(user, secret: bytes, event: Event, **data) -> None:
    key = _keys(user, secret)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _mine(user, event)
    clean = _event_fields(user, data, current=event)
    event.region, event.occurred_on, event.date_precision = (
        clean["region"], clean["occurred_on"], clean["date_precision"])
    for name in Event.SEALED_FIELDS:
        fields.seal_text(key, event, name, clean[name])
    event.save()
    record("evidence.event_updated", actor=user, obj=event, details={
        "region": event.region.code if event.region else "", "precision": event.date_precision})


def event_titles(user, secret: bytes) -> list[tuple[str, str]]:
    """(id, title) of every event, for choosing one in a form."""
    key = _keys(user, secret)
    return [(str(e.pk), f"{fields.open_text(key, e, 'title')} ({dates.describe(e.occurred_on, e.date_precision)})")
            for e in access.evidence_records(user, Event)]


def list_events(user, secret: bytes, events) -> list[OpenEvent]:
    return _listed(user, secret, events, lambda key, r: OpenEvent(r, fields.open_text(key, r, "title")), "events")


def _open_victim(key: bytes, victim: Victim | None) -> OpenVictim | None:
    if victim is None:
        return None
    return OpenVictim(victim, fields.open_text(key, victim, "description"))


def _open_act(key: bytes, act: Act) -> OpenAct:
    opened = OpenAct(act, fields.open_text(key, act, "note"), _open_victim(key, act.victim))
    for att in act.attestations.select_related("source__source_type"):
        opened.attestations.append((att, fields.open_text(key, att.source, "title")))
    return opened


def open_event(user, secret: bytes, event: Event) -> OpenEvent:
    """The event with its acts, their victims and sources."""
    _mine(user, event)
    key = _keys(user, secret)
    opened = OpenEvent(event, *(fields.open_text(key, event, n) for n in Event.SEALED_FIELDS))
    acts = event.acts.select_related("act_type", "perpetrator_type", "region", "victim", "merged_into")
    opened.acts = [_open_act(key, act) for act in acts]
    record("evidence.event_read", actor=user, obj=event)
    return opened


# Victims

@transaction.atomic
def create_victim(user, secret: bytes, *, description: str, share=None) -> Victim:
    key = _keys(user, secret)
    description = _text(description, "description", required=share is None, limit=MAX_TITLE)
    if share is not None and share.organisation_id != user.organisation_id:
        raise PermissionDenied
    victim = Victim(organisation_id=user.organisation_id, created_by=user, share=share)
    fields.seal_text(key, victim, "description", description)
    victim.save()
    record("evidence.victim_added", actor=user, obj=victim, details={"from_share": share is not None})
    return victim


@transaction.atomic
def update_victim(user, secret: bytes, victim: Victim, *, description: str) -> None:
    key = _keys(user, secret)
    _mine(user, victim)
    description = _text(description, "description", required=victim.share_id is None, limit=MAX_TITLE)
    fields.seal_text(key, victim, "description", description)
    victim.save(update_fields=["description_sealed"])
    record("evidence.victim_updated", actor=user, obj=victim)


def open_victim(user, secret: bytes, victim: Victim) -> tuple[OpenVictim, list[OpenAct]]:
    _mine(user, victim)
    key = _keys(user, secret)
    acts = Act.objects.filter(victim=victim).select_related("act_type", "perpetrator_type", "region", "event")
    opened = (_open_victim(key, victim), [_open_act(key, a) for a in acts])
    record("evidence.victim_read", actor=user, obj=victim)
    return opened


def list_victims(user, secret: bytes, victims) -> list[OpenVictim]:
    return _listed(user, secret, victims, _open_victim, "victims")


def victim_choices(user, secret: bytes) -> list[tuple[str, str]]:
    """(id, label) of victims that are not merged into another, for a form."""
    key = _keys(user, secret)
    rows = access.evidence_records(user, Victim).filter(merged_into__isnull=True)
    return [(str(v.pk), f"{v.short_ref} {fields.open_text(key, v, 'description')}".strip()) for v in rows]


# Acts

def _act_fields(user, event: Event, data: dict, current: Act | None = None) -> dict:
    victim = data.get("victim")
    if victim is not None:
        _mine(user, victim)
        if victim.merged_into_id:
            raise ValidationError({"victim": _("This victim was merged into another: choose that one.")})
    count = data.get("count") or 1
    unit = _choice(data.get("unit") or "persons", UNITS, "unit")
    qualifier = _choice(data.get("qualifier") or "exact", QUALIFIERS, "qualifier")
    if not 1 <= count <= MAX_COUNT:
        raise ValidationError({"count": _("Enter a number from 1 to %(n)s.") % {"n": MAX_COUNT}})
    if victim is not None and (count != 1 or unit != "persons" or qualifier != "exact"):
        raise ValidationError({"count": _("An act done to one victim counts exactly one person. For a group, "
                                          "leave the victim empty and give the number.")})
    precision = data.get("date_precision") or ""
    day = data.get("occurred_on")
    if not precision:  # the act happened when its event did
        precision, day = event.date_precision, event.occurred_on
    return {
        "victim": victim,
        "act_type": _term(user, data.get("act_type"), "act_type", "act_type",
                          current=current.act_type if current else None),
        "perpetrator_type": _term(user, data.get("perpetrator_type"), "perpetrator_type", "perpetrator_type",
                                  current=current.perpetrator_type if current else None),
        "region": _term(user, data.get("region"), "region", "region", required=False,
                        current=current.region if current else None) or event.region,
        "date_precision": precision,
        "occurred_on": _when(day, precision),
        "certainty": _choice(data.get("certainty") or "probable", CERTAINTIES, "certainty"),
        "count": count, "unit": unit, "qualifier": qualifier,
    }


def _act_details(act: Act) -> dict:
    return {"event": str(act.event_id), "act_type": act.act_type.code, "perpetrator": act.perpetrator_type.code,
            "region": act.region.code if act.region else "", "count": act.count, "unit": act.unit,
            "qualifier": act.qualifier, "victim": str(act.victim_id or "")}


def _source_of(user, source: Source | None) -> Source:
    if source is None:
        raise ValidationError({"source": _("Choose the source that reports this act.")})
    _mine(user, source)
    return source


@transaction.atomic
def create_act(user, secret: bytes, event: Event | None, *, source: Source, validity: str, note: str = "",
               **data) -> Act:
    """An act always comes from a source: the first attestation is made with it."""
    key = _keys(user, secret)
    if event is None:
        raise ValidationError({"event": _("Choose the event this act belongs to.")})
    _mine(user, event)
    clean = _act_fields(user, event, data)
    source = _source_of(user, source)
    validity = _choice(validity or "6", VALIDITY, "validity")
    act = Act(event=event, created_by=user, **clean)
    fields.seal_text(key, act, "note", _text(note, "note"))
    act.save()
    Attestation.objects.create(act=act, source=source, validity=validity, created_by=user)
    record("evidence.act_added", actor=user, obj=act, details={**_act_details(act), "source": str(source.pk),
                                                               "validity": validity})
    return act


@transaction.atomic
def update_act(user, secret: bytes, act: Act, *, note: str = "", **data) -> None:
    key = _keys(user, secret)
    act = Act.objects.select_for_update().select_related("event").get(pk=act.pk)
    _mine(user, act)
    clean = _act_fields(user, act.event, data, current=act)
    in_a_merge = act.merged_into_id or Act.objects.filter(merged_into=act).exists()
    if clean["unit"] != act.unit and in_a_merge:
        raise ValidationError({"unit": _("This act is merged with others: what it counts cannot change. Undo the "
                                         "merge first.")})
    for name, value in clean.items():
        setattr(act, name, value)
    fields.seal_text(key, act, "note", _text(note, "note"))
    act.save()
    record("evidence.act_updated", actor=user, obj=act, details=_act_details(act))


def open_act(user, secret: bytes, act: Act) -> OpenAct:
    _mine(user, act)
    opened = _open_act(_keys(user, secret), act)
    record("evidence.act_read", actor=user, obj=act)
    return opened


@transaction.atomic
def delete_act(user, act: Act) -> None:
    """An act entered by mistake. One that was ever part of a merge stays: the history of what
    was counted must remain whole."""
    act = Act.objects.select_for_update().select_related("event").get(pk=act.pk)
    _mine(user, act)
    if act.merged_into_id or Merge.objects.filter(Q(survivor_act=act) | Q(merged_act=act)).exists():
        raise ValidationError(_("This act was part of a merge, which stays on record: it cannot be deleted."))
    details = _act_details(act)
    act.attestations.all().delete()
    act.delete()
    record("evidence.act_deleted", actor=user, object_type="act", object_id=details["event"], details=details)


# Attestations

@transaction.atomic
def attest(user, act: Act, *, source: Source, validity: str, stance: str = "reports") -> Attestation:
    """Another source reports this act, or denies it."""
    _mine(user, act)
    source = _source_of(user, source)
    validity = _choice(validity or "6", VALIDITY, "validity")
    stance = _choice(stance or "reports", STANCES, "stance")
    if act.attestations.filter(source=source).exists():
        raise ValidationError({"source": _("This source is already recorded for this act.")})
    att = Attestation.objects.create(act=act, source=source, validity=validity, stance=stance, created_by=user)
    record("evidence.attested", actor=user, obj=act, details={
        "source": str(source.pk), "validity": validity, "stance": stance})
    return att


@transaction.atomic
def remove_attestation(user, attestation: Attestation) -> None:
    _mine(user, attestation.act)
    others = attestation.act.attestations.exclude(pk=attestation.pk)
    if attestation.stance == "reports" and not others.filter(stance="reports").exists():
        raise ValidationError(_("An act keeps at least one source that reports it. Add another source first, "
                                "or delete the act."))
    details = {"source": str(attestation.source_id), "validity": attestation.validity}
    act = attestation.act
    attestation.delete()
    record("evidence.attestation_removed", actor=user, obj=act, details=details)
