"""Redacting a testimony before it goes to investigators or the public: Presidio proposes, a
person confirms (and adds what it missed), and the version kept records what was redacted.
Proposals are made again on the server when the person confirms, so a form cannot smuggle in
offsets of its own."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.cases import access
from safepassage.cases.models import Case
from safepassage.evidence import redaction as engine
from safepassage.evidence.models import Testimony, Translation
from safepassage.vault import datakeys, fields

from ..models import Redaction

MAX_WORDS = 200


def _source(user, secret: bytes, case: Case, testimony: Testimony, tr: Translation | None) -> tuple[str, str]:
    """(text, language) of the testimony or of one of its human translations."""
    if not access.can_redact(user, case) or testimony.case_id != case.pk:
        raise PermissionDenied
    key = datakeys.open_for(case.data_key, user, secret)
    if tr is None:
        return fields.open_text(key, testimony, "text"), testimony.language
    if tr.testimony_id != testimony.pk or tr.machine:
        raise PermissionDenied
    return fields.open_text(key, tr, "text"), tr.target_language


def propose(user, secret: bytes, case: Case, testimony: Testimony, tr: Translation | None = None):
    """(the text, its language, the findings) for the person to confirm."""
    text, language = _source(user, secret, case, testimony, tr)
    findings = engine.propose(text, language)
    record("redaction.proposed", actor=user, obj=case, details={
        "testimony": str(testimony.pk), "translation": str(tr.pk) if tr else "", "proposed": len(findings)})
    return text, language, findings


@transaction.atomic
def confirm(user, secret: bytes, case: Case, testimony: Testimony, tr: Translation | None = None, *,
            chosen: list[int], words: list[str]) -> Redaction:
    """Keep the proposals the person ticked (by their place in the list) and every occurrence of
    the words they added."""
    text, language = _source(user, secret, case, testimony, tr)
    proposals = engine.propose(text, language)
    if any(i < 0 or i >= len(proposals) for i in chosen):
        raise ValidationError(_("The text changed since the proposals were made: start again."))
    words = [w.strip() for w in words if w.strip()][:MAX_WORDS]
    kept = [proposals[i] for i in sorted(set(chosen))] + engine.by_hand(text, words)
    if not kept:
        raise ValidationError(_("Nothing would be redacted: tick a proposal or add a word."))
    redacted = engine.apply(text, kept, language)
    applied = [{"start": f.start, "end": f.end, "entity": f.entity,
                "by": "person" if f.entity == "CUSTOM" else "proposed"} for f in sorted(kept, key=lambda f: f.start)]
    row = Redaction(case=case, testimony=testimony, translation=tr, language=language, proposed=len(proposals),
                    created_by=user)
    key = datakeys.open_for(case.data_key, user, secret)
    fields.seal_text(key, row, "text", redacted)
    fields.seal_text(key, row, "applied", json.dumps(applied))
    row.save()
    record("redaction.made", actor=user, obj=case, details={
        "redaction": str(row.pk), "testimony": str(testimony.pk), "proposed": len(proposals),
        "kept": len(chosen), "added": len(kept) - len(set(chosen))})
    return row


def open_redaction(user, secret: bytes, row: Redaction) -> tuple[str, list]:
    if not access.can_redact(user, row.case):
        raise PermissionDenied
    key = datakeys.open_for(row.case.data_key, user, secret)
    record("redaction.read", actor=user, obj=row.case, details={"redaction": str(row.pk)})
    return fields.open_text(key, row, "text"), json.loads(fields.open_text(key, row, "applied"))
