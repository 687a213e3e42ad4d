"""The audit chain against someone who can write to the database but not read the server's
files: a whole chain rewritten with plain SHA-256 (what anyone can recompute), a chain cut short
with its head row moved back to match, an event blanked to hide it, an altered checkpoint. And
erasure: a case's events lose what names it, and the chain still verifies."""

import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command

from safepassage.audit import chain
from safepassage.audit.models import AuditEvent, AuditHead
from safepassage.cases.actions import core as case_actions

from .conftest import erase_with_two_coordinators, sign_in
from .test_audit_chain import reset_chain

pytestmark = pytest.mark.django_db(transaction=True)


def unkeyed(ev, prev_hash) -> str:
    body = [ev.seq, ev.at.isoformat(), ev.organisation, ev.actor, ev.action, ev.object_type, ev.object_id,
            ev.details, prev_hash]
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@pytest.fixture
def five():
    reset_chain()
    for n in range(5):
        chain.record("test.event", object_type="test", object_id=str(n), details={"n": n})
    assert chain.verify().ok and chain.read_checkpoint()[0] == 5


def test_a_whole_chain_rewritten_without_the_key_is_caught_at_its_first_event(five):
    prev = chain.GENESIS
    for ev in AuditEvent.objects.order_by("seq"):
        ev.details = {"n": 0}  # what the rewriter wanted the log to say
        ev.prev_hash, ev.hash = prev, unkeyed(ev, prev)
        ev.save()
        prev = ev.hash
    AuditHead.objects.filter(pk=1).update(hash=prev)
    verdict = chain.verify()
    assert (verdict.ok, verdict.bad_seq) == (False, 1)


def test_a_chain_cut_short_with_its_head_moved_back_is_caught_by_the_checkpoint(five):
    fourth = AuditEvent.objects.get(seq=3)
    AuditEvent.objects.filter(seq__gt=3).delete()
    AuditHead.objects.filter(pk=1).update(seq=3, hash=fourth.hash)  # every link and the head agree
    verdict = chain.verify()
    assert not verdict.ok and "checkpoint outside the database records 5 events" in verdict.reason


def test_an_event_blanked_to_hide_it_breaks_the_chain(five):
    AuditEvent.objects.filter(seq=2).update(object_id="", details={}, redacted=True)
    verdict = chain.verify()
    assert not verdict.ok and verdict.bad_seq == 2 and "without an erasure" in verdict.reason


def test_an_altered_checkpoint_is_reported(five, settings):
    path = settings.AUDIT_CHECKPOINT
    seq, digest, mac = path.read_text().split()
    path.write_text(f"9 {digest} {mac}\n")
    assert "altered" in chain.verify().reason


def test_verify_says_the_checkpoint_matches(five):
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Audit chain intact: 5 events." in out.getvalue()
    assert "checkpoint outside the database (event 5) matches" in out.getvalue()


def test_an_erased_case_leaves_no_outline_in_the_audit_and_the_chain_holds(team):
    coordinator, second = team["coordinator"], team["coordinator2"]
    case = case_actions.create_case(coordinator.user, "Outline", "", 1)
    case_actions.add_member(coordinator.user, coordinator.secret, case, second.user)
    client = sign_in(coordinator)
    client.get(f"/staff/cases/{case.pk}/")
    before = AuditEvent.objects.filter(object_id=str(case.pk)).count()
    assert before >= 3
    erase_with_two_coordinators(client, sign_in(second), case)
    assert chain.verify().ok
    naming = AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)
    assert list(naming) == ["case.erased"]  # the tombstone's own event, and no other
    redaction = AuditEvent.objects.get(action="audit.redacted")
    assert redaction.details["events"] >= before
    dumped = json.dumps(list(AuditEvent.objects.exclude(action="case.erased").values("object_id", "details")))
    assert str(case.pk) not in dumped and str(case.data_key_id) not in dumped
    # Without the audit key, a commitment does not tell what it covered: guessing the case is no help.
    read = AuditEvent.objects.filter(action="case.read", redacted=True).first()
    guess = hashlib.sha256(json.dumps(["about", "case", str(case.pk), {}]).encode()).hexdigest()
    assert read is not None and read.commitment != guess
