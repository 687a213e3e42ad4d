"""The shelter registry (/staff/shelters/), kept apart from cases: shelter coordinators list,
create, edit, deactivate shelters and share shelter keys with colleagues. Everyone else: 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import access
from ..actions import shelters as actions
from ..forms_shelters import ShareKeysForm, ShelterForm

PAGE_SIZE = 25


def _registry(request):
    if not access.can_manage_shelters(request.user):
        raise PermissionDenied
    return access.visible_shelters(request.user).select_related("data_key")


def _shelter_or_404(request, pk):
    return get_object_or_404(_registry(request), pk=pk)


def shelter_list(request):
    shelters = actions.with_occupancy(_registry(request)).order_by("-active", "created_at")
    page = Paginator(shelters, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = actions.list_shelters(request.user, request.vault_secret, page.object_list)
    return render(request, "cases/shelters/list.html", {
        "page": page, "rows": rows, "missing_keys": any(r.name is None for r in rows),
        "can_share": bool(actions.share_candidates(request.user))})


def shelter_new(request):
    _registry(request)
    form = ShelterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shelter = actions.create_shelter(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Shelter added. Its name and address are sealed to the shelter coordinators."))
            return redirect("shelters:detail", pk=shelter.pk)
    return render(request, "cases/shelters/form.html", {"form": form, "title": _("New shelter")})


def shelter_detail(request, pk):
    shelter = _shelter_or_404(request, pk)
    return render(request, "cases/shelters/detail.html",
                  {"s": actions.open_shelter(request.user, request.vault_secret, shelter)})


def shelter_edit(request, pk):
    shelter = _shelter_or_404(request, pk)
    if request.method == "POST":
        form = ShelterForm(request.POST)
        if form.is_valid():
            try:
                withdrawn = actions.update_shelter(request.user, request.vault_secret, shelter, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                if withdrawn:
                    messages.info(request, _("The address changed: the old one was withdrawn from the cases it had "
                                             "been released to. Each needs a new release by two coordinators."))
                return redirect("shelters:detail", pk=shelter.pk)
    else:
        opened = actions.open_shelter(request.user, request.vault_secret, shelter, audit_as="shelter.read_for_edit")
        if opened.name is None:
            messages.error(request, _("You hold no key for this shelter. Ask a shelter coordinator who does to "
                                      "share it."))
            return redirect("shelters:detail", pk=shelter.pk)
        form = ShelterForm(initial={"name": opened.name, "address": opened.address,
                                    "capacity": shelter.capacity})
    return render(request, "cases/shelters/form.html", {"form": form, "title": _("Edit shelter"),
                                                        "shelter": shelter})


def shelter_deactivate(request, pk):
    """GET asks for confirmation; POST deactivates (no new stays; current stays are kept)."""
    shelter = _shelter_or_404(request, pk)
    if request.method == "POST":
        actions.set_active(request.user, shelter, False)
        messages.success(request, _("The shelter is inactive: nobody new can be placed there."))
        return redirect("shelters:detail", pk=shelter.pk)
    return render(request, "cases/shelters/deactivate.html",
                  {"shelter": shelter, "occupied": actions.occupancy(shelter)})


@require_POST
def shelter_reactivate(request, pk):
    shelter = _shelter_or_404(request, pk)
    actions.set_active(request.user, shelter, True)
    messages.success(request, _("The shelter is active again."))
    return redirect("shelters:detail", pk=shelter.pk)


def share_keys(request):
    _registry(request)
    candidates = actions.share_candidates(request.user)
    form = ShareKeysForm(request.POST or None, candidates=access.shelter_coordinators(
        request.user.organisation).filter(pk__in=[person.pk for person, _n in candidates]).order_by("username"))
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            count = actions.share_keys(request.user, request.vault_secret, member)
        except ValidationError as exc:
            form.add_error("member", exc)
        else:
            messages.success(request, ngettext("%(name)s can now read %(count)s more shelter.",
                                               "%(name)s can now read %(count)s more shelters.", count) % {
                "name": member, "count": count})
            return redirect("shelters:keys")
    return render(request, "cases/shelters/keys.html", {"form": form, "candidates": candidates})
