"""Receipts: an applicant's memorable phrase finds their thread and opens its key.

Two Argon2id derivations, never a scan of all threads:
  lookup id = Argon2id(phrase, salt = pepper)        indexed, so one query finds the thread
  wrap key  = Argon2id(phrase, salt = thread salt)   unwraps the copy of the thread key
The phrase itself is never stored."""

import hashlib
import unicodedata

from django.conf import settings

from . import crypto
from .errors import Tampered, WrongPassword


def normalise(phrase: str) -> str:
    """Forgiving of how a frightened person types on a phone: case, accents, ё/е, extra spaces,
    hyphens between words."""
    text = unicodedata.normalize("NFKD", phrase.replace("-", " "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(text.replace("ё", "е").split())


def _derive(phrase: str, salt: bytes) -> bytes:
    params = settings.RECEIPT_ARGON2
    return crypto.derive_key(normalise(phrase), salt, params["opslimit"], params["memlimit"])


def _pepper_salt() -> bytes:
    return hashlib.blake2b(settings.RECEIPT_PEPPER.encode(), digest_size=crypto.SALT_BYTES,
                           person=b"sp-receipt-look").digest()


def lookup_id(phrase: str) -> str:
    return _derive(phrase, _pepper_salt()).hex()


def wrap_for_receipt(key: bytes, phrase: str) -> tuple[bytes, bytes]:
    """(salt, wrapped key) to store with the thread."""
    salt = crypto.random_bytes(crypto.SALT_BYTES)
    return salt, crypto.wrap(_derive(phrase, salt), key)


def unwrap_with_receipt(phrase: str, salt: bytes, wrapped: bytes) -> bytes:
    try:
        return crypto.unwrap(_derive(phrase, bytes(salt)), bytes(wrapped))
    except Tampered as exc:
        raise WrongPassword() from exc


def burn(phrase: str) -> None:
    """Spend the second derivation's time when the lookup found nothing, so an unknown receipt
    answers as slowly as a known one with a wrong key."""
    _derive(phrase, crypto.random_bytes(crypto.SALT_BYTES))
