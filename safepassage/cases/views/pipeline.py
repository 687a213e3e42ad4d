from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..actions import pipeline as actions
from ..models import Approval
from .core import case_or_404


@require_POST
def change_state(request, pk):
    case = case_or_404(request, pk)
    try:
        approval = actions.change_state(request.user, case, request.POST.get("target", ""),
                                        request.POST.get("closing_reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if approval is not None:
            messages.info(request, _("A second coordinator who is a member of this case must now approve."))
        else:
            messages.success(request, _("The case moved on."))
    return redirect("cases:detail", pk=case.pk)


@require_POST
def decide(request, pk, approval_pk):
    case = case_or_404(request, pk)
    approval = get_object_or_404(Approval, pk=approval_pk, case=case)
    approve = request.POST.get("decision") == "approve"
    back = actions.review_url(approval) or reverse("cases:detail", args=[case.pk])
    try:
        actions.decide(request.user, request.vault_secret, approval, approve)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    if approve and approval.kind == "erase":
        messages.success(request, _("The case was erased. Nobody can read it any more."))
        return redirect("cases:list")
    messages.success(request, _("Approved.") if approve else _("Refused."))
    return redirect(back)


@require_POST
def withdraw(request, pk, approval_pk):
    case = case_or_404(request, pk)
    actions.withdraw(request.user, get_object_or_404(Approval, pk=approval_pk, case=case))
    messages.success(request, _("Your request was withdrawn."))
    return redirect("cases:detail", pk=case.pk)
