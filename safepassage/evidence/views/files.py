"""Pages for evidence files, on a case (/staff/cases/<id>/files/) and on a source of the
evidence base (/staff/evidence/...). The same pages serve both; `_Owner` says where a file
lives and how its addresses read. Files are sent with their type read from the content and
never with their own name (it may identify someone)."""

from dataclasses import dataclass
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safepassage.cases import access
from safepassage.cases.registry import Section
from safepassage.cases.views.core import case_or_404
from safepassage.lib import filetypes
from safepassage.lib.webforms import save
from safepassage.vault.errors import Tampered

from ..actions import files as actions
from ..models import EvidenceFile, Source
from ..models.files import EXPORT_PURPOSES
from .common import researcher_view


class UploadForm(forms.Form):
    upload = forms.FileField(label=gettext_lazy("File"), error_messages={"required": gettext_lazy("Choose a file.")})
    description = forms.CharField(label=gettext_lazy("What it is"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
                                  help_text=gettext_lazy("E.g. 'photo of the injuries, taken 3 April'. Encrypted."))


class ReplaceForm(forms.Form):
    upload = forms.FileField(label=gettext_lazy("New working copy"),
                             error_messages={"required": gettext_lazy("Choose a file.")},
                             help_text=gettext_lazy("E.g. a cropped or redacted version. The original never "
                                                    "changes."))


class ExportForm(forms.Form):
    purpose = forms.ChoiceField(label=gettext_lazy("Why it is exported"), choices=EXPORT_PURPOSES,
                                initial="records", help_text=gettext_lazy("Kept in the custody log."))


@dataclass
class _Owner:
    case: object = None
    source: object = None

    def url(self, name, f=None):
        if self.case is not None:
            return reverse(f"cases:{name}", args=[self.case.pk] + ([f.pk] if f else []))
        return reverse(f"evidence:{name}", args=[f.pk] if f else [self.source.pk])

    @property
    def back(self):
        if self.case is not None:
            return reverse("cases:file_list", args=[self.case.pk])
        return reverse("evidence:source", args=[self.source.pk])

    def can_handle_original(self, user):
        return access.can_handle_original(user, self.case) if self.case is not None else True


def _case_file(request, pk, file_pk):
    case = case_or_404(request, pk)
    if not access.can_see_case_files(request.user, case):
        raise PermissionDenied
    return _Owner(case=case), get_object_or_404(EvidenceFile, pk=file_pk, case=case)


def _source_file(request, file_pk):
    f = get_object_or_404(EvidenceFile.objects.select_related("source"), pk=file_pk,
                          source__in=access.evidence_records(request.user, Source))
    return _Owner(source=f.source), f


def damaged_is_refused(view):
    """A stored copy that no longer opens (altered or truncated on disk) is refused with a page
    that says so, and points to the integrity check that records it in the custody log."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (Tampered, FileNotFoundError):
            return render(request, "evidence/files/damaged.html", {"back": request.path.rsplit("/", 2)[0] + "/"},
                          status=409)

    return wrapper


def _send(data: bytes, f: EvidenceFile, disposition: str, suffix: str = "") -> HttpResponse:
    response = HttpResponse(data, content_type=f.media_type if not suffix else "application/zip")
    name = f"{f.short_ref}{suffix or '.' + filetypes.BY_MEDIA_TYPE[f.media_type].extension}"
    response["Content-Disposition"] = "inline" if disposition == "inline" else f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _too_large(request) -> bool:
    return int(request.META.get("CONTENT_LENGTH") or 0) > settings.EVIDENCE_MAX_FILE_BYTES + 64 * 1024


def _upload(request, owner: _Owner):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _too_large(request):
        form.is_valid()
        form.add_error("upload", _("The file is too large (at most %(mb)s MB).")
                       % {"mb": _max_mb()})
    elif request.method == "POST" and save(form, lambda **d: actions.ingest(
            request.user, request.vault_secret, case=owner.case, source=owner.source, **d)):
        messages.success(request, _("File received and fingerprinted."))
        return redirect(owner.back)
    return render(request, "evidence/files/form.html", {"form": form, "title": _("Add a file"), "back": owner.back,
                                                        "multipart": True, "max_mb": _max_mb()})


def _max_mb():
    return round(settings.EVIDENCE_MAX_FILE_BYTES / (1024 * 1024), 1)


def _detail(request, owner: _Owner, f):
    opened = actions.open_file(request.user, request.vault_secret, f)
    intact, bad = actions.chain_intact(f)
    return render(request, "evidence/files/detail.html", {
        "o": opened, "log": actions.custody_log(request.user, f), "intact": intact, "bad": bad,
        "can_original": owner.can_handle_original(request.user), "back": owner.back,
        "links": {n: owner.url(f"file_{n}", f) for n in ("working", "download", "original", "replace", "verify",
                                                          "export")}})


def _replace(request, owner: _Owner, f):
    form = ReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and save(form, lambda **d: actions.replace_working(
            request.user, request.vault_secret, f, **d)):
        messages.success(request, _("Working copy replaced. The original is unchanged."))
        return redirect(owner.url("file", f))
    return render(request, "evidence/files/form.html", {"form": form, "title": _("Replace the working copy"),
                                                        "back": owner.url("file", f), "multipart": True,
                                                        "max_mb": _max_mb()})


def _verify(request, owner: _Owner, f):
    if actions.verify(request.user, request.vault_secret, f):
        messages.success(request, _("The original matches the fingerprint taken when it was received, and the "
                                    "custody log is intact."))
    else:
        messages.error(request, _("The check FAILED: the original or its custody log was altered. Tell the data "
                                  "protection officer."))
    return redirect(owner.url("file", f))


def _export(request, owner: _Owner, f):
    form = ExportForm(request.POST or None)
    done = []
    if request.method == "POST" and save(form, lambda **d: done.append(actions.export(
            request.user, request.vault_secret, f, **d))):
        return _send(done[0], f, "attachment", "-export.zip")
    return render(request, "evidence/files/export.html", {"form": form, "f": f, "back": owner.url("file", f)})


# On a case

def case_file_list(request, pk):
    case = case_or_404(request, pk)
    rows = actions.files_of(request.user, case=case)
    return render(request, "evidence/files/list.html", {
        "case": case, "rows": rows, "names": actions.names_of(request.user, request.vault_secret, rows),
        "can_add": access.can_add_case_files(request.user, case)})


def case_file_new(request, pk):
    case = case_or_404(request, pk)
    if not access.can_add_case_files(request.user, case):
        raise PermissionDenied
    return _upload(request, _Owner(case=case))


def case_file(request, pk, file_pk):
    return _detail(request, *_case_file(request, pk, file_pk))


@damaged_is_refused
def case_file_working(request, pk, file_pk):
    _owner, f = _case_file(request, pk, file_pk)
    return _send(actions.read_working(request.user, request.vault_secret, f), f, "inline")


@damaged_is_refused
def case_file_download(request, pk, file_pk):
    _owner, f = _case_file(request, pk, file_pk)
    return _send(actions.read_working(request.user, request.vault_secret, f, download=True), f, "attachment")


@damaged_is_refused
def case_file_original(request, pk, file_pk):
    _owner, f = _case_file(request, pk, file_pk)
    return _send(actions.read_original(request.user, request.vault_secret, f), f, "attachment")


def case_file_replace(request, pk, file_pk):
    return _replace(request, *_case_file(request, pk, file_pk))


@require_POST
def case_file_verify(request, pk, file_pk):
    return _verify(request, *_case_file(request, pk, file_pk))


@damaged_is_refused
def case_file_export(request, pk, file_pk):
    owner, f = _case_file(request, pk, file_pk)
    if not owner.can_handle_original(request.user):
        raise PermissionDenied
    return _export(request, owner, f)


def section(request, case):
    """Files on the case page: kinds, dates and names (names are opened: a member's read)."""
    if not access.can_see_case_files(request.user, case):
        return None
    rows = list(actions.files_of(request.user, case=case)[:5])
    return Section("evidence/files/section.html", {
        "case": case, "rows": rows, "names": actions.names_of(request.user, request.vault_secret, rows),
        "can_add": access.can_add_case_files(request.user, case)})


# On a source of the evidence base

@researcher_view
def source_file_new(request, pk):
    source = get_object_or_404(access.evidence_records(request.user, Source), pk=pk)
    return _upload(request, _Owner(source=source))


@researcher_view
def source_file(request, file_pk):
    return _detail(request, *_source_file(request, file_pk))


@researcher_view
@damaged_is_refused
def source_file_working(request, file_pk):
    _owner, f = _source_file(request, file_pk)
    return _send(actions.read_working(request.user, request.vault_secret, f), f, "inline")


@researcher_view
@damaged_is_refused
def source_file_download(request, file_pk):
    _owner, f = _source_file(request, file_pk)
    return _send(actions.read_working(request.user, request.vault_secret, f, download=True), f, "attachment")


@researcher_view
@damaged_is_refused
def source_file_original(request, file_pk):
    _owner, f = _source_file(request, file_pk)
    return _send(actions.read_original(request.user, request.vault_secret, f), f, "attachment")


@researcher_view
def source_file_replace(request, file_pk):
    return _replace(request, *_source_file(request, file_pk))


@require_POST
@researcher_view
def source_file_verify(request, file_pk):
    return _verify(request, *_source_file(request, file_pk))


@researcher_view
@damaged_is_refused
def source_file_export(request, file_pk):
    return _export(request, *_source_file(request, file_pk))
