"""Everything staff do with an intake thread: read it, reply, open its files, decline it, turn it
into a case, share waiting requests. The anonymous side is service.py."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.cases import actions as case_actions
from safepassage.cases import pipeline
from safepassage.lib import storage
from safepassage.vault import datakeys, fields, files

from . import access, threads
from .models import Attachment, Thread
from .team import intake_team


def _key(user, secret, thread) -> bytes:
    return datakeys.open_for(thread.data_key, user, secret)


def open_thread(user, secret: bytes, thread: Thread) -> threads.OpenThread:
    if not access.can_open_thread(user, thread):
        raise PermissionDenied
    opened = threads.open_contents(thread, _key(user, secret, thread), with_authors=True)
    with transaction.atomic():
        if thread.status == "new":
            thread.status = "open"
            thread.save(update_fields=["status"])
        record("intake.read", actor=user, obj=thread)
    return opened


def reply(user, secret: bytes, thread: Thread, body: str):
    if not access.can_open_thread(user, thread):
        raise PermissionDenied
    if thread.case is not None and pipeline.disclosure_frozen(thread.case):
        # A planted applicant must learn nothing more while infiltration is suspected.
        raise ValidationError(_("Infiltration is suspected on this case: no reply can be sent until two "
                                "coordinators clear it."))
    return threads.add_message(thread, _key(user, secret, thread), body, False, author=user)


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
    others = [g.user for g in datakeys.holders(thread.data_key).exclude(user=user)]
    datakeys.revoke(thread.data_key, *others)
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
