"""Dated events and the deadlines they start, on the case page and the dashboard."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from .. import deadlines as engine
from ..actions import events as actions
from ..forms_events import EventForm
from ..models import CaseEvent
from ..registry import Section
from ..rules.events import EVENTS
from .core import case_or_404


@dataclass
class Due:
    case: object
    deadline: engine.Deadline


def for_cases(cases, errors: list | None = None) -> list[Due]:
    """Every deadline started by the events recorded on these cases, soonest first (suspended
    periods, with no date yet, last). Events the engine cannot compute (e.g. dated before any rule
    set) are collected in `errors` as (case, message): a missing deadline must not look like none."""
    by_case = {}
    for event in CaseEvent.objects.filter(case__in=cases).select_related("case"):
        by_case.setdefault(event.case, []).append((event.code, event.happened_on))
    found = []
    for case, events in by_case.items():
        problems = []
        found.extend(Due(case, d) for d in engine.for_events(events, errors=problems))
        if errors is not None:
            errors.extend((case, message) for _code, _day, message in problems)
    return sorted(found, key=lambda d: (d.deadline.due is None, d.deadline.due or date.max))


def due_soon(cases, start, end) -> list[Due]:
    return [d for d in for_cases(cases) if d.deadline.due is not None and start <= d.deadline.due <= end]


def section(request, case):
    problems = []
    found = for_cases([case], problems)
    return Section("cases/sections/deadlines.html", {
        "case_pk": case.pk,
        "events": [(e, EVENTS[e.code].label) for e in case.events.all()],
        "deadlines": found,
        "problems": [message for _case, message in problems],
        "form": EventForm() if access.can_record_events(request.user, case) else None,
    })


@require_POST
def add_event(request, pk):
    case = case_or_404(request, pk)
    form = EventForm(request.POST)
    if form.is_valid():
        try:
            actions.record_event(request.user, case, form.cleaned_data["code"], form.cleaned_data["happened_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Recorded. The deadlines below are updated."))
    else:
        messages.error(request, _("Choose an event and a valid date."))
    return redirect("cases:detail", pk=case.pk)


@require_POST
def delete_event(request, pk, event_pk):
    case = case_or_404(request, pk)
    actions.delete_event(request.user, get_object_or_404(CaseEvent, pk=event_pk, case=case))
    messages.success(request, _("The event was removed."))
    return redirect("cases:detail", pk=case.pk)


urlpatterns = [
    path("<uuid:pk>/events/", add_event, name="event_add"),
    path("<uuid:pk>/events/<uuid:event_pk>/delete/", delete_event, name="event_delete"),
]
