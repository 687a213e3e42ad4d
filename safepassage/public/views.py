"""The anonymous public site. It imports nothing of the staff side: it talks to intake through
intake/service.py only (docs/architecture.md).

No cookies, so no CSRF token: these forms carry no ambient authority (no session, no login) that
a forged request could borrow, and the CSRF check is switched off here on purpose.

Every POST answers with a 303 redirect to a GET page (see handoff.py for why): what was typed
never stays in the browser's history as a form to resubmit."""

from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from safepassage.intake import service

from . import handoff, throttle
from .forms import MessageForm, ReceiptForm, RequestForm

CSS = Path(__file__).resolve().parent / "static" / "public.css"


def stylesheet(request):
    return HttpResponse(CSS.read_bytes(), content_type="text/css; charset=utf-8")


def home(request):
    return render(request, "public/home.html")


def _too_large(request) -> bool:
    """Over the body limit, or more than Django agrees to parse (text fields over
    DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields or files): refused whole, with the same redirect
    as the limit, not with Django's 400 page, which would leave the POST in the tab's history."""
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.INTAKE_MAX_BODY_BYTES:
            return True
    except ValueError:
        return True
    try:
        request.POST, request.FILES  # noqa: B018 - parsed now, so that a refusal is still a redirect
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        return True
    return False


def _see(name, *args, **query):
    """A 303 redirect to a GET page (query values are tokens and codes, never typed text)."""
    url = reverse(name, args=args)
    if query:
        url += "?" + urlencode(query)
    response = redirect(url)
    response.status_code = 303
    return response


PROBLEMS = {
    "too_large": (413, lambda: _("Too much at once"),
                  lambda: _("What you sent is too large. Please send fewer or smaller files, or a shorter text.")),
    "busy": (503, lambda: _("Please try again later"),
             lambda: _("We are receiving too many requests right now. Please try again in an hour.")),
    "attempts": (503, lambda: _("Please try again later"),
                 lambda: _("Too many attempts. Please try again in an hour.")),
    "closed": (503, lambda: _("Please try again later"), lambda: _("This service is not open yet.")),
    "expired": (410, lambda: _("This page has expired"),
                lambda: _("For your safety, pages with your receipt or your conversation only stay open for a "
                          "short time. Open your conversation again with your receipt.")),
}


def _problem_page(request, code):
    status, title, text = PROBLEMS[code]
    return render(request, "public/message.html", {"title": title(), "text": text()}, status=status)


def _draft(form, extra_errors=()) -> str:
    """Keep a refused form (text only; files must be chosen again) for the page after the redirect.
    The text's errors are found again from the text; the files' own errors (an empty file) are not,
    so they are kept."""
    errors = list(extra_errors)
    file_errors = [str(message) for message in form.errors.get("files", ())]
    return handoff.put("draft", {"data": {k: v for k, v in form.data.items() if k != "website"},
                                 "errors": errors, "file_errors": file_errors}, handoff.DRAFT_SECONDS)


def _restore(form_class, token, **kwargs):
    draft = handoff.take("draft", token) if token else None
    if draft is None:
        return None
    form = form_class(draft["data"], **kwargs)
    form.is_valid()
    for message in draft["errors"]:
        form.add_error(None, message)
    for message in draft["file_errors"]:
        form.add_error("files", message)
    return form


@csrf_exempt
def request_help(request):
    if not service.is_open():
        if request.method == "POST":
            return _see("public:request", problem="closed")
        return _problem_page(request, "closed")
    if request.method != "POST":
        problem = request.GET.get("problem")
        if problem in PROBLEMS:
            return _problem_page(request, problem)
        form = _restore(RequestForm, request.GET.get("draft")) or RequestForm(initial={"language": get_language()})
        return render(request, "public/request.html", {"form": form})
    if _too_large(request):
        return _see("public:request", problem="too_large")
    form = RequestForm(request.POST, request.FILES)
    if not form.is_valid():
        return _see("public:request", draft=_draft(form))
    # The limit comes first, for robots too: a trap that still answered during a flood would
    # tell them it is a trap.
    if throttle.exceeded("submit", settings.INTAKE_SUBMISSIONS_PER_HOUR):
        return _see("public:request", problem="busy")
    data = form.cleaned_data
    if data["website"]:
        # A robot filled the trap: it gets a receipt that opens nothing, and nothing is saved.
        receipt = service.decoy_receipt(data["language"])
    else:
        try:
            receipt = service.submit(service.Request(
                story=data["story"], urgency=data["urgency"], region=data["region"], contact=data["contact"],
                referrer=data["referrer"], language=data["language"], files=data["files"]))
        except ValidationError as exc:
            return _see("public:request", draft=_draft(form, exc.messages))
        throttle.count("submit")
    token = handoff.put("receipt", {"receipt": receipt, "language": data["language"]}, handoff.RECEIPT_SECONDS)
    return _see("public:request_sent", token)


def request_sent(request, token):
    """The receipt, shown once: reloading this page, or coming back to it, shows nothing."""
    shown = handoff.take("receipt", token)
    if shown is None:
        return _problem_page(request, "expired")
    return render(request, "public/receipt.html", {"receipt": shown["receipt"],
                                                   "words": shown["receipt"].split(),
                                                   "receipt_language": shown["language"]})


@csrf_exempt
def follow_up(request):
    """Type the receipt. It is checked, then forgotten: the conversation opens under a token."""
    if request.method != "POST":
        problem = request.GET.get("problem")
        if problem in PROBLEMS:
            return _problem_page(request, problem)
        form = ReceiptForm()
        if request.GET.get("failed"):
            form = ReceiptForm({"receipt": ""})
            form.is_valid()
            form.errors.clear()
            form.add_error("receipt", _("We could not open a conversation with these words. Check each word "
                                        "and try again."))
        return render(request, "public/follow_up.html", {"form": form})
    if _too_large(request):
        return _see("public:follow_up", problem="too_large")
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return _see("public:follow_up", failed=1)
    if throttle.exceeded("receipt", settings.INTAKE_RECEIPT_FAILURES_PER_HOUR):
        return _see("public:follow_up", problem="attempts")
    conversation = service.open_by_receipt(form.cleaned_data["receipt"])
    if conversation is None:
        throttle.count("receipt")
        return _see("public:follow_up", failed=1)
    token = handoff.put("conversation", conversation, handoff.CONVERSATION_SECONDS)
    return _see("public:conversation", token)


@csrf_exempt
def conversation(request, token):
    """Each token opens the conversation once. The page (its forms and language links) carries a
    new one, so an address left in the browser's history (Back after Quick exit, a reopened
    tab) is already dead: the conversation needs the receipt again."""
    conversation = handoff.take("conversation", token)
    if conversation is None:
        return _see("public:follow_up", problem="expired")
    fresh = handoff.put("conversation", conversation, handoff.CONVERSATION_SECONDS)
    if request.method == "POST":
        if _too_large(request):
            return _see("public:conversation", fresh, problem="too_large")
        form = MessageForm(request.POST, request.FILES)
        if not form.is_valid():
            return _see("public:conversation", fresh, draft=_draft(form))
        try:
            service.send(conversation, form.cleaned_data["body"], form.cleaned_data["files"])
        except ValidationError as exc:
            return _see("public:conversation", fresh, draft=_draft(form, exc.messages))
        return _see("public:conversation", fresh, sent=1)
    view = service.read(conversation)
    if view is None:  # the thread is gone (erased with its case)
        return _see("public:follow_up", problem="expired")
    problem = request.GET.get("problem")
    form = _restore(MessageForm, request.GET.get("draft")) or MessageForm()
    if problem == "too_large":
        if not form.is_bound:  # an error can only be added to a bound, cleaned form
            form = MessageForm({})
            form.is_valid()
        form.add_error(None, PROBLEMS["too_large"][2]())
    return render(request, "public/thread.html", {"view": view, "form": form,
                                                  "sent": bool(request.GET.get("sent")), "token": fresh})


@csrf_exempt
@require_POST
def close(request, token):
    """"I am done": the server forgets the open conversation at once."""
    handoff.drop("conversation", token)
    return _see("public:home")
