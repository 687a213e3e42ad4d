"""The researchers' side of shared testimonies, and deduplication (likely duplicates, merging
and undoing a merge)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepassage.cases import access
from safepassage.lib.webforms import save

from ..actions import dedup, shares
from ..forms_incidents import ConfirmForm, MergeForm
from ..models import Act, Merge, Victim
from .common import page_of, record_or_404, researcher_view


@researcher_view
def share_list(request):
    page = page_of(request, shares.visible(request.user).prefetch_related("victims"))
    return render(request, "evidence/base/share_list.html", {"page": page})


def _share_or_404(request, pk):
    return get_object_or_404(shares.visible(request.user), pk=pk)


@researcher_view
def share_detail(request, pk):
    row = _share_or_404(request, pk)
    text = shares.open_share(request.user, request.vault_secret, row)
    return render(request, "evidence/base/share_detail.html", {
        "share": row, "text": text, "source": getattr(row, "source", None),
        "victim": Victim.objects.filter(share=row).order_by("created_at").first()})


@require_POST
@researcher_view
def share_use(request, pk):
    """Make the testimony a source and its teller a victim, then record an act from it."""
    row = _share_or_404(request, pk)
    source, victim = shares.use_as_source(request.user, request.vault_secret, row)
    messages.success(request, _("The testimony is now a source. Record the acts it reports."))
    return redirect(f"{reverse('evidence:act_new_any')}?source={source.pk}&victim={victim.pk}")


# Duplicates

@researcher_view
def duplicates(request):
    found = dedup.suggestions(request.user)
    merges = page_of(request, access.evidence_records(request.user, Merge).select_related(
        "merged_by", "undone_by", "survivor_act__act_type", "merged_act__act_type"))
    return render(request, "evidence/base/duplicates.html", {"found": found, "page": merges})


def _pair(request, model):
    try:
        a = record_or_404(request, model, request.GET.get("keep") or request.POST.get("keep"))
        b = record_or_404(request, model, request.GET.get("merge") or request.POST.get("merge"))
    except (ValidationError, ValueError, TypeError):  # a missing or malformed id: as an unknown one
        raise Http404 from None
    return a, b


def _merge_view(request, model, action, what):
    keep, other = _pair(request, model)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and save(form, lambda **d: action(request.user, request.vault_secret, keep, other,
                                                                  **d)):
        messages.success(request, _("Merged: they are now counted once. The merge can be undone."))
        return redirect("evidence:duplicates")
    return render(request, "evidence/base/merge.html", {"form": form, "keep": keep, "other": other, "what": what,
                                                        "back": reverse("evidence:duplicates")})


@researcher_view
def merge_acts(request):
    return _merge_view(request, Act, dedup.merge_acts, "act")


@researcher_view
def merge_victims(request):
    return _merge_view(request, Victim, dedup.merge_victims, "victim")


@researcher_view
def merge_undo(request, pk):
    merge = record_or_404(request, Merge, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and save(form, lambda: dedup.undo(request.user, merge)):
        messages.success(request, _("Merge undone: both are counted again."))
        return redirect("evidence:duplicates")
    return render(request, "evidence/base/confirm.html", {
        "form": form, "title": _("Undo this merge?"), "button": _("Undo the merge"),
        "text": _("Both records will be counted separately again. The merge stays on record as undone."),
        "back": reverse("evidence:duplicates")})

