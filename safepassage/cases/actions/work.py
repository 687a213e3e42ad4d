"""Day-to-day work on a case: encrypted notes and tasks, check-ins (proof that the person was
reached) with their cadence and escalation, and alerts.

Applicants lost contact in 2017 (DOMAIN.md): a missed check-in must raise an alarm. A check-in
is missed when the case has a cadence and more than that many hours have passed since the last
check-in (or since the case was opened, when there has been none). `escalate_missed_checkins`
turns that into an Alert for coordinators; it runs from `safepassage remind` (cron) and for one
case whenever its page is shown. Audit details hold codes and ids only."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.accounts import roles
from safepassage.audit.chain import record
from safepassage.vault import datakeys, fields

from .. import access
from ..models import Alert, Case, CheckIn, Note, Task

# A case in these states is no longer followed: nobody is expected to check in.
NOT_FOLLOWED = ("closed", "deceased")
MAX_CADENCE_HOURS = 24 * 30
# Clocks differ a little between a phone and the server; a check-in further ahead is a typo.
FUTURE_TOLERANCE = timedelta(minutes=5)
NOTE_LIMIT = 20000
TITLE_LIMIT = 500


def _key(user, secret: bytes, case: Case) -> bytes:
    return datakeys.open_for(case.data_key, user, secret)


def _require_member(user, case: Case) -> None:
    if not access.can_work_on(user, case):
        raise PermissionDenied


def _text(value: str, limit: int, *, required_message=None) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ValidationError(required_message)
    if len(value) > limit:
        raise ValidationError(_("This is too long (at most %(n)s characters).") % {"n": limit})
    return value


# Notes -----------------------------------------------------------------------------------------

@dataclass
class OpenNote:
    note: Note
    body: str


def open_notes(user, secret: bytes, case: Case, notes) -> list[OpenNote]:
    """Decrypt the given notes of this case (the caller audits the page that shows them)."""
    _require_member(user, case)
    key = _key(user, secret, case)
    return [OpenNote(n, fields.open_text(key, n, "body")) for n in notes if n.case_id == case.pk]


@transaction.atomic
def add_note(user, secret: bytes, case: Case, body: str) -> Note:
    _require_member(user, case)
    body = _text(body, NOTE_LIMIT, required_message=_("Write something first."))
    note = Note(case=case, author=user)
    fields.seal_text(_key(user, secret, case), note, "body", body)
    note.save()
    record("note.added", actor=user, obj=case, details={"note": str(note.pk)})
    return note


@transaction.atomic
def delete_note(user, case: Case, note: Note) -> None:
    if note.case_id != case.pk or not access.can_work_on(user, case):
        raise PermissionDenied
    if not access.can_delete_note(user, note):
        raise PermissionDenied
    record("note.deleted", actor=user, obj=case, details={"note": str(note.pk)})
    note.delete()


# Tasks -----------------------------------------------------------------------------------------

@dataclass
class OpenTask:
    task: Task
    title: str
    overdue: bool


def task_order(tasks):
    """Open tasks first, soonest due first (undated after dated), then done ones, latest first.
    Spelled out because SQLite and PostgreSQL put NULLs at opposite ends by default."""
    return tasks.order_by(F("done_at").desc(nulls_first=True), F("due_on").asc(nulls_last=True), "created_at")


def open_tasks(user, secret: bytes, case: Case, tasks, today=None) -> list[OpenTask]:
    _require_member(user, case)
    today = today or timezone.localdate()
    key = _key(user, secret, case)
    return [OpenTask(t, fields.open_text(key, t, "title"),
                     t.done_at is None and t.due_on is not None and t.due_on < today)
            for t in tasks if t.case_id == case.pk]


@transaction.atomic
def add_task(user, secret: bytes, case: Case, title: str, due_on=None, assignee=None) -> Task:
    _require_member(user, case)
    title = _text(title, TITLE_LIMIT, required_message=_("Say what needs doing."))
    if assignee is not None and not access.case_members(case).filter(pk=assignee.pk).exists():
        raise ValidationError(_("A task can only go to a member of this case."))
    task = Task(case=case, due_on=due_on, assignee=assignee, created_by=user)
    fields.seal_text(_key(user, secret, case), task, "title", title)
    task.save()
    record("task.added", actor=user, obj=case, details={
        "task": str(task.pk), "due_on": due_on.isoformat() if due_on else None,
        "assignee": str(assignee.uuid) if assignee else None})
    return task


@transaction.atomic
def set_task_done(user, case: Case, task: Task, done: bool) -> None:
    if task.case_id != case.pk:
        raise PermissionDenied
    _require_member(user, case)
    if (task.done_at is not None) == done:
        return
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done_at"])
    record("task.done" if done else "task.reopened", actor=user, obj=case, details={"task": str(task.pk)})


# Check-ins -------------------------------------------------------------------------------------

@dataclass
class CheckinStatus:
    every_hours: int | None
    last: datetime | None
    next_due: datetime | None
    missed: bool
    hours_overdue: int


def checkin_status(case: Case, now=None) -> CheckinStatus:
    """Plain data only (cadence and times): usable without any key, e.g. from cron."""
    now = now or timezone.now()
    every = case.checkin_every_hours
    if not every or case.state in NOT_FOLLOWED or case.erased_at is not None:
        return CheckinStatus(every, case.last_checkin_at, None, False, 0)
    due = (case.last_checkin_at or case.created_at) + timedelta(hours=every)
    missed = now > due
    overdue = int((now - due).total_seconds() // 3600) if missed else 0
    return CheckinStatus(every, case.last_checkin_at, due, missed, overdue)


@dataclass
class OpenCheckIn:
    checkin: CheckIn
    note: str


def open_checkins(user, secret: bytes, case: Case, checkins) -> list[OpenCheckIn]:
    _require_member(user, case)
    key = _key(user, secret, case)
    return [OpenCheckIn(c, fields.open_text(key, c, "note")) for c in checkins if c.case_id == case.pk]


def _resolve_missed_if_cleared(user, case: Case, now, reason: str) -> int:
    """Resolve the open missed check-in alerts once the case is no longer overdue."""
    if checkin_status(case, now).missed:
        return 0
    resolved = 0
    for alert in case.alerts.select_for_update().filter(kind="missed_checkin", resolved_at__isnull=True):
        alert.resolved_at, alert.resolved_by = now, user
        alert.save(update_fields=["resolved_at", "resolved_by"])
        record("alert.resolved", actor=user, obj=case,
               details={"alert": str(alert.pk), "kind": alert.kind, "by": reason})
        resolved += 1
    return resolved


def record_checkin(user, secret: bytes, case: Case, note: str = "", at=None, now=None) -> CheckIn:
    _require_member(user, case)
    now = now or timezone.now()
    at = at or now
    note = _text(note, NOTE_LIMIT)
    if at > now + FUTURE_TOLERANCE:
        raise ValidationError(_("A check-in cannot be in the future."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        checkin = CheckIn(case=case, at=at, by=user)
        fields.seal_text(_key(user, secret, case), checkin, "note", note)
        checkin.save()
        # A check-in recorded late for an earlier moment never moves the last one back.
        if case.last_checkin_at is None or at > case.last_checkin_at:
            case.last_checkin_at = at
            case.save(update_fields=["last_checkin_at", "updated_at"])
        record("checkin.recorded", actor=user, obj=case, details={"checkin": str(checkin.pk), "at": at.isoformat()})
        _resolve_missed_if_cleared(user, case, now, "checkin")
    return checkin


def set_cadence(user, case: Case, hours: int | None, now=None) -> None:
    if not access.can_set_checkin_cadence(user, case):
        raise PermissionDenied
    if hours is not None and not 1 <= hours <= MAX_CADENCE_HOURS:
        raise ValidationError(_("Choose between 1 and %(max)s hours, or leave it empty for no check-ins.")
                              % {"max": MAX_CADENCE_HOURS})
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        case.checkin_every_hours = hours
        case.save(update_fields=["checkin_every_hours", "updated_at"])
        record("checkin.cadence_set", actor=user, obj=case, details={"hours": hours})
        _resolve_missed_if_cleared(user, case, now, "cadence")


# Escalation ------------------------------------------------------------------------------------

def _followed_cases():
    return (Case.objects.filter(erased_at__isnull=True, checkin_every_hours__isnull=False)
            .exclude(state__in=NOT_FOLLOWED))


def escalate_case(case: Case, now=None) -> Alert | None:
    """Raise the missed check-in alert for one case if it is overdue and has none open yet.
    Idempotent: the case row is locked while deciding, so two runs raise one alert."""
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        status = checkin_status(case, now)
        if not status.missed:
            return None
        if case.alerts.filter(kind="missed_checkin", resolved_at__isnull=True).exists():
            return None
        alert = Alert.objects.create(case=case, kind="missed_checkin", details={"hours_overdue": status.hours_overdue})
        record("checkin.missed", actor=None, organisation=case.organisation, obj=case,
               details={"alert": str(alert.pk), "hours_overdue": status.hours_overdue})
        return alert


def escalate_missed_checkins(now=None) -> list[Alert]:
    """For every followed case with a missed check-in and no open alert, raise one. Returns the
    alerts raised by this run."""
    now = now or timezone.now()
    raised = []
    for case in _followed_cases().only("pk", "checkin_every_hours", "last_checkin_at", "created_at",
                                       "state", "erased_at").iterator():
        if checkin_status(case, now).missed:
            alert = escalate_case(case, now)
            if alert is not None:
                raised.append(alert)
    return raised


def open_missed_alerts():
    """Open missed check-in alerts on followed cases, for the reminder."""
    return (Alert.objects.filter(kind="missed_checkin", resolved_at__isnull=True, case__in=_followed_cases())
            .select_related("case").order_by("raised_at"))


def coordinators_on(case: Case) -> list[str]:
    """Usernames of the coordinators who are members of the case (no names, no case data)."""
    return sorted(u.username for u in access.case_members(case)
                  if u.has_role(roles.COORDINATOR))


# Alerts ----------------------------------------------------------------------------------------

def open_alerts(case: Case):
    return case.alerts.filter(resolved_at__isnull=True).order_by("-raised_at")


def can_resolve_by_hand(alert: Alert) -> bool:
    """A missed check-in clears itself when someone checks in (or the cadence changes):
    resolving it by hand would only hide a person nobody has reached."""
    return alert.kind != "missed_checkin"


@transaction.atomic
def resolve_alert(user, case: Case, alert: Alert) -> None:
    """Any member resolves an alert of any kind (exposure alerts too), except a missed check-in."""
    if alert.case_id != case.pk or not access.can_resolve_alert(user, alert):
        raise PermissionDenied
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.resolved_at is not None:
        raise ValidationError(_("This alert was already resolved."))
    if not can_resolve_by_hand(alert):
        raise ValidationError(_("This alert clears when a check-in is recorded."))
    alert.resolved_at, alert.resolved_by = timezone.now(), user
    alert.save(update_fields=["resolved_at", "resolved_by"])
    record("alert.resolved", actor=user, obj=case, details={"alert": str(alert.pk), "kind": alert.kind})
