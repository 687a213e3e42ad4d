"""Case page section and pages for the documents register: list with expiries, add, edit,
delete (after confirmation). Every member of the case keeps it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from .. import access
from ..actions import documents as actions
from ..forms_documents import DocumentForm
from ..models import Document
from ..registry import Section
from .core import case_or_404


def section(request, case):
    """The register on the case page, soonest expiry first (covered by the page's case.read)."""
    if not access.can_see_documents(request.user, case):
        return None
    return Section("cases/sections/documents.html", {
        "case": case,
        "rows": actions.list_documents(request.user, request.vault_secret, case),
        "can_edit": access.can_edit_documents(request.user, case),
    })


def _document_or_404(case, doc_pk):
    return get_object_or_404(Document, pk=doc_pk, case=case)


def _editable_case(request, pk):
    case = case_or_404(request, pk)
    if not access.can_edit_documents(request.user, case):
        raise PermissionDenied
    return case


def _save(request, form, do):
    """Run the action; its errors go back onto the form's fields. True when saved."""
    if not form.is_valid():
        return False
    try:
        do(**form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


def document_new(request, pk):
    case = _editable_case(request, pk)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and _save(request, form, lambda **data: actions.add_document(
            request.user, request.vault_secret, case, **data)):
        messages.success(request, _("Document added to the register."))
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/documents/form.html", {"form": form, "case": case, "title": _("Add a document")})


def document_edit(request, pk, doc_pk):
    case = _editable_case(request, pk)
    doc = _document_or_404(case, doc_pk)
    if request.method == "POST":
        form = DocumentForm(request.POST)
        if _save(request, form, lambda **data: actions.update_document(
                request.user, request.vault_secret, case, doc, **data)):
            messages.success(request, _("Saved."))
            return redirect("cases:detail", pk=case.pk)
    else:
        opened = actions.open_document(request.user, request.vault_secret, case, doc)
        form = DocumentForm(initial={"kind": doc.kind, "status": doc.status, "reference": opened.reference,
                                     "notes": opened.notes, "issued_on": doc.issued_on,
                                     "expires_on": doc.expires_on, "notified_on": doc.notified_on})
    return render(request, "cases/documents/form.html", {"form": form, "case": case, "document": doc,
                                                         "title": _("Edit a document")})


def document_delete(request, pk, doc_pk):
    """GET asks for confirmation; POST deletes."""
    case = _editable_case(request, pk)
    doc = _document_or_404(case, doc_pk)
    if request.method != "POST":
        return render(request, "cases/documents/delete.html", {"case": case, "document": doc})
    actions.delete_document(request.user, case, doc)
    messages.success(request, _("Document removed from the register."))
    return redirect("cases:detail", pk=case.pk)


urlpatterns = [
    path("<uuid:pk>/documents/new/", document_new, name="document_new"),
    path("<uuid:pk>/documents/<uuid:doc_pk>/edit/", document_edit, name="document_edit"),
    path("<uuid:pk>/documents/<uuid:doc_pk>/delete/", document_delete, name="document_delete"),
]
