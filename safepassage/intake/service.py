"""The one interface between the anonymous public site (safepassage/public/) and intake.

The public site imports this module and nothing else of the staff side: it can submit a sealed
request, turn a receipt into an open conversation, read that conversation and add to it. What
it gets back are plain values (no model with a link to a staff row), and what this module runs
needs no more than the public site's database role grants (public_role.py)."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safepassage.accounts.models import Organisation
from safepassage.lib.urgency import URGENCY_CHOICES

from . import phrases, regions, threads
from .models import Thread

Request = threads.Request
URGENCY_LEVELS = [code for code, _label in URGENCY_CHOICES]
REGION_CHOICES = regions.CHOICES


def _organisation():
    """The organisation the public site serves: the one named in settings, or the only one.
    Only its id and recovery public key are read."""
    orgs = Organisation.objects.only("id", "recovery_public_key", "recovery_certificate")
    if settings.PUBLIC_ORGANISATION:
        return orgs.filter(pk=settings.PUBLIC_ORGANISATION).first()
    found = list(orgs.order_by("pk")[:2])
    return found[0] if len(found) == 1 else None


def is_open() -> bool:
    return _organisation() is not None


def submit(req: Request) -> str:
    """Seal and store a request; the receipt phrase that opens it, shown once and never kept.
    ValidationError (translated) if it cannot be taken; nothing is saved then."""
    org = _organisation()
    if org is None:
        raise ValidationError(_("This service is not open yet."))
    _thread, phrase = threads.submit(org, req)
    return phrase


def decoy_receipt(language: str) -> str:
    """A receipt like any other that opens nothing (for a robot that filled the trap)."""
    return phrases.new_phrase(language)


@dataclass(frozen=True)
class Conversation:
    """An open conversation: which thread and its key, kept by the public site in memory only
    for minutes. It is not a model: it holds nothing a template could follow to a staff row."""

    thread_id: str
    key: bytes


def open_by_receipt(phrase: str) -> Conversation | None:
    """Unknown and wrong receipts take the same time and both answer None."""
    found = threads.find_by_receipt(phrase)
    if found is None:
        return None
    thread, key = found
    return Conversation(str(thread.pk), key)


@dataclass(frozen=True)
class ShownMessage:
    from_applicant: bool
    created_at: datetime
    body: str
    files: int


@dataclass(frozen=True)
class ApplicantView:
    created_at: datetime
    closed: bool
    story: str
    files: int
    messages: list


def _thread(conversation: Conversation) -> Thread | None:
    """The thread, unless it is gone: an erased thread keeps its row, with its receipt copy blanked."""
    thread = Thread.objects.filter(pk=conversation.thread_id).first()
    return thread if thread is not None and thread.receipt_wrapped_key else None


def read(conversation: Conversation) -> ApplicantView | None:
    """What the applicant sees: their request and the messages both ways, never a staff name.
    None if the thread is gone."""
    thread = _thread(conversation)
    if thread is None:
        return None
    opened = threads.open_contents(thread, conversation.key, with_authors=False)
    return ApplicantView(
        created_at=thread.created_at, closed=thread.status == "declined", story=opened.story,
        files=len(opened.attachments),
        messages=[ShownMessage(m.message.from_applicant, m.message.created_at, m.body, len(m.attachments))
                  for m in opened.messages])


def send(conversation: Conversation, body: str, files=()) -> None:
    """A message from the applicant, with files. ValidationError (translated) if refused."""
    thread = _thread(conversation)
    if thread is None or thread.status == "declined":
        raise ValidationError(_("This conversation is closed."))
    threads.add_message(thread, conversation.key, body, True, files_=files)
