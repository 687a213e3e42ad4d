"""Primitives. Each function does one libsodium operation with a fixed, documented construction.

Formats (all prefixed by a version byte so a later change can be recognised):
  aead:   0x01 | nonce(24) | XChaCha20-Poly1305(ciphertext+tag)
  wrap:   0x01 | nonce(24) | XSalsa20-Poly1305 secretbox
  sealed: 0x01 | X25519 sealed box (anonymous sender)
"""

import nacl.bindings as sodium
import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.public
import nacl.pwhash
import nacl.secret
import nacl.utils

from .errors import Tampered, VaultError

VERSION = b"\x01"
KEY_BYTES = 32
SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES
_NONCE = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
_TAG = sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES


def random_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def random_bytes(n: int) -> bytes:
    return nacl.utils.random(n)


def _strip_version(blob: bytes) -> bytes:
    blob = bytes(blob)
    if not blob.startswith(VERSION):
        raise Tampered("unknown ciphertext version")
    return blob[1:]


def aead_seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = nacl.utils.random(_NONCE)
    ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, nonce, key)
    return VERSION + nonce + ct


def aead_open(key: bytes, blob: bytes, aad: bytes) -> bytes:
    body = _strip_version(blob)
    nonce, ct = body[:_NONCE], body[_NONCE:]
    if len(ct) < _TAG:  # else libsodium's binding fails with a bare ValueError (negative length)
        raise Tampered("ciphertext truncated")
    try:
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(ct, aad, nonce, key)
    except nacl.exceptions.CryptoError as exc:
        raise Tampered("authentication failed") from exc


def wrap(key: bytes, secret: bytes) -> bytes:
    """Encrypt a secret under a symmetric key (session wrap keys, password-derived keys)."""
    return VERSION + nacl.secret.SecretBox(key).encrypt(secret)


def unwrap(key: bytes, blob: bytes) -> bytes:
    try:
        return nacl.secret.SecretBox(key).decrypt(_strip_version(blob))
    except nacl.exceptions.CryptoError as exc:
        raise Tampered("unwrap failed") from exc


def new_keypair() -> tuple[bytes, bytes]:
    """(public, secret) X25519 keys."""
    sk = nacl.public.PrivateKey.generate()
    return bytes(sk.public_key), bytes(sk)


def public_from_secret(secret: bytes) -> bytes:
    return bytes(nacl.public.PrivateKey(secret).public_key)


def seal_to(public: bytes, data: bytes) -> bytes:
    return VERSION + nacl.public.SealedBox(nacl.public.PublicKey(public)).encrypt(data)


def open_sealed(secret: bytes, blob: bytes) -> bytes:
    try:
        return nacl.public.SealedBox(nacl.public.PrivateKey(secret)).decrypt(_strip_version(blob))
    except nacl.exceptions.CryptoError as exc:
        raise Tampered("sealed box did not open") from exc


def subkey(key: bytes, context: bytes) -> bytes:
    """A 32-byte key for one use, derived from `key` with keyed BLAKE2b under a context name
    (at most 16 bytes), so one random key can serve two primitives without being reused."""
    if not 1 <= len(context) <= 16:
        raise ValueError("a context of 1 to 16 bytes")
    return nacl.hash.blake2b(b"", digest_size=KEY_BYTES, key=key, person=context.ljust(16, b"\0"),
                             encoder=nacl.encoding.RawEncoder)


def derive_key(password: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    """Argon2id(password, salt) -> 32-byte key. Slow on purpose."""
    try:
        return nacl.pwhash.argon2id.kdf(KEY_BYTES, password.encode("utf-8"), salt,
                                        opslimit=opslimit, memlimit=memlimit)
    except nacl.exceptions.RuntimeError as exc:  # out of memory, limits out of range
        raise VaultError("key derivation failed") from exc


def equal(a: bytes, b: bytes) -> bool:
    return sodium.sodium_memcmp(a, b) if len(a) == len(b) else False
