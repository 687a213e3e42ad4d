"""The personal dashboard (/staff/) and the triage queue."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from .. import access, actions
from ..actions import pipeline
from ..models import Alert, Task
from . import deadlines


def dashboard(request):
    user, secret = request.user, request.vault_secret
    cases = access.visible_cases(user).select_related("data_key")
    alerts = Alert.objects.filter(case__in=cases, resolved_at__isnull=True).select_related("case")[:50]
    approvals = access.approvals_for(user).select_related("case", "requested_by")[:50]
    tasks = Task.objects.filter(case__in=cases, assignee=user, done_at__isnull=True).select_related("case")[:50]
    due = deadlines.due_soon(cases, timezone.localdate(), timezone.localdate() + timedelta(days=14))
    involved = {a.case for a in alerts} | {a.case for a in approvals} | {t.case for t in tasks} | {
        d.case for d in due}
    names = {o.case.pk: o.pseudonym for o in actions.list_my_cases(user, secret, sorted(
        involved, key=lambda c: c.created_at))}
    return render(request, "cases/dashboard.html", {
        "alerts": alerts, "approvals": [(a, pipeline.review_url(a)) for a in approvals], "tasks": tasks,
        "due": due, "names": names,
        "triage_count": access.triage_queue(user).count(), "case_count": cases.count(),
    })


def triage(request):
    page = Paginator(access.triage_queue(request.user).select_related("data_key"), 25).get_page(
        request.GET.get("page"))
    rows = actions.list_my_cases(request.user, request.vault_secret, page.object_list)
    return render(request, "cases/triage.html", {"page": page, "rows": rows})
