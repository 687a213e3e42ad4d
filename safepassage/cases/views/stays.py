"""Case page section and pages for stays: placing a case in a shelter (shelter coordinators
who are members), changing or ending a stay, and the two-person release of the address
(see actions/shelters.py for who holds which key)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, pipeline
from ..actions import shelters as actions
from ..forms_shelters import PlaceForm, StayForm
from ..models import Stay
from ..registry import Section
from .core import case_or_404


def section(request, case):
    """Stays of the case; a released address is shown (and its read audited) to every member."""
    user = request.user
    if not access.can_see_stays(user, case):
        return None
    return Section("cases/sections/stays.html", {
        "case": case,
        "rows": actions.list_stays(user, request.vault_secret, case),
        "can_place": access.can_place_in_shelter(user, case),
        "can_request": access.can_request_address_release(user, case),
        "frozen": pipeline.disclosure_frozen(case),
    })


def _stay_or_404(case, stay_pk):
    return get_object_or_404(Stay.objects.select_related("shelter__data_key"), pk=stay_pk, case=case)


def _placing_case(request, pk):
    case = case_or_404(request, pk)
    if not access.can_place_in_shelter(request.user, case):
        raise PermissionDenied
    return case


def stay_new(request, pk):
    case = _placing_case(request, pk)
    choices = actions.placement_choices(request.user, request.vault_secret)
    start, _end = actions.default_dates()
    form = PlaceForm(request.POST or None, choices=choices, initial={"starts_on": start, "people": 1})
    if request.method == "POST" and form.is_valid():
        try:
            actions.place(request.user, case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The stay is recorded. Its address stays hidden from the case's members "
                                        "until two coordinators release it."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/stays/form.html", {"form": form, "case": case, "title": _("Place in a shelter"),
                                                     "no_shelters": not choices})


def stay_edit(request, pk, stay_pk):
    case = _placing_case(request, pk)
    stay = _stay_or_404(case, stay_pk)
    form = StayForm(request.POST or None, initial={"starts_on": stay.starts_on, "ends_on": stay.ends_on,
                                                   "people": stay.people})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_stay(request.user, case, stay, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/stays/form.html", {"form": form, "case": case, "stay": stay,
                                                     "title": _("Change a stay")})


def stay_delete(request, pk, stay_pk):
    """GET asks for confirmation; POST removes a stay entered by mistake."""
    case = _placing_case(request, pk)
    stay = _stay_or_404(case, stay_pk)
    if request.method == "POST":
        try:
            actions.delete_stay(request.user, case, stay)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The stay was removed."))
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/stays/delete.html", {"case": case, "stay": stay})


def stay_release(request, pk, stay_pk):
    """GET explains what releasing means; POST asks for the second coordinator's approval."""
    case = case_or_404(request, pk)
    if not access.can_request_address_release(request.user, case):
        raise PermissionDenied
    stay = _stay_or_404(case, stay_pk)
    if request.method == "POST":
        try:
            actions.request_release(request.user, case, stay)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.info(request, _("Release asked. A second coordinator who is a member of this case must "
                                     "approve it."))
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/stays/release.html", {
        "case": case, "stay": stay, **actions.stay_for_release(request.user, case, stay)})


@require_POST
def stay_hand_over(request, pk, stay_pk):
    case = case_or_404(request, pk)
    if not access.can_hand_over_address(request.user, case):
        raise PermissionDenied
    stay = _stay_or_404(case, stay_pk)
    try:
        actions.hand_over(request.user, request.vault_secret, case, stay)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The address was handed over: the case's members can now read it."))
    return redirect("cases:detail", pk=case.pk)


urlpatterns = [
    path("<uuid:pk>/stays/new/", stay_new, name="stay_new"),
    path("<uuid:pk>/stays/<uuid:stay_pk>/edit/", stay_edit, name="stay_edit"),
    path("<uuid:pk>/stays/<uuid:stay_pk>/delete/", stay_delete, name="stay_delete"),
    path("<uuid:pk>/stays/<uuid:stay_pk>/release/", stay_release, name="stay_release"),
    path("<uuid:pk>/stays/<uuid:stay_pk>/hand-over/", stay_hand_over, name="stay_hand_over"),
]
