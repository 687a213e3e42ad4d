"""Every state change to a case: check with the access policy, change in one transaction,
write the audit event. Views call these and nothing else."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit.chain import record, redact
from safepassage.vault import datakeys, fields

from .. import access, registry, sealed
from ..models import Case


@dataclass
class OpenCase:
    """A case with its sealed fields decrypted for one request. Never cached, never logged."""

    case: Case
    pseudonym: str
    summary: str


def _key(user, secret: bytes, case: Case) -> bytes:
    return datakeys.open_for(case.data_key, user, secret)


def _clean(pseudonym: str, summary: str) -> tuple[str, str]:
    pseudonym, summary = pseudonym.strip(), summary.strip()
    if not pseudonym:
        raise ValidationError(_("A case needs a pseudonym."))
    return pseudonym, summary


@transaction.atomic
def create_case(user, pseudonym: str, summary: str, urgency: int) -> Case:
    if not access.can_create_case(user):
        raise PermissionDenied
    pseudonym, summary = _clean(pseudonym, summary)
    org = user.organisation
    data_key, key = datakeys.create(org, "case", [user], granted_by=user)
    case = Case(organisation=org, data_key=data_key, urgency=urgency, created_by=user)
    fields.seal_text(key, case, "pseudonym", pseudonym)
    fields.seal_text(key, case, "summary", summary)
    case.save()
    record("case.created", actor=user, obj=case, details={"urgency": urgency})
    return case


def open_case(user, secret: bytes, case: Case, *, audit_as="case.read") -> OpenCase:
    if not access.can_view_case(user, case):
        raise PermissionDenied
    key = _key(user, secret, case)
    opened = OpenCase(case, fields.open_text(key, case, "pseudonym"), fields.open_text(key, case, "summary"))
    record(audit_as, actor=user, obj=case)
    return opened


def list_my_cases(user, secret: bytes, cases) -> list[OpenCase]:
    """Pseudonyms for one page of the user's cases; one audit event names the cases shown."""
    opened = []
    for case in cases:
        key = _key(user, secret, case)
        opened.append(OpenCase(case, fields.open_text(key, case, "pseudonym"), ""))
    if opened:
        record("case.listed", actor=user, details={"cases": [str(o.case.id) for o in opened]})
    return opened


@transaction.atomic
def update_case(user, secret: bytes, case: Case, pseudonym: str, summary: str, urgency: int) -> None:
    if not access.can_edit_case(user, case):
        raise PermissionDenied
    pseudonym, summary = _clean(pseudonym, summary)
    key = _key(user, secret, case)
    fields.seal_text(key, case, "pseudonym", pseudonym)
    fields.seal_text(key, case, "summary", summary)
    case.urgency = urgency
    case.save()
    record("case.updated", actor=user, obj=case, details={"urgency": urgency})


@transaction.atomic
def add_member(user, secret: bytes, case: Case, member) -> None:
    if not access.can_manage_members(user, case):
        raise PermissionDenied
    if not access.can_be_member(member, case):
        raise ValidationError(_("That person cannot be added to this case."))
    datakeys.grant(case.data_key, _key(user, secret, case), member, granted_by=user)
    for linked in registry.linked_keys(case):
        datakeys.grant(linked, datakeys.open_for(linked, user, secret), member, granted_by=user)
    record("case.granted", actor=user, obj=case, details={"member": str(member.uuid)})


@transaction.atomic
def remove_member(user, secret: bytes, case: Case, member) -> None:
    """Revoke a member and rotate the case key, since they may have kept the old one."""
    if not access.can_manage_members(user, case):
        raise PermissionDenied
    if datakeys.holders(case.data_key).count() <= 1:
        raise ValidationError(_("A case must keep at least one member."))
    old_key = _key(user, secret, case)
    if not datakeys.revoke(case.data_key, member):
        raise ValidationError(_("That person is not a member of this case."))
    for linked in registry.linked_keys(case):
        # A thread key cannot be rotated: the applicant's receipt copy would need the receipt.
        datakeys.revoke(linked, member)
    new_key = datakeys.rotate(case.data_key, case.organisation)
    for rec in sealed.records(case):
        fields.reseal(old_key, new_key, rec, [f for f in rec.SEALED_FIELDS if getattr(rec, f + "_sealed")])
        rec.save()
    record("case.revoked", actor=user, obj=case, details={"member": str(member.uuid), "rotated": True})


@transaction.atomic
def erase_case(user, case: Case, *, approved: bool) -> None:
    """Crypto-shredding: delete every sealed copy of the key and the ciphertexts themselves.
    Runs only from a granted two-person approval (actions/pipeline.py)."""
    if not approved or not access.can_erase_case(user, case):
        raise PermissionDenied
    _shred(case)
    record("case.erased", actor=user, obj=case)


@transaction.atomic
def erase_again(case: Case) -> None:
    """A restore found this case's erasure in the erasure ledger, made after the backup: it is
    erased again, by the system (no one approves a second time what was approved once)."""
    if case.erased_at is None:
        _shred(case)
    record("case.erased", obj=case, organisation=case.organisation_id, details={"again": "restore"})


def _shred(case: Case) -> None:
    # Every record about the case, named before they go: the audit events about them lose their
    # object ids and details (the chain still verifies), so an erasure leaves no outline.
    about = {str(case.pk), str(case.data_key_id), *(str(r.pk) for r in sealed.records(case)),
             *(str(k.pk) for k in registry.linked_keys(case)), *registry.identifiers(case)}
    datakeys.shred(case.data_key)
    for step in registry.erasure_steps():  # what the apps above keep of a case: files, shares, its request
        step(case)
    sealed.delete_children(case)
    for name in Case.SEALED_FIELDS:
        setattr(case, name + "_sealed", b"")
    case.erased_at = timezone.now()
    case.save()
    redact(about)
