"""Case page section and pages for vetting: referrer and trust, the checklist, corroborations,
consistency notes, and the infiltration flag. Vetting officers and coordinators edit; every
member reads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from .. import access, pipeline
from ..actions import vetting as actions
from ..forms_vetting import CorroborationForm, VettingForm
from ..models import Corroboration, Vetting
from ..registry import Section
from .core import case_or_404


def _checklist(vetting: Vetting) -> list:
    return [(VettingForm.base_fields[name].label, getattr(vetting, name)) for name in Vetting.CHECKLIST]


def section(request, case):
    """Plain data only (trust level, checklist, counts): nothing is decrypted here."""
    vetting = actions.current(case)
    corroborations = case.corroborations.all()
    return Section("cases/sections/vetting.html", {
        "case_pk": case.pk,
        "vetting": vetting,
        "checklist": _checklist(vetting),
        "corroborations": corroborations.count(),
        "independent": corroborations.filter(independent=True).count(),
        "can_edit": access.can_edit_vetting(request.user, case),
        "can_flag": actions.can_flag_infiltration(request.user, case),
        "flagged": case.state == actions.FLAG_TARGET,
    })


def _page(request, case, form=None, corroboration_form=None):
    opened = actions.open_vetting(request.user, request.vault_secret, case)
    can_edit = access.can_edit_vetting(request.user, case)
    if can_edit and form is None:
        v = opened.vetting
        form = VettingForm(initial={"referrer": opened.referrer, "referrer_trust": v.referrer_trust,
                                    "notes": opened.notes, **{name: getattr(v, name) for name in Vetting.CHECKLIST}})
    return render(request, "cases/vetting/page.html", {
        "case": case, "v": opened, "checklist": _checklist(opened.vetting),
        "form": form if can_edit else None,
        "corroboration_form": (corroboration_form or CorroborationForm()) if can_edit else None,
        "can_flag": actions.can_flag_infiltration(request.user, case),
        "flagged": case.state == actions.FLAG_TARGET,
    })


def vetting_page(request, pk):
    case = case_or_404(request, pk)
    if request.method != "POST":
        return _page(request, case)
    if not access.can_edit_vetting(request.user, case):
        raise PermissionDenied
    form = VettingForm(request.POST)
    if form.is_valid():
        try:
            actions.update_vetting(request.user, request.vault_secret, case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Vetting saved."))
            return redirect("cases:vetting", pk=case.pk)
    return _page(request, case, form=form)


def corroboration_add(request, pk):
    case = case_or_404(request, pk)
    if request.method != "POST":
        return redirect("cases:vetting", pk=case.pk)
    if not access.can_edit_vetting(request.user, case):
        raise PermissionDenied
    form = CorroborationForm(request.POST)
    if form.is_valid():
        try:
            actions.add_corroboration(request.user, request.vault_secret, case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Corroboration added."))
            return redirect("cases:vetting", pk=case.pk)
    return _page(request, case, corroboration_form=form)


def corroboration_remove(request, pk, item_pk):
    """GET asks for confirmation; POST removes."""
    case = case_or_404(request, pk)
    item = get_object_or_404(Corroboration, pk=item_pk, case=case)
    if not access.can_edit_vetting(request.user, case):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "cases/vetting/corroboration_remove.html", {"case": case, "item": item})
    actions.remove_corroboration(request.user, case, item)
    messages.success(request, _("Corroboration removed."))
    return redirect("cases:vetting", pk=case.pk)


def infiltration_flag(request, pk):
    """GET explains what the flag freezes; POST raises it."""
    case = case_or_404(request, pk)
    if not access.can_edit_vetting(request.user, case):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "cases/vetting/flag.html", {
            "case": case, "can_flag": actions.can_flag_infiltration(request.user, case),
            "flagged": case.state == actions.FLAG_TARGET, "state": pipeline.LABELS.get(case.state, case.state)})
    try:
        actions.raise_infiltration_flag(request.user, case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.warning(request, _("Infiltration flag raised. Nothing leaves this case until two coordinators "
                                    "clear it."))
    return redirect("cases:detail", pk=case.pk)


urlpatterns = [
    path("<uuid:pk>/vetting/", vetting_page, name="vetting"),
    path("<uuid:pk>/vetting/corroborations/", corroboration_add, name="vetting_corroboration_add"),
    path("<uuid:pk>/vetting/corroborations/<uuid:item_pk>/remove/", corroboration_remove,
         name="vetting_corroboration_remove"),
    path("<uuid:pk>/vetting/infiltration/", infiltration_flag, name="vetting_flag"),
]
