"""Pages for the controlled vocabularies (/staff/vocabularies/): organisation admins list the
terms of each vocabulary, add a term and edit one (labels, position, active). A term is
deactivated, never deleted. Everyone else: 403; another organisation's term: 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from safepassage.lib.webforms import save

from .. import vocabularies as actions
from ..forms import TermEditForm, TermForm
from ..models import VOCABULARIES


def vocabulary_list(request):
    return render(request, "evidence/vocabularies/list.html",
                  {"vocabularies": actions.list_vocabularies(request.user)})


def term_new(request):
    actions.terms_for(request.user)  # the access check, before anything is shown
    initial = {"position": 0}
    if request.GET.get("vocabulary") in dict(VOCABULARIES):
        initial["vocabulary"] = request.GET["vocabulary"]
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and save(form, lambda **data: actions.add_term(request.user, **data)):
        messages.success(request, _("Term added."))
        return redirect("vocabularies:list")
    return render(request, "evidence/vocabularies/form.html", {"form": form, "title": _("New term")})


def term_edit(request, pk):
    term = get_object_or_404(actions.terms_for(request.user), pk=pk)
    form = TermEditForm(request.POST or None, initial={
        "label_en": term.label_en, "label_fr": term.label_fr, "label_ru": term.label_ru,
        "position": term.position, "active": term.active})
    if request.method == "POST" and save(form, lambda **data: actions.update_term(request.user, term, **data)):
        messages.success(request, _("Saved."))
        return redirect("vocabularies:list")
    return render(request, "evidence/vocabularies/form.html", {
        "form": form, "term": term, "vocabulary": dict(VOCABULARIES)[term.vocabulary],
        "title": _("Edit term")})
