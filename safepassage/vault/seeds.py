"""Small secrets that must be read back as they were (the seeds of staff authenticator apps),
sealed under a server key kept in the keystore folder (seeds.key, 0600), outside the database: a
copy of the database alone gives no one a way to make a member's sign-in codes.

The sealed form fits where the plain one was (django-otp's 80-character key column): "s1:" and
the URL-safe base64 of a 12-byte nonce and the ChaCha20-Poly1305 (IETF) ciphertext."""

import base64

import nacl.bindings as sodium
import nacl.exceptions
import nacl.utils

from . import serverkeys
from .errors import Tampered

PREFIX = "s1:"
_NONCE = sodium.crypto_aead_chacha20poly1305_ietf_NPUBBYTES
_AAD = b"safepassage:otp-seed:v1"


def _key(create: bool) -> bytes:
    return serverkeys.get("seeds", create=create)


def is_sealed(text: str) -> bool:
    return text.startswith(PREFIX)


def seal(secret: bytes) -> str:
    nonce = nacl.utils.random(_NONCE)
    ct = sodium.crypto_aead_chacha20poly1305_ietf_encrypt(secret, _AAD, nonce, _key(create=True))
    return PREFIX + base64.urlsafe_b64encode(nonce + ct).decode()


def open_sealed(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text[len(PREFIX):].encode())
    try:
        return sodium.crypto_aead_chacha20poly1305_ietf_decrypt(raw[_NONCE:], _AAD, raw[:_NONCE], _key(create=False))
    except nacl.exceptions.CryptoError as exc:
        raise Tampered("a sealed seed did not open") from exc
