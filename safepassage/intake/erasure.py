"""Crypto-shredding of a thread: every sealed copy of its key (grants, recovery grant and the
receipt-wrapped copy), its ciphertexts and its files."""

from safepassage.vault import datakeys

from . import store
from .models import Attachment


def erase_thread(thread) -> None:
    datakeys.shred(thread.data_key)
    paths = [store.path(a, v) for a in Attachment.objects.filter(thread=thread).values_list("id", flat=True)
             for v in store.VARIANTS]
    thread.attachments.all().delete()
    thread.messages.all().delete()
    thread.receipt_wrapped_key = b""
    for name in thread.SEALED_FIELDS:
        setattr(thread, name + "_sealed", b"")
    thread.status = "declined"
    thread.save()
    store.delete(paths)
