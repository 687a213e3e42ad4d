"""The anonymous public site. No cookies, so no CSRF token: these forms carry no ambient
authority (no session, no login) that a forged request could borrow; the CSRF check is
switched off here on purpose. Never imports staff views."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import actions, phrases, throttle
from .forms import MessageForm, ReceiptForm, RequestForm
from .site import public_organisation

CSS = Path(__file__).resolve().parent / "static" / "public.css"


def stylesheet(request):
    return HttpResponse(CSS.read_bytes(), content_type="text/css; charset=utf-8")


def home(request):
    return render(request, "intake/home.html")


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > settings.INTAKE_MAX_BODY_BYTES
    except ValueError:
        return True


def _too_large_page(request):
    return render(request, "intake/message.html", {
        "title": _("Too much at once"),
        "text": _("What you sent is too large. Please send fewer or smaller files, or a shorter text.")},
        status=413)


def _busy(request, message):
    return render(request, "intake/message.html", {"title": _("Please try again later"), "text": message},
                  status=503)


@csrf_exempt
def request_help(request):
    org = public_organisation()
    if org is None:
        return _busy(request, _("This service is not open yet."))
    if request.method == "POST" and _too_large(request):
        return _too_large_page(request)
    form = RequestForm(request.POST or None, request.FILES or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        # The limit comes first, for robots too: a trap that still answered during a flood
        # would tell them it is a trap.
        if throttle.exceeded("submit", settings.INTAKE_SUBMISSIONS_PER_HOUR):
            return _busy(request, _("We are receiving too many requests right now. Please try again in an hour. "
                                    "If you are in danger now, call the hotline."))
        if form.cleaned_data["website"]:
            # A robot filled the trap: it gets a receipt that opens nothing, and nothing is saved.
            language = form.cleaned_data["language"]  # as a real receipt: nothing tells the trap apart
            return render(request, "intake/receipt.html", {"receipt": phrases.new_phrase(language),
                                                           "receipt_language": language})
        data = form.cleaned_data
        try:
            _thread, receipt = actions.submit(org, actions.Request(
                story=data["story"], urgency=data["urgency"], region=data["region"], contact=data["contact"],
                referrer=data["referrer"], language=data["language"], files=data["files"]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            throttle.count("submit")
            return render(request, "intake/receipt.html", {"receipt": receipt, "receipt_language": data["language"]})
    return render(request, "intake/request.html", {"form": form})


@csrf_exempt
def follow_up(request):
    """Enter the receipt, read the replies, send a message. Each step re-derives the key from
    the receipt: nothing about the visitor is kept between pages."""
    if request.method != "POST":
        return render(request, "intake/follow_up.html", {"form": ReceiptForm()})
    if _too_large(request):
        return _too_large_page(request)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/follow_up.html", {"form": form})
    if throttle.exceeded("receipt", settings.INTAKE_RECEIPT_FAILURES_PER_HOUR):
        return _busy(request, _("Too many attempts. Please try again in an hour."))
    found = actions.find_by_receipt(form.cleaned_data["receipt"])
    if found is None:
        throttle.count("receipt")
        form.add_error("receipt", _("We could not open a conversation with these words. Check each word and "
                                    "try again."))
        form.data = {}
        return render(request, "intake/follow_up.html", {"form": form})
    thread, key = found
    message_form = MessageForm(initial={"receipt": form.cleaned_data["receipt"]})
    sent = False
    if "body" in request.POST:
        message_form = MessageForm(request.POST, request.FILES)
        if message_form.is_valid():
            try:
                actions.applicant_send(thread, key, message_form.cleaned_data["body"],
                                       message_form.cleaned_data["files"])
            except ValidationError as exc:
                message_form.add_error(None, exc)
            else:
                sent = True
                message_form = MessageForm(initial={"receipt": form.cleaned_data["receipt"]})
    return render(request, "intake/thread.html", {"view": actions.applicant_view(thread, key),
                                                  "form": message_form, "sent": sent})
