"""Append to and verify the audit hash chain."""

import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _digest(seq, at, organisation, actor, action, object_type, object_id, details, prev_hash) -> str:
    body = json.dumps(
        [seq, at.isoformat(), organisation, actor, action, object_type, object_id, details, prev_hash],
        sort_keys=True, separators=(",", ":"), ensure_ascii=True,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _ident(obj) -> str:
    """A record's public identity: its UUID. An id may be given as such (str or UUID)."""
    if obj is None:
        return ""
    if isinstance(obj, str | uuid.UUID):
        return str(obj)
    return str(getattr(obj, "uuid", None) or obj.pk)


def record(action: str, *, actor=None, organisation=None, obj=None, object_type="", object_id="",
           details=None) -> AuditEvent:
    """Append one event. Call it inside the action's transaction so the event and the change
    it describes commit together or not at all."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or _ident(obj)
    if organisation is None and actor is not None:
        organisation = getattr(actor, "organisation", None)
    fields = {
        "organisation": _ident(organisation), "actor": _ident(actor), "action": action,
        "object_type": object_type, "object_id": str(object_id), "details": details or {},
    }
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            # Only a database without events lacks the head (the migration makes it; a flush
            # removes it). With events present, seq 1 collides and the append fails loudly.
            AuditHead.objects.bulk_create([AuditHead(pk=1, seq=0, hash=GENESIS)], ignore_conflicts=True)
            head = AuditHead.objects.select_for_update().get(pk=1)
        seq = head.seq + 1
        at = timezone.now()
        digest = _digest(seq, at, prev_hash=head.hash, **fields)
        event = AuditEvent.objects.create(seq=seq, at=at, prev_hash=head.hash, hash=digest, **fields)
        head.seq, head.hash = seq, digest
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass
class Verdict:
    ok: bool
    count: int
    head: str
    bad_seq: int | None = None
    reason: str = ""


def verify() -> Verdict:
    """Walk the chain from the first event; report the first event that breaks it."""
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for ev in AuditEvent.objects.order_by("seq", "id").iterator(chunk_size=2000):
        if ev.seq != expected_seq:
            return Verdict(False, count, prev_hash, ev.seq, _("expected event %(seq)s here") % {"seq": expected_seq})
        if ev.prev_hash != prev_hash:
            return Verdict(False, count, prev_hash, ev.seq, _("does not follow the previous event"))
        digest = _digest(ev.seq, ev.at, ev.organisation, ev.actor, ev.action, ev.object_type,
                         ev.object_id, ev.details, ev.prev_hash)
        if digest != ev.hash:
            return Verdict(False, count, prev_hash, ev.seq, _("content does not match its hash"))
        prev_hash, expected_seq, count = ev.hash, expected_seq + 1, count + 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != count or head_hash != prev_hash:
        if head_seq > count:  # events missing from the end: the first missing one
            bad_seq = count + 1
        elif head_seq < count:  # events beyond the head, added without record(): the first of them
            bad_seq = head_seq + 1
        else:  # as many events as the head says, but a different last hash: the last was rewritten
            bad_seq = max(count, 1)
        return Verdict(False, bad_seq - 1, prev_hash, bad_seq,
                       _("the chain head records %(head)s events; %(count)s remain")
                       % {"head": head_seq, "count": count})
    return Verdict(True, count, prev_hash)
