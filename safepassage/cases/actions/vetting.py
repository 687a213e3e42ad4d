"""Vetting: who referred the person and how far we trust them, the checklist that must be
complete before a case can be accepted, corroborations, consistency notes, and the
infiltration flag. Infiltrators posed as victims and as trusted referrers (DOMAIN.md), so
nothing is revealed to an applicant before this is done.

The Vetting row is created lazily, by the first change. Audit details hold codes and ids only."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.vault import datakeys, fields

from .. import access, pipeline
from ..models import Case, Corroboration, Vetting
from ..models.vetting import TRUST_LEVELS
from . import pipeline as pipeline_actions

TRUST_CODES = tuple(code for code, _label in TRUST_LEVELS)
FLAG_TARGET = "suspected_infiltration"


@dataclass
class OpenCorroboration:
    item: Corroboration
    source: str
    detail: str


@dataclass
class OpenVetting:
    """The vetting of one case, decrypted for one request. Never cached, never logged."""

    vetting: Vetting
    pseudonym: str
    referrer: str
    notes: str
    corroborations: list = field(default_factory=list)


def _key(user, secret: bytes, case: Case) -> bytes:
    return datakeys.open_for(case.data_key, user, secret)


def _open(key: bytes, record_, name: str) -> str:
    # A Vetting row made elsewhere (e.g. by the duplicate check ticking its box) may never have
    # had its text sealed: the model's default is empty, and empty here means "nothing written".
    if not getattr(record_, name + "_sealed"):
        return ""
    return fields.open_text(key, record_, name)


def current(case: Case) -> Vetting:
    """The case's vetting, or an unsaved blank one (nothing checked) when none exists yet."""
    return Vetting.objects.filter(case=case).first() or Vetting(case=case)


def open_vetting(user, secret: bytes, case: Case) -> OpenVetting:
    """Everything on the vetting page, decrypted; one audit event for the read."""
    if not access.can_view_case(user, case):
        raise PermissionDenied
    key = _key(user, secret, case)
    vetting = current(case)
    opened = OpenVetting(vetting, fields.open_text(key, case, "pseudonym"), _open(key, vetting, "referrer"),
                         _open(key, vetting, "notes"))
    for item in case.corroborations.order_by("at"):
        opened.corroborations.append(OpenCorroboration(item, fields.open_text(key, item, "source"),
                                                       fields.open_text(key, item, "detail")))
    record("vetting.read", actor=user, obj=case)
    return opened


def _clean_text(value: str, limit: int, what) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(_("%(what)s is too long (at most %(n)s characters).") % {"what": what, "n": limit})
    return value


@transaction.atomic
def update_vetting(user, secret: bytes, case: Case, *, referrer: str, referrer_trust: str, notes: str,
                   identity_checked: bool, referrer_checked: bool, story_corroborated: bool,
                   duplicates_checked: bool) -> Vetting:
    if not access.can_edit_vetting(user, case):
        raise PermissionDenied
    if referrer_trust not in TRUST_CODES:
        raise ValidationError(_("Choose a trust level from the list."))
    referrer = _clean_text(referrer, 500, _("The referrer"))
    notes = _clean_text(notes, 20000, _("The consistency notes"))
    key = _key(user, secret, case)
    vetting, created = Vetting.objects.select_for_update().get_or_create(case=case)
    before = {name: getattr(vetting, name) for name in (*Vetting.CHECKLIST, "referrer_trust")}
    old_referrer = "" if created else _open(key, vetting, "referrer")
    old_notes = "" if created else _open(key, vetting, "notes")
    vetting.referrer_trust = referrer_trust
    checks = {"identity_checked": identity_checked, "referrer_checked": referrer_checked,
              "story_corroborated": story_corroborated, "duplicates_checked": duplicates_checked}
    for name, value in checks.items():
        setattr(vetting, name, bool(value))
    fields.seal_text(key, vetting, "referrer", referrer)
    fields.seal_text(key, vetting, "notes", notes)
    vetting.save()
    changed = [name for name, value in before.items() if getattr(vetting, name) != value]
    changed += [name for name, old, new in (("referrer", old_referrer, referrer), ("notes", old_notes, notes))
                if old != new]
    record("vetting.updated", actor=user, obj=case, details={
        "changed": sorted(changed), "trust": referrer_trust,
        "checked": [name for name in Vetting.CHECKLIST if getattr(vetting, name)],
        "complete": vetting.complete})
    return vetting


@transaction.atomic
def add_corroboration(user, secret: bytes, case: Case, source: str, detail: str,
                      independent: bool) -> Corroboration:
    if not access.can_edit_vetting(user, case):
        raise PermissionDenied
    source = _clean_text(source, 500, _("The source"))
    detail = _clean_text(detail, 20000, _("The detail"))
    if not source:
        raise ValidationError(_("Say who or what corroborates the story."))
    key = _key(user, secret, case)
    item = Corroboration(case=case, independent=bool(independent), by=user)
    fields.seal_text(key, item, "source", source)
    fields.seal_text(key, item, "detail", detail)
    item.save()
    record("vetting.corroboration_added", actor=user, obj=case,
           details={"corroboration": str(item.pk), "independent": item.independent})
    return item


@transaction.atomic
def remove_corroboration(user, case: Case, item: Corroboration) -> None:
    if not access.can_edit_vetting(user, case):
        raise PermissionDenied
    if item.case_id != case.pk:
        raise PermissionDenied
    record("vetting.corroboration_removed", actor=user, obj=case, details={"corroboration": str(item.pk)})
    item.delete()


def can_flag_infiltration(user, case: Case) -> bool:
    """Whether the "raise an infiltration flag" button makes sense here: the user may edit the
    vetting, the transition table allows it from the current state, and their role may take it."""
    transition = pipeline.find(case.state, FLAG_TARGET)
    return (transition is not None and access.can_edit_vetting(user, case)
            and access.can_take_transition(user, case, transition))


def raise_infiltration_flag(user, case: Case) -> None:
    """Moves the case to "suspected infiltration": the pipeline records the state change and
    raises the alert; disclosure is frozen until two coordinators clear it."""
    if not access.can_edit_vetting(user, case):
        raise PermissionDenied
    pipeline_actions.change_state(user, case, FLAG_TARGET)
