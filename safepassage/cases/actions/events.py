"""Dated events on a case (arrival, GUDA registration, a decision notified...): the deadline
engine computes what falls due from them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit.chain import record

from .. import access
from ..models import CaseEvent
from ..rules.events import EVENTS


@transaction.atomic
def record_event(user, case, code: str, happened_on) -> CaseEvent:
    if not access.can_record_events(user, case):
        raise PermissionDenied
    if code not in EVENTS:
        raise ValidationError(_("Unknown event."))
    if happened_on > timezone.localdate():
        raise ValidationError(_("The date of an event cannot be in the future."))
    event = CaseEvent.objects.create(case=case, code=code, happened_on=happened_on, recorded_by=user)
    record("case.event_recorded", actor=user, obj=case, details={"event": code, "on": happened_on.isoformat()})
    return event


@transaction.atomic
def delete_event(user, event: CaseEvent) -> None:
    if not access.can_record_events(user, event.case):
        raise PermissionDenied
    record("case.event_deleted", actor=user, obj=event.case, details={"event": event.code})
    event.delete()
