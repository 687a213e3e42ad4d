"""Dossiers and disclosures on a case (/staff/cases/<id>/dossiers/ and .../disclosures/):
making a visa dossier or an asylum pack, redacting a testimony, asking to send documents
outside, the second coordinator's decision, share links and the disclosure log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepassage.cases import access
from safepassage.cases.actions import pipeline as pipeline_actions
from safepassage.cases.registry import Section
from safepassage.cases.views.core import case_allowing
from safepassage.evidence import redaction as engine
from safepassage.evidence.actions import files as file_actions
from safepassage.evidence.forms_incidents import ConfirmForm
from safepassage.evidence.models import Testimony, Translation
from safepassage.lib.webforms import save

from .actions import disclosures, dossiers, redactions
from .forms import DisclosureForm, LinkForm, PackForm, RedactionForm, VisaForm
from .models import DOSSIER_KINDS, Disclosure, Dossier, Redaction, ShareLink

FORMS = {"visa": VisaForm, "asylum_pack": PackForm}


def section(request, case):
    """Dossiers and disclosures on the case page: kinds, dates and states (nothing is opened)."""
    if not access.can_see_disclosures(request.user, case):
        return None
    return Section("dossiers/section.html", {
        "case": case, "dossiers": case.dossiers.all()[:5],
        "disclosures": case.disclosures.select_related("approval", "requested_by")[:5],
        "can_make": access.can_make_dossier(request.user, case)})


# Dossiers

def dossier_new(request, pk, kind):
    case = case_allowing(request, pk, access.can_make_dossier)
    if kind not in FORMS:
        raise PermissionDenied
    initial = dossiers.starting_inputs(request.user, request.vault_secret, case, kind)
    extra = {"file_names": file_actions.names_of(request.user, request.vault_secret,
                                                 file_actions.files_of(request.user, case=case))} \
        if kind == "visa" else {}
    form = FORMS[kind](request.POST or None, case=case, initial=initial, **extra)
    made, missing = [], []
    if request.method == "POST" and form.is_valid():
        try:
            made.append(dossiers.make(request.user, request.vault_secret, case, kind, form.cleaned_data))
        except dossiers.Incomplete as exc:
            missing = exc.messages
        except ValidationError as exc:
            form.add_error(None, exc)
    if made:
        messages.success(request, _("Dossier made. Read it through before asking to send it."))
        return redirect("cases:dossier", pk=case.pk, dossier_pk=made[0].pk)
    return render(request, "dossiers/form.html", {"form": form, "case": case, "missing": missing,
                                                  "title": dict(DOSSIER_KINDS)[kind]})


def _dossier_or_404(request, pk, dossier_pk):
    case = case_allowing(request, pk, access.can_make_dossier)
    return case, get_object_or_404(Dossier, pk=dossier_pk, case=case)


def dossier_detail(request, pk, dossier_pk):
    case, dossier = _dossier_or_404(request, pk, dossier_pk)
    return render(request, "dossiers/detail.html", {
        "case": case, "d": dossier, "sha256": dossiers.fingerprint(request.user, request.vault_secret, dossier),
        "sent": Disclosure.objects.filter(items__dossier=dossier).select_related("approval").distinct(),
        "can_send": access.can_request_disclosure(request.user, case)})


def dossier_pdf(request, pk, dossier_pk):
    case, dossier = _dossier_or_404(request, pk, dossier_pk)
    response = HttpResponse(dossiers.read(request.user, request.vault_secret, dossier),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="dossier-{dossier.short_ref}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Redactions

def redaction_new(request, pk, testimony_pk):
    case = case_allowing(request, pk, access.can_redact)
    testimony = get_object_or_404(Testimony, pk=testimony_pk, case=case)
    tr = None
    if request.GET.get("from"):
        try:
            tr = Translation.objects.filter(pk=request.GET["from"], testimony=testimony, machine=False).first()
        except ValidationError:  # not even a UUID: as unknown
            tr = None
        if tr is None:
            raise Http404
    text, language, findings = redactions.propose(request.user, request.vault_secret, case, testimony, tr)
    form = RedactionForm(request.POST or None, findings=findings, text=text)
    made = []
    if request.method == "POST" and save(form, lambda **data: made.append(redactions.confirm(
            request.user, request.vault_secret, case, testimony, tr, chosen=form.chosen(),
            words=(data.get("words") or "").splitlines()))):
        messages.success(request, _("Redacted version kept."))
        return redirect("cases:redaction", pk=case.pk, redaction_pk=made[0].pk)
    rows = [(form[f"p{i}"], engine.ENTITY_LABELS.get(f.entity, f.entity)) for i, f in enumerate(findings)]
    return render(request, "dossiers/redaction_form.html", {
        "case": case, "testimony": testimony, "form": form, "rows": rows, "text": text, "language": language})


def redaction_detail(request, pk, redaction_pk):
    case = case_allowing(request, pk, access.can_redact)
    row = get_object_or_404(Redaction, pk=redaction_pk, case=case)
    text, applied = redactions.open_redaction(request.user, request.vault_secret, row)
    return render(request, "dossiers/redaction.html", {"case": case, "r": row, "text": text, "applied": applied,
                                                       "can_make": access.can_make_dossier(request.user, case)})


@require_POST
def redaction_pdf(request, pk, redaction_pk):
    case = case_allowing(request, pk, access.can_make_dossier)
    row = get_object_or_404(Redaction, pk=redaction_pk, case=case)
    dossier = dossiers.make_redacted(request.user, request.vault_secret, case, row)
    messages.success(request, _("PDF of the redacted testimony made."))
    return redirect("cases:dossier", pk=case.pk, dossier_pk=dossier.pk)


# Disclosures

def disclosure_new(request, pk):
    case = case_allowing(request, pk, access.can_request_disclosure)
    files = file_actions.files_of(request.user, case=case)
    initial = {"dossiers": [request.GET["dossier"]]} if request.GET.get("dossier") else {}
    form = DisclosureForm(request.POST or None, case=case, initial=initial,
                          file_names=file_actions.names_of(request.user, request.vault_secret, files))
    made = []
    if request.method == "POST" and save(form, lambda **data: made.append(disclosures.request(
            request.user, request.vault_secret, case, **data))):
        messages.success(request, _("Asked. A second coordinator who is a member of this case must approve before "
                                    "anything can be sent."))
        return redirect("cases:disclosure", pk=case.pk, disclosure_pk=made[0].pk)
    return render(request, "dossiers/disclosure_form.html", {"form": form, "case": case})


def _disclosure_or_404(request, pk, disclosure_pk):
    case = case_allowing(request, pk, access.can_see_disclosures)
    return case, get_object_or_404(Disclosure.objects.select_related("approval", "consent__testimony"),
                                   pk=disclosure_pk, case=case)


def disclosure_detail(request, pk, disclosure_pk):
    case, disclosure = _disclosure_or_404(request, pk, disclosure_pk)
    user = request.user
    form = LinkForm(request.POST or None)
    created = None
    if request.method == "POST":
        if not access.can_request_disclosure(user, case):
            raise PermissionDenied
        done = []
        if save(form, lambda **data: done.append(disclosures.create_link(user, request.vault_secret, disclosure,
                                                                         **data))):
            link, token = done[0]
            created = request.build_absolute_uri(reverse("share_link", args=[token]))
            form = LinkForm()
        else:  # said at the top of the page: the link form is not shown before an approval
            for error in form.non_field_errors():
                messages.error(request, error)
    opened = disclosures.open_disclosure(user, request.vault_secret, disclosure)
    links = [(link, disclosures.state(link)) for link in disclosure.links.select_related("created_by")]
    return render(request, "dossiers/disclosure.html", {
        "case": case, "o": opened, "links": links, "form": form, "created": created,
        "can_decide": pipeline_actions.can_decide(user, disclosure.approval),
        "can_send": access.can_request_disclosure(user, case) and disclosure.approved,
        "can_withdraw": access.can_withdraw_approval(user, disclosure.approval),
        "origin_country": disclosure.recipient_country in disclosures.origin_countries()})


def disclosure_log(request, pk):
    case = case_allowing(request, pk, access.can_see_disclosures)
    rows = disclosures.log(request.user, request.vault_secret, case)
    links = {d.disclosure.pk: [(link, disclosures.state(link)) for link in d.disclosure.links.all()] for d in rows}
    return render(request, "dossiers/log.html", {"case": case, "rows": rows, "links": links})


def link_revoke(request, pk, share_link_pk):
    case = case_allowing(request, pk, access.can_request_disclosure)
    link = get_object_or_404(ShareLink, pk=share_link_pk, disclosure__case=case)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    back = reverse("cases:disclosure", args=[case.pk, link.disclosure_id])
    if request.method == "POST" and save(form, lambda: disclosures.revoke(request.user, link)):
        messages.success(request, _("Link revoked: it no longer opens, and what it held was deleted."))
        return redirect(back)
    return render(request, "evidence/base/confirm.html", {
        "form": form, "title": _("Revoke this link?"), "button": _("Revoke"), "danger": True, "back": back,
        "text": _("The recipient will no longer be able to download from it.")})
