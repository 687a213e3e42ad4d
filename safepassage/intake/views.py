"""The intake queue on the staff site: coordinators and hotline operators read new requests,
reply, and accept them as cases or decline them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepassage.cases.registry import Section

from . import access, actions
from .forms import ConvertForm, DeclineForm, ReplyForm
from .models import Attachment


def _thread_or_404(request, pk):
    return get_object_or_404(access.visible_threads(request.user).select_related("data_key", "case"), pk=pk)


def queue(request):
    if not access.can_work_intake(request.user):
        raise PermissionDenied
    page = Paginator(access.intake_queue(request.user), 50).get_page(request.GET.get("page"))
    lacking = actions.lacking_team(request.user) if access.can_share_intake(request.user) else []
    return render(request, "intake/staff/queue.html", {"page": page, "lacking": lacking})


@require_POST
def share(request):
    made = actions.share_waiting(request.user, request.vault_secret)
    messages.success(request, _("Waiting requests shared with the intake team (%(n)s grants).") % {"n": made})
    return redirect("intake_staff:queue")


def thread_detail(request, pk):
    thread = _thread_or_404(request, pk)
    reply_form = ReplyForm(request.POST or None)
    if request.method == "POST" and reply_form.is_valid():
        try:
            actions.reply(request.user, request.vault_secret, thread, reply_form.cleaned_data["body"])
        except ValidationError as exc:
            reply_form.add_error(None, exc)
        else:
            messages.success(request, _("Your reply is waiting for the applicant."))
            return redirect("intake_staff:thread", pk=thread.pk)
    return render(request, "intake/staff/thread.html", {
        "view": actions.open_thread(request.user, request.vault_secret, thread),
        "reply_form": reply_form,
        "can_decide": access.can_decide_thread(request.user, thread),
        "can_original": access.can_read_original(request.user, thread),
        "convert_form": ConvertForm(),
    })


def attachment(request, pk, file_pk):
    thread = _thread_or_404(request, pk)
    att = get_object_or_404(Attachment, pk=file_pk, thread=thread)
    original = request.GET.get("original") == "1"
    data, _name = actions.read_attachment(request.user, request.vault_secret, thread, att, original)
    content_type = "application/pdf" if att.kind == "pdf" else (
        "image/png" if data.startswith(b"\x89PNG") else "image/jpeg")
    response = HttpResponse(data, content_type=content_type)
    # The file's own name may identify someone: it never goes into a header or a download name.
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def convert(request, pk):
    thread = _thread_or_404(request, pk)
    if not access.can_decide_thread(request.user, thread):
        raise PermissionDenied
    form = ConvertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.convert(request.user, request.vault_secret, thread, form.cleaned_data["pseudonym"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The request is now a case. Add the members who need to work on it."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "intake/staff/convert.html", {"thread": thread, "form": form})


def decline(request, pk):
    thread = _thread_or_404(request, pk)
    if not access.can_decide_thread(request.user, thread):
        raise PermissionDenied
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.decline(request.user, thread)
        messages.success(request, _("The request was declined."))
        return redirect("intake_staff:queue")
    return render(request, "intake/staff/decline.html", {"thread": thread, "form": form})


def case_section(request, case):
    """On the case page: the way to the conversation with the applicant, if the case came from a
    request and this member holds its key."""
    thread = access.visible_threads(request.user).filter(case=case).first()
    return Section("intake/staff/case_section.html", {"thread": thread}) if thread else None
