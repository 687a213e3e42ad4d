"""Case page section and pages for day-to-day work: alerts, check-ins (with the cadence and the
"missed" banner), tasks and notes. Every member of the case works here; only coordinators set
the check-in cadence and only the author deletes a note."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safepassage.audit.chain import record

from .. import access
from ..actions import work as actions
from ..forms_work import CadenceForm, CheckInForm, NoteForm, TaskForm
from ..models import Alert, Note, Task
from ..registry import Section
from .core import case_or_404

PAGE_SIZE = 25
ON_CASE_PAGE = 5
# Readable names for the codes alerts carry in their details; unknown codes show as they are.
DETAIL_LABELS = {
    "hours_overdue": gettext_lazy("hours overdue"),
    "kind": gettext_lazy("kind"),
    "from_case": gettext_lazy("from case"),
    "persons": gettext_lazy("persons"),
}


def _detail_value(value):
    # Lists hold record ids, which say nothing to a person: show how many there are.
    return len(value) if isinstance(value, list | tuple) else value


def _alert_rows(case):
    rows = []
    for alert in actions.open_alerts(case):
        details = [(DETAIL_LABELS.get(k, k), _detail_value(v))
                   for k, v in sorted(alert.details.items()) if not isinstance(v, dict)]
        rows.append({"alert": alert, "details": details, "by_hand": actions.can_resolve_by_hand(alert)})
    return rows


def section(request, case):
    """Decrypts open tasks and the latest notes for the case page (its "case.read" event covers
    them). Raises the missed check-in alert if cron has not yet."""
    user, secret = request.user, request.vault_secret
    if not access.can_work_on(user, case):
        return None
    status = actions.checkin_status(case)
    if status.missed:
        actions.escalate_case(case)
    tasks = actions.task_order(case.tasks.filter(done_at__isnull=True).select_related("assignee"))
    notes = case.notes.select_related("author").order_by("-created_at")
    last = case.checkins.select_related("by").order_by("-at").first()
    return Section("cases/sections/work.html", {
        "case_pk": case.pk,
        "status": status,
        "last": last,
        "alerts": _alert_rows(case),
        "tasks": actions.open_tasks(user, secret, case, tasks),
        "done_count": case.tasks.filter(done_at__isnull=False).count(),
        "notes": actions.open_notes(user, secret, case, notes[:ON_CASE_PAGE]),
        "note_count": notes.count(),
        "checkin_form": CheckInForm(),
        "note_form": NoteForm(),
        "task_form": TaskForm(members=access.case_members(case)),
        "cadence_form": (CadenceForm(initial={"hours": case.checkin_every_hours})
                         if access.can_set_checkin_cadence(user, case) else None),
    })


def _back(request, case, page: str, anchor: str):
    """Back to where the form was: the case page (its part for this) or the list page."""
    if request.POST.get("back") == "case":
        return redirect(reverse("cases:detail", args=[case.pk]) + "#" + anchor)
    return redirect(page, pk=case.pk)


def _member_case(request, pk):
    case = case_or_404(request, pk)
    if not access.can_work_on(request.user, case):
        raise PermissionDenied
    return case


# Notes -----------------------------------------------------------------------------------------

def notes(request, pk):
    case = _member_case(request, pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_note(request.user, request.vault_secret, case, form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error("body", exc)
        else:
            messages.success(request, _("Note added."))
            return _back(request, case, "cases:notes", "notes")
    page = Paginator(case.notes.select_related("author").order_by("-created_at"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    rows = actions.open_notes(request.user, request.vault_secret, case, page.object_list)
    record("notes.read", actor=request.user, obj=case, details={"page": page.number, "count": len(rows)})
    return render(request, "cases/work/notes.html", {"case": case, "page": page, "rows": rows, "form": form})


def note_delete(request, pk, note_pk):
    """GET shows the note and asks for confirmation; POST deletes. Authors only."""
    case = _member_case(request, pk)
    note = get_object_or_404(Note, pk=note_pk, case=case)
    if not access.can_delete_note(request.user, note):
        raise PermissionDenied
    if request.method != "POST":
        opened = actions.open_notes(request.user, request.vault_secret, case, [note])[0]
        record("notes.read", actor=request.user, obj=case, details={"note": str(note.pk)})
        return render(request, "cases/work/note_delete.html", {"case": case, "n": opened,
                                                              "back": request.GET.get("back", "")})
    actions.delete_note(request.user, case, note)
    messages.success(request, _("Note deleted."))
    return _back(request, case, "cases:notes", "notes")


# Tasks -----------------------------------------------------------------------------------------

def tasks(request, pk):
    case = _member_case(request, pk)
    form = TaskForm(request.POST or None, members=access.case_members(case))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_task(request.user, request.vault_secret, case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Task added."))
            return _back(request, case, "cases:tasks", "tasks")
    page = Paginator(actions.task_order(case.tasks.select_related("assignee")), PAGE_SIZE).get_page(
        request.GET.get("page"))
    rows = actions.open_tasks(request.user, request.vault_secret, case, page.object_list)
    record("tasks.read", actor=request.user, obj=case, details={"page": page.number, "count": len(rows)})
    return render(request, "cases/work/tasks.html", {"case": case, "page": page, "rows": rows, "form": form})


@require_POST
def task_done(request, pk, task_pk):
    case = _member_case(request, pk)
    task = get_object_or_404(Task, pk=task_pk, case=case)
    done = request.POST.get("done") == "1"
    actions.set_task_done(request.user, case, task, done)
    messages.success(request, _("Task done.") if done else _("Task reopened."))
    return _back(request, case, "cases:tasks", "tasks")


# Check-ins -------------------------------------------------------------------------------------

def checkins(request, pk):
    case = _member_case(request, pk)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_checkin(request.user, request.vault_secret, case, form.cleaned_data["note"],
                                   form.cleaned_data["at"])
        except ValidationError as exc:
            form.add_error("at", exc)
        else:
            messages.success(request, _("Check-in recorded."))
            return _back(request, case, "cases:checkins", "checkins")
    page = Paginator(case.checkins.select_related("by").order_by("-at"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    rows = actions.open_checkins(request.user, request.vault_secret, case, page.object_list)
    record("checkins.read", actor=request.user, obj=case, details={"page": page.number, "count": len(rows)})
    return render(request, "cases/work/checkins.html", {
        "case": case, "page": page, "rows": rows, "form": form, "status": actions.checkin_status(case),
        "cadence_form": (CadenceForm(initial={"hours": case.checkin_every_hours})
                         if access.can_set_checkin_cadence(request.user, case) else None)})


def cadence(request, pk):
    case = _member_case(request, pk)
    if not access.can_set_checkin_cadence(request.user, case):
        raise PermissionDenied
    form = CadenceForm(request.POST or None, initial={"hours": case.checkin_every_hours})
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_cadence(request.user, case, form.cleaned_data["hours"])
        except ValidationError as exc:
            form.add_error("hours", exc)
        else:
            hours = form.cleaned_data["hours"]
            messages.success(request, _("Check-ins are now expected every %(n)s hours.") % {"n": hours}
                             if hours else _("No regular check-ins are expected any more."))
            return _back(request, case, "cases:checkins", "checkins")
    return render(request, "cases/work/cadence.html", {"case": case, "form": form})


# Alerts ----------------------------------------------------------------------------------------

@require_POST
def alert_resolve(request, pk, alert_pk):
    case = _member_case(request, pk)
    alert = get_object_or_404(Alert, pk=alert_pk, case=case)
    try:
        actions.resolve_alert(request.user, case, alert)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Alert resolved."))
    return redirect(reverse("cases:detail", args=[case.pk]) + "#alerts")


urlpatterns = [
    path("<uuid:pk>/notes/", notes, name="notes"),
    path("<uuid:pk>/notes/<uuid:note_pk>/delete/", note_delete, name="note_delete"),
    path("<uuid:pk>/tasks/", tasks, name="tasks"),
    path("<uuid:pk>/tasks/<uuid:task_pk>/done/", task_done, name="task_done"),
    path("<uuid:pk>/checkins/", checkins, name="checkins"),
    path("<uuid:pk>/checkins/cadence/", cadence, name="checkin_cadence"),
    path("<uuid:pk>/alerts/<uuid:alert_pk>/resolve/", alert_resolve, name="alert_resolve"),
]
