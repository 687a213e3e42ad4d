"""Everything that changes an intake thread, from the anonymous side and the staff side."""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.accounts import roles
from safepassage.accounts.models import User
from safepassage.audit.chain import record
from safepassage.cases import access, pipeline
from safepassage.cases import actions as case_actions
from safepassage.lib import storage
from safepassage.vault import datakeys, fields, files, receipts
from safepassage.vault.errors import WrongPassword
from safepassage.vault.models import Grant

from . import phrases, uploads
from .models import Attachment, Message, Thread


@dataclass
class Request:
    story: str
    urgency: int
    region: str
    contact: str
    referrer: str
    language: str
    files: list = field(default_factory=list)


def intake_team(org):
    """Who receives new requests: active coordinators and hotline operators."""
    return User.objects.filter(organisation=org, is_active=True, keyring__isnull=False,
                               roles__role__in=[roles.COORDINATOR, roles.HOTLINE]).distinct()


def _check_storage(new_uploads) -> None:
    incoming = sum(len(u.original) + len(u.working) for u in new_uploads)
    if not incoming:
        return
    stored = Attachment.objects.aggregate(total=Sum("size"))["total"] or 0
    if 2 * stored + incoming > settings.INTAKE_STORAGE_CAP_BYTES:
        raise ValidationError(_("We cannot accept files right now. Please send your message without files; "
                                "we will ask for them later."))


def _attach(thread, message, key, upload, written) -> Attachment:
    att = Attachment(thread=thread, message=message, kind=upload.kind, size=len(upload.original))
    fields.seal_text(key, att, "name", upload.name)
    fields.seal_text(key, att, "sha256", hashlib.sha256(upload.original).hexdigest())
    written.append(storage.write("intake", att.id, "orig", files.seal(key, f"{att.id}:orig", upload.original)))
    written.append(storage.write("intake", att.id, "work", files.seal(key, f"{att.id}:work", upload.working)))
    att.save()
    return att


def submit(org, req: Request) -> tuple[Thread, str]:
    """Encrypt a request at submission: the thread key is sealed to the intake team and the
    recovery key, wrapped under the receipt, and then forgotten. Returns the receipt phrase,
    which is shown once and never stored."""
    story = req.story.strip()
    if not story:
        raise ValidationError(_("Please tell us what is happening."))
    new_uploads = uploads.inspect(req.files)
    _check_storage(new_uploads)
    phrase = phrases.new_phrase(req.language)
    lookup = receipts.lookup_id(phrase)
    key = datakeys.new_key()
    salt, wrapped = receipts.wrap_for_receipt(key, phrase)
    written = []
    try:
        with transaction.atomic():
            data_key, _key = datakeys.create(org, "intake", intake_team(org), bytes(org.recovery_public_key),
                                             key=key)
            thread = Thread(organisation=org, data_key=data_key, receipt_lookup=lookup, receipt_salt=salt,
                            receipt_wrapped_key=wrapped, urgency=req.urgency, region=req.region,
                            language=req.language)
            fields.seal_text(key, thread, "story", story)
            fields.seal_text(key, thread, "contact", req.contact.strip())
            fields.seal_text(key, thread, "referrer", req.referrer.strip())
            thread.save()
            for upload in new_uploads:
                _attach(thread, None, key, upload, written)
            record("intake.submitted", organisation=org, obj=thread,
                   details={"urgency": req.urgency, "files": len(new_uploads)})
    except BaseException:
        storage.delete(written)
        raise
    return thread, phrase


def find_by_receipt(phrase: str) -> tuple[Thread, bytes] | None:
    """The thread and its key, or None. Unknown and wrong receipts take the same time and get
    the same answer."""
    thread = Thread.objects.filter(receipt_lookup=receipts.lookup_id(phrase)).first()
    if thread is None:
        receipts.burn(phrase)
        return None
    try:
        return thread, receipts.unwrap_with_receipt(phrase, thread.receipt_salt, thread.receipt_wrapped_key)
    except WrongPassword:
        return None


@dataclass
class ShownMessage:
    message: Message
    body: str
    attachments: list


@dataclass
class OpenThread:
    thread: Thread
    story: str
    contact: str
    referrer: str
    messages: list
    attachments: list  # sent with the first request: (Attachment, name)


def _open(thread: Thread, key: bytes) -> OpenThread:
    names = {a.id: (a, fields.open_text(key, a, "name")) for a in thread.attachments.all()}
    by_message = {}
    for att, name in names.values():
        by_message.setdefault(att.message_id, []).append((att, name))
    messages = [ShownMessage(m, fields.open_text(key, m, "body"), by_message.get(m.id, []))
                for m in thread.messages.select_related("author")]
    return OpenThread(thread, fields.open_text(key, thread, "story"), fields.open_text(key, thread, "contact"),
                      fields.open_text(key, thread, "referrer"), messages, by_message.get(None, []))


def applicant_view(thread: Thread, key: bytes) -> OpenThread:
    return _open(thread, key)


def _message(thread, key, body, from_applicant, author=None, files_=()) -> Message:
    body = body.strip()
    new_uploads = uploads.inspect(files_)
    if not body and not new_uploads:
        raise ValidationError(_("Write a message or add a file."))
    _check_storage(new_uploads)
    written = []
    try:
        with transaction.atomic():
            msg = Message(thread=thread, from_applicant=from_applicant, author=author)
            fields.seal_text(key, msg, "body", body)
            msg.save()
            for upload in new_uploads:
                _attach(thread, msg, key, upload, written)
            now = timezone.now()
            if from_applicant:
                thread.last_applicant_at = now
                thread.save(update_fields=["last_applicant_at"])
            else:
                thread.last_staff_at = now
                thread.save(update_fields=["last_staff_at"])
            record("intake.message", actor=author, organisation=thread.organisation, obj=thread,
                   details={"from": "applicant" if from_applicant else "staff", "files": len(new_uploads)})
    except BaseException:
        storage.delete(written)
        raise
    return msg


def applicant_send(thread: Thread, key: bytes, body: str, files_=()) -> Message:
    if thread.status == "declined":
        raise ValidationError(_("This conversation is closed."))
    return _message(thread, key, body, True, files_=files_)


# Staff side

def _key(user, secret, thread) -> bytes:
    return datakeys.open_for(thread.data_key, user, secret)


def open_thread(user, secret: bytes, thread: Thread) -> OpenThread:
    if not access.can_open_thread(user, thread):
        raise PermissionDenied
    opened = _open(thread, _key(user, secret, thread))
    with transaction.atomic():
        if thread.status == "new":
            thread.status = "open"
            thread.save(update_fields=["status"])
        record("intake.read", actor=user, obj=thread)
    return opened


def reply(user, secret: bytes, thread: Thread, body: str) -> Message:
    if not access.can_open_thread(user, thread):
        raise PermissionDenied
    if thread.case is not None and pipeline.disclosure_frozen(thread.case):
        # A planted applicant must learn nothing more while infiltration is suspected.
        raise ValidationError(_("Infiltration is suspected on this case: no reply can be sent until two "
                                "coordinators clear it."))
    return _message(thread, _key(user, secret, thread), body, False, author=user)


def read_attachment(user, secret: bytes, thread: Thread, att: Attachment, original: bool) -> tuple[bytes, str]:
    if not access.can_open_thread(user, thread) or (original and not access.can_read_original(user, thread)):
        raise PermissionDenied
    key = _key(user, secret, thread)
    variant = "orig" if original else "work"
    data = files.open(key, f"{att.id}:{variant}", storage.read("intake", att.id, variant))
    record("intake.file_read", actor=user, obj=thread, details={"file": str(att.id), "variant": variant})
    return data, fields.open_text(key, att, "name")


@transaction.atomic
def decline(user, thread: Thread) -> None:
    if not access.can_decide_thread(user, thread):
        raise PermissionDenied
    thread.status = "declined"
    thread.save(update_fields=["status"])
    record("intake.declined", actor=user, obj=thread)


@transaction.atomic
def convert(user, secret: bytes, thread: Thread, pseudonym: str):
    """The request becomes a case. The thread goes with it: from now on only the case's members
    hold its key (the others' grants are deleted)."""
    if not access.can_decide_thread(user, thread):
        raise PermissionDenied
    _key(user, secret, thread)  # the converter must hold the thread key to pass it on
    case = case_actions.create_case(user, pseudonym, "", thread.urgency)
    thread.case, thread.status = case, "converted"
    thread.save(update_fields=["case", "status"])
    Grant.objects.filter(data_key=thread.data_key, user__isnull=False).exclude(user=user).delete()
    record("intake.converted", actor=user, obj=thread, details={"case": str(case.pk)})
    return case


def lacking_team(user):
    """Intake team members who hold no grant on some waiting request this user can open (they
    joined after it arrived)."""
    waiting = access.intake_queue(user)
    team = intake_team(user.organisation)
    return [m for m in team if waiting.exclude(data_key__grants__user=m).exists()]


@transaction.atomic
def share_waiting(user, secret: bytes) -> int:
    """A coordinator gives every waiting request they hold to the intake team members who lack
    it. Returns how many grants were made."""
    if not access.can_share_intake(user):
        raise PermissionDenied
    made = 0
    for thread in access.intake_queue(user).select_related("data_key"):
        holders = set(thread.data_key.grants.values_list("user_id", flat=True))
        missing = [m for m in intake_team(user.organisation) if m.pk not in holders]
        if missing:
            key = _key(user, secret, thread)
            for member in missing:
                datakeys.grant(thread.data_key, key, member, granted_by=user)
                made += 1
    record("intake.shared", actor=user, details={"grants": made})
    return made
