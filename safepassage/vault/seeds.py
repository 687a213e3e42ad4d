"""Small secrets that must be read back as they were (the seeds of staff authenticator apps),
sealed under a server key kept in the keystore folder (seeds.key, 0600), outside the database: a
copy of the database alone gives no one a way to make a member's sign-in codes.

The sealed form fits where the plain one was (django-otp's 80-character key column): "s1:" and
the URL-safe base64 of a 12-byte nonce and the ChaCha20-Poly1305 (IETF) ciphertext."""

import base64
import os
from pathlib import Path

import nacl.bindings as sodium
import nacl.exceptions
import nacl.utils
from django.conf import settings

from .errors import Tampered, VaultError

PREFIX = "s1:"
_NONCE = sodium.crypto_aead_chacha20poly1305_ietf_NPUBBYTES
_AAD = b"safepassage:otp-seed:v1"


class SeedKeyMissing(VaultError):
    """The seed key is gone while sealed seeds exist: restore the keystore folder."""


def _path() -> Path:
    return Path(settings.KEYSTORE_DIR) / "seeds.key"


def _key(create: bool) -> bytes:
    try:
        return _path().read_bytes()
    except FileNotFoundError:
        if not create:
            raise SeedKeyMissing("the seed key is missing: restore the keystore folder") from None
    _path().parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(_path(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made meanwhile by another process
        return _path().read_bytes()
    try:
        os.write(fd, nacl.utils.random(32))
        os.fsync(fd)
    finally:
        os.close(fd)
    return _path().read_bytes()


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
