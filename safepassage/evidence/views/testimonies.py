"""Case page section and pages for testimonies: list, record, read (with consents and
translations), record and withdraw consent (after confirmation), add a translation, and a
machine translation when one is configured. Unknown, foreign and non-member IDs answer 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepassage.cases import access
from safepassage.cases.registry import Section
from safepassage.cases.views.core import case_allowing
from safepassage.lib.webforms import save

from .. import translation as mt
from ..actions import shares as share_actions
from ..actions import testimonies as actions
from ..forms import ConsentForm, MachineTranslationForm, ShareForm, TestimonyForm, TranslationForm, WithdrawConsentForm
from ..forms_incidents import ConfirmForm
from ..models import Consent, Testimony, TestimonyShare


def section(request, case):
    """Testimonies on the case page: dates, languages and consents, no text (nothing is read)."""
    if not access.can_see_testimonies(request.user, case):
        return None
    return Section("evidence/section.html", {
        "case": case, "rows": actions.list_testimonies(request.user, case)[:5],
        "can_record": access.can_record_testimony(request.user, case),
    })


def _testimony_or_404(case, testimony_pk):
    return get_object_or_404(Testimony, pk=testimony_pk, case=case)


def testimony_list(request, pk):
    case = case_allowing(request, pk, access.can_see_testimonies)
    return render(request, "evidence/list.html", {
        "case": case, "rows": actions.list_testimonies(request.user, case),
        "can_record": access.can_record_testimony(request.user, case)})


def testimony_new(request, pk):
    case = case_allowing(request, pk, access.can_record_testimony)
    form = TestimonyForm(request.POST or None)
    saved = []
    if request.method == "POST" and save(form, lambda **data: saved.append(actions.record_testimony(
            request.user, request.vault_secret, case, **data))):
        messages.success(request, _("Testimony recorded."))
        return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=saved[0].pk)
    return render(request, "evidence/form.html", {"form": form, "case": case, "title": _("Record a testimony"),
                                                  "back": "cases:testimony_list"})


def testimony_detail(request, pk, testimony_pk):
    case = case_allowing(request, pk, access.can_see_testimonies)
    testimony = _testimony_or_404(case, testimony_pk)
    opened = actions.open_testimony(request.user, request.vault_secret, case, testimony)
    return render(request, "evidence/detail.html", {
        "case": case, "t": opened,
        "can_consent": access.can_record_consent(request.user, case),
        "can_translate": access.can_translate(request.user, case),
        "machine_form": MachineTranslationForm() if mt.enabled() and access.can_translate(request.user, case)
        else None,
        "can_share": access.can_share_testimony(request.user, case),
        "shares": share_actions.shares_of(request.user, case, testimony),
        "can_redact": access.can_redact(request.user, case),
        "redactions": testimony.redactions.select_related("created_by"),
    })


def consent_new(request, pk, testimony_pk):
    case = case_allowing(request, pk, access.can_record_consent)
    testimony = _testimony_or_404(case, testimony_pk)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and save(form, lambda **data: actions.record_consent(
            request.user, request.vault_secret, case, testimony, **data)):
        messages.success(request, _("Consent recorded."))
        return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=testimony.pk)
    return render(request, "evidence/form.html", {"form": form, "case": case, "testimony": testimony,
                                                  "title": _("Record a consent")})


def consent_withdraw(request, pk, testimony_pk, consent_pk):
    """GET asks for confirmation; POST withdraws (the consent stays on record, with its dates)."""
    case = case_allowing(request, pk, access.can_record_consent)
    testimony = _testimony_or_404(case, testimony_pk)
    consent = get_object_or_404(Consent, pk=consent_pk, testimony=testimony)
    form = WithdrawConsentForm(request.POST or None)
    if request.method == "POST" and save(form, lambda **data: actions.withdraw_consent(
            request.user, case, consent, **data)):
        messages.success(request, _("Consent withdrawn."))
        return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=testimony.pk)
    return render(request, "evidence/withdraw.html", {"form": form, "case": case, "testimony": testimony,
                                                      "consent": consent})


def translation_new(request, pk, testimony_pk):
    """The translator sees the testimony (an audited read) next to the form."""
    case = case_allowing(request, pk, access.can_translate)
    testimony = _testimony_or_404(case, testimony_pk)
    form = TranslationForm(request.POST or None)
    if request.method == "POST" and save(form, lambda **data: actions.add_translation(
            request.user, request.vault_secret, case, testimony, **data)):
        messages.success(request, _("Translation recorded."))
        return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=testimony.pk)
    opened = actions.open_testimony(request.user, request.vault_secret, case, testimony)
    return render(request, "evidence/form.html", {"form": form, "case": case, "testimony": testimony,
                                                  "original": opened.text, "title": _("Add a translation")})


@require_POST
def translation_machine(request, pk, testimony_pk):
    case = case_allowing(request, pk, access.can_translate)
    testimony = _testimony_or_404(case, testimony_pk)
    if not mt.enabled():
        raise Http404
    form = MachineTranslationForm(request.POST)
    if save(form, lambda **data: actions.machine_translate(
            request.user, request.vault_secret, case, testimony, **data)):
        messages.success(request, _("Machine translation recorded. Check it before relying on it."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=testimony.pk)


def testimony_share(request, pk, testimony_pk):
    """A redacted copy for the documentation researchers. The form starts from the testimony (or
    a human translation of it, ?from=<translation id>); the person removes what could identify
    anyone before sharing."""
    case = case_allowing(request, pk, access.can_share_testimony)
    testimony = _testimony_or_404(case, testimony_pk)
    opened = actions.open_testimony(request.user, request.vault_secret, case, testimony)
    start = next((t for t in opened.translations if str(t.translation.pk) == request.GET.get("from")
                  and not t.translation.machine), None)
    initial = {"text": start.text if start else opened.text,
               "language": start.translation.target_language if start else testimony.language}
    if request.GET.get("propose"):  # start from Presidio's proposals; the person still reads and edits
        from safepassage.evidence import redaction

        initial["text"] = redaction.redact_proposed(initial["text"], initial["language"])
    form = ShareForm(request.POST or None, initial=initial)
    if request.method == "POST" and save(form, lambda **data: share_actions.share(
            request.user, case, testimony, **data)):
        messages.success(request, _("A redacted copy was given to the documentation researchers."))
        return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=testimony.pk)
    return render(request, "evidence/share.html", {
        "form": form, "case": case, "testimony": testimony, "t": opened,
        "consented": actions.consented(testimony, share_actions.PURPOSE)})


def share_withdraw(request, pk, testimony_pk, share_pk):
    case = case_allowing(request, pk, access.can_share_testimony)
    testimony = _testimony_or_404(case, testimony_pk)
    row = get_object_or_404(TestimonyShare, pk=share_pk, testimony=testimony)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and save(form, lambda: share_actions.withdraw(request.user, case, row)):
        messages.success(request, _("The copy was withdrawn: the researchers can no longer read it, and it is "
                                    "left out of every later statistic."))
        return redirect("cases:testimony_detail", pk=case.pk, testimony_pk=testimony.pk)
    return render(request, "evidence/base/confirm.html", {
        "form": form, "title": _("Withdraw this copy from the researchers?"), "button": _("Withdraw"),
        "danger": True, "back": reverse("cases:testimony_detail", args=[case.pk, testimony.pk]),
        "text": _("Its text is deleted from the evidence base. Statistics published before stay as they were.")})
