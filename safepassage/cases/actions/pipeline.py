"""Moving a case through the pipeline, and the two-person rule for the most dangerous acts."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit.chain import record

from .. import access, pipeline, registry
from ..models import Alert, Approval, Case
from .core import erase_case

# Approval kinds other than pipeline steps and erasure ("release_address" of shelters, "export"
# of dossiers) are registered in cases/registry.py, so this module never needs to know them.


def review_url(approval: Approval) -> str | None:
    """The page that shows what an approval would do (e.g. what would leave, and to whom), if
    its kind has one; otherwise it is decided on the case page."""
    if approval.kind in ("transition", "erase"):
        return None
    page = registry.approval_kind(approval.kind).review_page
    return page(approval) if page else None


@dataclass
class Step:
    transition: pipeline.Transition
    label: str
    unmet: list
    pending: Approval | None

    @property
    def is_side(self) -> bool:
        """Something that happened to the person (lost contact, detained...) or closing, rather
        than the next stage of the way out."""
        return self.transition.target in pipeline.SIDE_STATES + pipeline.FINAL_STATES


def next_steps(user, case: Case) -> list[Step]:
    """The transitions this user may start from the case's current state, for the case page."""
    if not access.can_edit_case(user, case):
        return []
    pending = {a.target: a for a in case.approvals.filter(status="pending", kind="transition")}
    steps = []
    for t in pipeline.transitions_from(case.state):
        if not access.can_take_transition(user, case, t):
            continue
        target = case.previous_state if t.target == pipeline.RESUME else t.target
        label = (_("Back to “%(state)s”") % {"state": pipeline.LABELS.get(target, target)}
                 if t.target == pipeline.RESUME else pipeline.LABELS[t.target])
        steps.append(Step(t, str(label), [str(u) for u in pipeline.unmet(t, case)], pending.get(t.target)))
    return steps


def _check(user, case: Case, target: str) -> pipeline.Transition:
    if not access.can_edit_case(user, case):
        raise PermissionDenied
    t = pipeline.find(case.state, target)
    if t is None:
        raise ValidationError(_("This step is not possible from the case's current state."))
    if not access.can_take_transition(user, case, t):
        raise PermissionDenied
    missing = pipeline.unmet(t, case)
    if missing:
        raise ValidationError(_("Not yet: %(missing)s.") % {"missing": ", ".join(str(m) for m in missing)})
    return t


def change_state(user, case: Case, target: str, closing_reason: str = "") -> Approval | None:
    """Apply a transition, or, when it needs two people, ask for the approval. Returns the
    pending approval in that case."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        t = _check(user, case, target)
        if target == "closed" and closing_reason not in dict(pipeline.CLOSING_REASONS):
            raise ValidationError(_("Choose why the case is closed."))
        if t.two_person:
            return request_approval(user, case, "transition", target)
        _apply(user, case, target, closing_reason)
        return None


def _apply(user, case: Case, target: str, closing_reason: str = "") -> None:
    before = case.state
    if target == pipeline.RESUME:
        case.state, case.previous_state = case.previous_state or "new", ""
    else:
        if target in pipeline.SIDE_STATES and before not in pipeline.SIDE_STATES:
            case.previous_state = before
        case.state = target
        if target == "closed":
            case.closing_reason = closing_reason
    case.save(update_fields=["state", "previous_state", "closing_reason", "updated_at"])
    if case.state == "suspected_infiltration":
        Alert.objects.create(case=case, kind="infiltration", details={})
        for hook in registry.on_suspicion():
            hook(user, case)
    record("case.state_changed", actor=user, obj=case, details={"from": before, "to": case.state})


def request_approval(user, case: Case, kind: str, target: str = "") -> Approval:
    if not access.can_request_approval(user, case):
        raise PermissionDenied
    approval, created = Approval.objects.get_or_create(
        case=case, kind=kind, target=target, status="pending", defaults={"requested_by": user})
    if created:
        record("approval.requested", actor=user, obj=case, details={"kind": kind, "target": target})
    return approval


def can_decide(user, approval: Approval) -> bool:
    return access.can_decide_approval(user, approval)


def decide(user, secret: bytes, approval: Approval, approve: bool) -> None:
    """A second coordinator approves (the act runs now, in the same transaction) or refuses."""
    with transaction.atomic():
        approval = Approval.objects.select_for_update().get(pk=approval.pk)
        if not can_decide(user, approval):
            raise PermissionDenied
        approval.status = "approved" if approve else "refused"
        approval.decided_by, approval.decided_at = user, timezone.now()
        approval.save(update_fields=["status", "decided_by", "decided_at"])
        record("approval.granted" if approve else "approval.refused", actor=user, obj=approval.case,
               details={"kind": approval.kind, "target": approval.target, "requested_by":
                        str(approval.requested_by.uuid)})
        if approve:
            _execute(user, secret, approval)


def _execute(user, secret: bytes, approval: Approval) -> None:
    case = Case.objects.select_for_update().get(pk=approval.case_id)
    if approval.kind == "transition":
        # The state may have moved since the request: check again, as the approver.
        t = pipeline.find(case.state, approval.target)
        if t is None or pipeline.unmet(t, case):
            raise ValidationError(_("The case has changed since this was asked; ask again."))
        _apply(user, case, approval.target)
    elif approval.kind == "erase":
        erase_case(user, case, approved=True)
    else:
        registry.approval_kind(approval.kind).execute(user, secret, approval)


@transaction.atomic
def withdraw(user, approval: Approval) -> None:
    if not access.can_withdraw_approval(user, approval):
        raise PermissionDenied
    approval.status = "withdrawn"
    approval.save(update_fields=["status"])
    record("approval.withdrawn", actor=user, obj=approval.case, details={"kind": approval.kind})
