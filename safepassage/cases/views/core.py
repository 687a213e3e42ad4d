from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from safepassage.accounts.models import User
from safepassage.vault import datakeys

from .. import access, actions, pipeline, registry
from ..actions import pipeline as pipeline_actions
from ..forms import AddMemberForm, CaseForm, EraseForm

PAGE_SIZE = 25


def case_or_404(request, pk):
    """Unknown, foreign, erased and non-member cases all answer 404: no hint that they exist."""
    return get_object_or_404(access.visible_cases(request.user).select_related("data_key"), pk=pk)


def case_allowing(request, pk, allowed):
    """The case (404 as in case_or_404), and 403 unless `allowed(user, case)` says this member may."""
    case = case_or_404(request, pk)
    if not allowed(request.user, case):
        raise PermissionDenied
    return case


def case_list(request):
    page = Paginator(access.visible_cases(request.user).select_related("data_key"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    rows = actions.list_my_cases(request.user, request.vault_secret, page.object_list)
    return render(request, "cases/list.html", {"page": page, "rows": rows,
                                               "can_create": access.can_create_case(request.user)})


def case_new(request):
    if not access.can_create_case(request.user):
        raise PermissionDenied
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.create_case(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Case created."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form.html", {"form": form, "title": _("New case")})


def case_detail(request, pk):
    case = case_or_404(request, pk)
    opened = actions.open_case(request.user, request.vault_secret, case)
    return render(request, "cases/detail.html", {
        "c": opened,
        "members": datakeys.holders(case.data_key).order_by("user__username"),
        "can_manage": access.can_manage_members(request.user, case),
        "can_erase": access.can_erase_case(request.user, case),
        "steps": pipeline_actions.next_steps(request.user, case),
        "closing_reasons": pipeline.CLOSING_REASONS,
        "approvals": [(a, pipeline_actions.can_decide(request.user, a), pipeline.LABELS.get(a.target, ""),
                       pipeline_actions.review_url(a))
                      for a in case.approvals.filter(status="pending").select_related("requested_by")],
        "frozen": pipeline.disclosure_frozen(case),
        "sections": registry.sections(request, case),
    })


def case_edit(request, pk):
    case = case_or_404(request, pk)
    if not access.can_edit_case(request.user, case):
        raise PermissionDenied
    if request.method == "POST":
        form = CaseForm(request.POST)
        if form.is_valid():
            try:
                actions.update_case(request.user, request.vault_secret, case, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("cases:detail", pk=case.pk)
    else:
        opened = actions.open_case(request.user, request.vault_secret, case, audit_as="case.read_for_edit")
        form = CaseForm(initial={"pseudonym": opened.pseudonym, "summary": opened.summary,
                                 "urgency": case.urgency})
    return render(request, "cases/form.html", {"form": form, "title": _("Edit case"), "case": case})


def case_members(request, pk):
    case = case_or_404(request, pk)
    if not access.can_manage_members(request.user, case):
        raise PermissionDenied
    holders = datakeys.holders(case.data_key)
    form = AddMemberForm(request.POST or None, candidates=access.member_candidates(case))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_member(request.user, request.vault_secret, case, form.cleaned_data["member"])
        except ValidationError as exc:
            form.add_error("member", exc)
        else:
            messages.success(request, _("%(name)s can now open this case.") % {"name": form.cleaned_data["member"]})
            return redirect("cases:members", pk=case.pk)
    return render(request, "cases/members.html", {"case": case, "form": form,
                                                  "holders": holders.order_by("user__username")})


def case_member_remove(request, pk, user_uuid):
    """GET asks for confirmation (removal rotates the key); POST removes."""
    case = case_or_404(request, pk)
    if not access.can_manage_members(request.user, case):
        raise PermissionDenied
    member = get_object_or_404(User, uuid=user_uuid, organisation_id=case.organisation_id)
    if request.method != "POST":
        return render(request, "cases/member_remove.html", {"case": case, "member": member})
    try:
        actions.remove_member(request.user, request.vault_secret, case, member)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(name)s can no longer open this case; its key was changed.")
                         % {"name": member})
        if member == request.user:
            return redirect("cases:list")
    return redirect("cases:members", pk=case.pk)


def case_erase(request, pk):
    case = case_or_404(request, pk)
    if not access.can_erase_case(request.user, case):
        raise PermissionDenied
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pipeline_actions.request_approval(request.user, case, "erase")
        messages.info(request, _("Erasure asked. A second coordinator who is a member of this case must approve it."))
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/erase.html", {"case": case, "form": form})
