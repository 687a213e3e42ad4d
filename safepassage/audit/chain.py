"""Append to, verify, checkpoint and redact the audit chain.

Each event's hash is an HMAC-SHA256, under the audit key kept in the keystore folder (outside the
database), of the event's seq, time, organisation, actor, action, the previous hash, and a
*commitment* to what it is about: an HMAC of its object type, object id and details. So:

- someone who can write to the database but not read the server's files cannot rewrite the chain
  (not even the whole of it) and keep it verifying;
- the last (seq, hash) is checkpointed outside the database after every commit (AUDIT_CHECKPOINT,
  copy it off the server from time to time, `safepassage audit verify` prints it): cutting the end
  of the chain, even with a matching head row, no longer goes unseen;
- erasing a case redacts its events: their object id and details go, their commitment stays, so
  the chain still verifies without saying which case they were about. A redaction is legitimate only
  if a later, keyed "audit.redacted" event lists it; a blanked event that none lists breaks the chain."""

import hashlib
import hmac
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.vault import serverkeys

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _key() -> bytes:
    return serverkeys.get("audit", create=not AuditEvent.objects.exists())


def _mac(key: bytes, parts) -> str:
    body = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def _commitment(key, object_type, object_id, details) -> str:
    return _mac(key, ["about", object_type, object_id, details])


def _digest(seq, at, organisation, actor, action, object_type="", object_id="", details=None, prev_hash="",
            commit=None, key=None) -> str:
    """The keyed hash of an event (`commit` given for a redacted event, whose content is gone)."""
    key = key or _key()
    commit = commit or _commitment(key, object_type, object_id, details or {})
    return _mac(key, ["event", seq, at.isoformat(), organisation, actor, action, commit, prev_hash])


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
    fields = {"organisation": _ident(organisation), "actor": _ident(actor), "action": action}
    about = {"object_type": object_type, "object_id": str(object_id), "details": details or {}}
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            # Only a database without events lacks the head (the migration makes it; a flush
            # removes it). With events present, seq 1 collides and the append fails loudly.
            AuditHead.objects.bulk_create([AuditHead(pk=1, seq=0, hash=GENESIS)], ignore_conflicts=True)
            head = AuditHead.objects.select_for_update().get(pk=1)
        key = _key()
        seq, at = head.seq + 1, timezone.now()
        commit = _commitment(key, about["object_type"], about["object_id"], about["details"])
        digest = _digest(seq, at, prev_hash=head.hash, commit=commit, key=key, **fields)
        event = AuditEvent.objects.create(seq=seq, at=at, prev_hash=head.hash, hash=digest, commitment=commit,
                                          **fields, **about)
        head.seq, head.hash = seq, digest
        head.save(update_fields=["seq", "hash"])
        transaction.on_commit(lambda: checkpoint(seq, digest), robust=True)
    return event


# Checkpoints outside the database

def _checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT)


def read_checkpoint() -> tuple[int, str] | None:
    try:
        seq, digest, mac = _checkpoint_path().read_text().split()
    except (FileNotFoundError, ValueError):
        return None
    if not hmac.compare_digest(mac, _mac(_key(), ["checkpoint", int(seq), digest])):
        return (-1, "")  # altered: verify reports it
    return int(seq), digest


def checkpoint(seq: int, digest: str, *, restart: bool = False) -> None:
    """Record (seq, hash) outside the database, never going back (concurrent writers race), unless
    `restart`: a restored backup starts the chain's record again from its own head."""
    import fcntl

    target = _checkpoint_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        current = os.pread(fd, 256, 0).split()
        if not restart and current and current[0].isdigit() and int(current[0]) >= seq:
            return
        line = f"{seq} {digest} {_mac(_key(), ['checkpoint', seq, digest])}\n".encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, line, 0)
    finally:
        os.close(fd)


# Redaction (erasure)

def redact(ids) -> int:
    """Erasure: every event about one of these records (as its object, or naming it in its
    details) loses its object id and details; its commitment stays, so the chain still verifies.
    A keyed "audit.redacted" event lists them. Returns how many were redacted."""
    ids = [str(i) for i in ids if i]
    if not ids:
        return 0
    text = Cast("details", TextField())
    about = Q(object_id__in=ids)
    for i in ids:
        about |= Q(details_text__icontains=i)
    rows = AuditEvent.objects.annotate(details_text=text).filter(about, redacted=False)
    seqs = sorted(rows.values_list("seq", flat=True))
    if seqs:
        AuditEvent.objects.filter(seq__in=seqs).update(object_id="", details={}, redacted=True)
        record("audit.redacted", details={"events": len(seqs), "seqs": seqs})
    return len(seqs)


# Verification

@dataclass
class Verdict:
    ok: bool
    count: int
    head: str
    bad_seq: int | None = None
    reason: str = ""
    checkpoint: tuple | None = None


def verify() -> Verdict:
    """Walk the chain from the first event; report the first event that breaks it."""
    key = _key() if AuditEvent.objects.exists() else None
    prev_hash, expected_seq, count = GENESIS, 1, 0
    redacted, listed, hashes = [], set(), {}
    for ev in AuditEvent.objects.order_by("seq", "id").iterator(chunk_size=2000):
        if ev.seq != expected_seq:
            return Verdict(False, count, prev_hash, ev.seq, _("expected event %(seq)s here") % {"seq": expected_seq})
        if ev.prev_hash != prev_hash:
            return Verdict(False, count, prev_hash, ev.seq, _("does not follow the previous event"))
        if ev.redacted:
            redacted.append(ev.seq)
            if ev.object_id or ev.details:
                return Verdict(False, count, prev_hash, ev.seq, _("content does not match its hash"))
        elif not hmac.compare_digest(ev.commitment, _commitment(key, ev.object_type, ev.object_id, ev.details)):
            return Verdict(False, count, prev_hash, ev.seq, _("content does not match its hash"))
        digest = _digest(ev.seq, ev.at, ev.organisation, ev.actor, ev.action, prev_hash=ev.prev_hash,
                         commit=ev.commitment, key=key)
        if not hmac.compare_digest(digest, ev.hash):
            return Verdict(False, count, prev_hash, ev.seq, _("content does not match its hash"))
        if ev.action == "audit.redacted":
            listed.update(ev.details.get("seqs", []))
        hashes[ev.seq] = ev.hash
        prev_hash, expected_seq, count = ev.hash, expected_seq + 1, count + 1
    unlisted = [s for s in redacted if s not in listed]
    if unlisted:
        return Verdict(False, unlisted[0] - 1, prev_hash, unlisted[0], _("blanked without an erasure saying so"))
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
    mark = read_checkpoint() if key else None
    if mark is not None:
        seq, digest = mark
        if seq < 0:
            return Verdict(False, count, prev_hash, count, _("the checkpoint outside the database was altered"))
        if seq > count or hashes.get(seq) != digest:
            return Verdict(False, min(seq, count + 1) - 1, prev_hash, min(seq, count + 1),
                           _("the checkpoint outside the database records %(seq)s events; the chain is not that "
                             "chain any more") % {"seq": seq})
    return Verdict(True, count, prev_hash, checkpoint=mark)
