"""What an intake thread is made of, for both sides: submitting a request sealed to the intake
team, finding it again by receipt, reading it, and adding a message with files. The public
site reaches this only through service.py; the staff side through actions.py.

Everything the anonymous side runs here reads and writes only what the public site's database
role may (public_role.py): no staff row beyond who receives requests and their public keys."""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.lib import storage
from safepassage.vault import certify, datakeys, fields, files, receipts
from safepassage.vault.errors import NoAccess, WrongPassword
from safepassage.vault.models import Keyring

from . import phrases, uploads
from .models import Attachment, Message, Thread
from .team import intake_team


@dataclass
class Request:
    story: str
    urgency: int
    region: str
    contact: str
    referrer: str
    language: str
    files: list = field(default_factory=list)


def _check_storage(new_uploads) -> None:
    incoming = sum(len(u.original) + len(u.working) for u in new_uploads)
    if not incoming:
        return
    stored = Attachment.objects.aggregate(total=Sum("size"))["total"] or 0
    if 2 * stored + incoming > settings.INTAKE_STORAGE_CAP_BYTES:
        raise ValidationError(_("We cannot accept files right now. Please send your message without files; "
                                "we will ask for them later."))


def _attach(thread, message, key, upload, written) -> Attachment:
    att = Attachment(thread=thread, message=message, kind=upload.kind, size=files.padme(len(upload.original)))
    fields.seal_text(key, att, "name", upload.name)
    fields.seal_text(key, att, "sha256", hashlib.sha256(upload.original).hexdigest())
    written.append(storage.write("intake", att.id, "orig", files.seal(key, f"{att.id}:orig", upload.original)))
    written.append(storage.write("intake", att.id, "work", files.seal(key, f"{att.id}:work", upload.working)))
    att.save()
    return att


def _team_public_keys(org) -> dict:
    """{user id: public key} of the intake team, read without touching any other staff column.
    A member whose key does not verify is left out (and reported): a request must still arrive."""
    rows = (Keyring.objects.filter(user__in=intake_team(org).values("pk"))
            .values_list("user_id", "user__uuid", "public_key", "certificate"))
    return {user_id: bytes(public) for user_id, uuid, public, certificate in rows
            if certify.usable("staff", uuid, bytes(public), bytes(certificate))}


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
            data_key, _key = datakeys.create_for(org, "intake", _team_public_keys(org), key=key)
            thread = Thread(organisation_id=org.pk, data_key=data_key, receipt_lookup=lookup, receipt_salt=salt,
                            receipt_wrapped_key=datakeys.wrap_extra(data_key, "receipt", wrapped),
                            urgency=req.urgency, region=req.region, language=req.language)
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
    thread = Thread.objects.filter(receipt_lookup=receipts.lookup_id(phrase)).select_related("data_key").first()
    if thread is None or not thread.receipt_wrapped_key:
        receipts.burn(phrase)
        return None
    try:
        wrapped = datakeys.unwrap_extra(thread.data_key, "receipt", thread.receipt_wrapped_key)
    except NoAccess:  # an erased request: answer as slowly as for any other
        receipts.burn(phrase)
        return None
    try:
        return thread, receipts.unwrap_with_receipt(phrase, thread.receipt_salt, wrapped)
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


def open_contents(thread: Thread, key: bytes, *, with_authors: bool) -> OpenThread:
    """Everything in the thread, decrypted. Authors (staff) only for the staff side: the
    applicant never learns a staff name, and the public role may not read them."""
    names = {a.id: (a, fields.open_text(key, a, "name")) for a in thread.attachments.all()}
    by_message = {}
    for att, name in names.values():
        by_message.setdefault(att.message_id, []).append((att, name))
    rows = thread.messages.select_related("author") if with_authors else thread.messages.all()
    messages = [ShownMessage(m, fields.open_text(key, m, "body"), by_message.get(m.id, [])) for m in rows]
    return OpenThread(thread, fields.open_text(key, thread, "story"), fields.open_text(key, thread, "contact"),
                      fields.open_text(key, thread, "referrer"), messages, by_message.get(None, []))


def add_message(thread, key, body, from_applicant, author=None, files_=()) -> Message:
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
            record("intake.message", actor=author, organisation=thread.organisation_id, obj=thread,
                   details={"from": "applicant" if from_applicant else "staff", "files": len(new_uploads)})
    except BaseException:
        storage.delete(written)
        raise
    return msg
