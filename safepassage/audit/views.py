from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from . import policy
from .chain import verify
from .labels import label
from .models import AuditEvent


def audit_log(request):
    if not policy.may_read(request.user):
        raise PermissionDenied
    org = str(request.user.organisation_id)
    page = Paginator(AuditEvent.objects.filter(organisation=org).order_by("-seq"), 50).get_page(
        request.GET.get("page"))
    actors = policy.actor_names({e.actor for e in page.object_list if e.actor})
    rows = [(e, actors.get(e.actor), label(e.action)) for e in page.object_list]
    verdict = verify() if request.GET.get("verify") else None
    return render(request, "audit/log.html", {"page": page, "rows": rows, "verdict": verdict})
