"""Crypto-shredding of a thread: every sealed copy of its key (grants, recovery grant and the
receipt-wrapped copy), its ciphertexts and its files."""

import secrets

from safepassage.lib import storage
from safepassage.vault import datakeys

from .models import Attachment, Thread


def erase_thread(thread) -> None:
    datakeys.shred(thread.data_key)
    paths = [storage.path("intake", a, v) for a in Attachment.objects.filter(thread=thread).values_list("id", flat=True)
             for v in storage.VARIANTS]
    thread.attachments.all().delete()
    thread.messages.all().delete()
    thread.receipt_wrapped_key = b""
    # The receipt finds nothing any more: its lookup id goes too (a random one keeps the column unique).
    thread.receipt_lookup = "erased-" + secrets.token_hex(24)
    for name in thread.SEALED_FIELDS:
        setattr(thread, name + "_sealed", b"")
    thread.status = "declined"
    thread.save()
    storage.delete(paths)


def erase_thread_of_case(case) -> None:
    """An erased case takes the request it came from with it."""
    thread = Thread.objects.filter(case=case).first()
    if thread is not None:
        erase_thread(thread)
