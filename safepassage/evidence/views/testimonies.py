"""Case page section and pages for testimonies: list, record, read (with consents and
translations), record and withdraw consent (after confirmation), add a translation, and a
machine translation when one is configured. Unknown, foreign and non-member IDs answer 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepassage.cases import access
from safepassage.cases.views.core import case_or_404

from .. import translation as mt
from ..actions import testimonies as actions
from ..forms import ConsentForm, MachineTranslationForm, TestimonyForm, TranslationForm, WithdrawConsentForm
from ..models import Consent, Testimony


def section(request, case):
    """Testimonies on the case page: dates, languages and consents, no text (nothing is read)."""
    from safepassage.cases.views.sections import Section  # sections imports this module

    if not access.can_see_testimonies(request.user, case):
        return None
    return Section("evidence/section.html", {
        "case": case, "rows": actions.list_testimonies(request.user, case)[:5],
        "can_record": access.can_record_testimony(request.user, case),
    })


def _case(request, pk, allowed):
    case = case_or_404(request, pk)
    if not allowed(request.user, case):
        raise PermissionDenied
    return case


def _testimony_or_404(case, testimony_pk):
    return get_object_or_404(Testimony, pk=testimony_pk, case=case)


def _save(form, do):
    """Run the action; its errors go back onto the form. True when saved."""
    if not form.is_valid():
        return False
    try:
        do(**form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


def testimony_list(request, pk):
    case = _case(request, pk, access.can_see_testimonies)
    return render(request, "evidence/list.html", {
        "case": case, "rows": actions.list_testimonies(request.user, case),
        "can_record": access.can_record_testimony(request.user, case)})


def testimony_new(request, pk):
    case = _case(request, pk, access.can_record_testimony)
    form = TestimonyForm(request.POST or None)
    saved = []
    if request.method == "POST" and _save(form, lambda **data: saved.append(actions.record_testimony(
            request.user, request.vault_secret, case, **data))):
        messages.success(request, _("Testimony recorded."))
        return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=saved[0].pk)
    return render(request, "evidence/form.html", {"form": form, "case": case, "title": _("Record a testimony"),
                                                  "back": "cases:testimony_list"})


def testimony_detail(request, pk, testimony_pk):
    case = _case(request, pk, access.can_see_testimonies)
    testimony = _testimony_or_404(case, testimony_pk)
    opened = actions.open_testimony(request.user, request.vault_secret, case, testimony)
    return render(request, "evidence/detail.html", {
        "case": case, "t": opened,
        "can_consent": access.can_record_consent(request.user, case),
        "can_translate": access.can_translate(request.user, case),
        "machine_form": MachineTranslationForm() if mt.enabled() and access.can_translate(request.user, case)
        else None,
    })


def consent_new(request, pk, testimony_pk):
    case = _case(request, pk, access.can_record_consent)
    testimony = _testimony_or_404(case, testimony_pk)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and _save(form, lambda **data: actions.record_consent(
            request.user, request.vault_secret, case, testimony, **data)):
        messages.success(request, _("Consent recorded."))
        return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=testimony.pk)
    return render(request, "evidence/form.html", {"form": form, "case": case, "testimony": testimony,
                                                  "title": _("Record a consent")})


def consent_withdraw(request, pk, testimony_pk, consent_pk):
    """GET asks for confirmation; POST withdraws (the consent stays on record, with its dates)."""
    case = _case(request, pk, access.can_record_consent)
    testimony = _testimony_or_404(case, testimony_pk)
    consent = get_object_or_404(Consent, pk=consent_pk, testimony=testimony)
    form = WithdrawConsentForm(request.POST or None)
    if request.method == "POST" and _save(form, lambda **data: actions.withdraw_consent(
            request.user, case, consent, **data)):
        messages.success(request, _("Consent withdrawn."))
        return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=testimony.pk)
    return render(request, "evidence/withdraw.html", {"form": form, "case": case, "testimony": testimony,
                                                      "consent": consent})


def translation_new(request, pk, testimony_pk):
    """The translator sees the testimony (an audited read) next to the form."""
    case = _case(request, pk, access.can_translate)
    testimony = _testimony_or_404(case, testimony_pk)
    form = TranslationForm(request.POST or None)
    if request.method == "POST" and _save(form, lambda **data: actions.add_translation(
            request.user, request.vault_secret, case, testimony, **data)):
        messages.success(request, _("Translation recorded."))
        return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=testimony.pk)
    opened = actions.open_testimony(request.user, request.vault_secret, case, testimony)
    return render(request, "evidence/form.html", {"form": form, "case": case, "testimony": testimony,
                                                  "original": opened.text, "title": _("Add a translation")})


@require_POST
def translation_machine(request, pk, testimony_pk):
    case = _case(request, pk, access.can_translate)
    testimony = _testimony_or_404(case, testimony_pk)
    if not mt.enabled():
        raise Http404
    form = MachineTranslationForm(request.POST)
    if _save(form, lambda **data: actions.machine_translate(
            request.user, request.vault_secret, case, testimony, **data)):
        messages.success(request, _("Machine translation recorded. Check it before relying on it."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=testimony.pk)


urlpatterns = [
    path("<uuid:pk>/testimonies/", testimony_list, name="testimony_list"),
    path("<uuid:pk>/testimonies/new/", testimony_new, name="testimony_new"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/", testimony_detail, name="testimony_detail"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/consents/new/", consent_new, name="consent_new"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/consents/<uuid:consent_pk>/withdraw/", consent_withdraw,
         name="consent_withdraw"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/translations/new/", translation_new, name="translation_new"),
    path("<uuid:pk>/testimonies/<uuid:testimony_pk>/translations/machine/", translation_machine,
         name="translation_machine"),
]
