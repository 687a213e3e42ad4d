"""Certified public keys: nothing is sealed to a public key whose certificate does not verify.

A certificate is an Ed25519 signature, by this installation's certification key, over what the
key is for: a staff member's key (kind "staff", owner: the member's UUID), an organisation's
recovery key ("recovery", the organisation's UUID) or the evidence base's drop box ("dropbox",
the organisation's UUID). The certification key lives in the keystore folder, outside the
database (certify.key, 0600; its public half in certify.pub for processes that only verify, such
as the public site), and signs only inside the flows that make keys: setting up an organisation,
an admin adding a member, two coordinators completing a recovery, a researcher making the
evidence base key. Someone who can only write to the database cannot make a certificate: a key
swapped there is refused before anything is sealed to it, reported to the hooks registered here
(accounts records an audit event and shows it to admins), and shown as such on the staff list.

Limits (docs/security.md): whoever also holds the server's files can certify, as can a server
compromised while running; keys that existed before this version were certified when upgrading."""

import base64
import os
from pathlib import Path

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.signing
from django.conf import settings

from .errors import VaultError

KINDS = ("staff", "recovery", "dropbox")
_refusal_hooks = []


class UncertifiedKey(VaultError):
    """A public key whose certificate does not verify: nothing is sealed to it."""

    def __init__(self, kind: str, owner: str):
        super().__init__(f"the {kind} key of {owner} is not certified")
        self.kind, self.owner = kind, owner


class CertificationKeyMissing(VaultError):
    """The certification key is gone while certificates exist: restore the keystore folder."""


def _secret_path() -> Path:
    return Path(settings.KEYSTORE_DIR) / "certify.key"


def _public_path() -> Path:
    return Path(settings.KEYSTORE_DIR) / "certify.pub"


def ensure(certificates_exist: bool) -> None:
    """Make the certification key on a new installation; refused when certificates already exist
    (their key was lost: it must be restored, a new one would certify nothing that exists)."""
    if _public_path().exists():
        return
    if certificates_exist:
        raise CertificationKeyMissing("the certification key is missing: restore the keystore folder")
    folder = _secret_path().parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = nacl.signing.SigningKey.generate()
    for path, data, mode in ((_secret_path(), bytes(key), 0o600), (_public_path(), bytes(key.verify_key), 0o644)):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)


def _message(kind: str, owner, public: bytes) -> bytes:
    if kind not in KINDS:
        raise ValueError("unknown kind of key")
    return b"safepassage:certificate:v1:" + kind.encode() + b":" + str(owner).encode() + b":" + bytes(public)


def sign(kind: str, owner, public: bytes) -> bytes:
    if not _public_path().exists():
        from .models import Keyring

        ensure(Keyring.objects.exclude(certificate=b"").exists())
    try:
        key = nacl.signing.SigningKey(_secret_path().read_bytes())
    except FileNotFoundError as exc:
        raise CertificationKeyMissing("this process holds no certification key") from exc
    return key.sign(_message(kind, owner, public)).signature


def valid(kind: str, owner, public: bytes, certificate: bytes) -> bool:
    try:
        verify_key = nacl.signing.VerifyKey(_public_path().read_bytes())
    except FileNotFoundError as exc:
        raise CertificationKeyMissing("the certification key is missing") from exc
    try:
        verify_key.verify(_message(kind, owner, public), bytes(certificate))
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        return False
    return True


def on_refusal(hook) -> None:
    """hook(kind, owner): told every time a key is refused (registered in AppConfig.ready)."""
    if hook not in _refusal_hooks:
        _refusal_hooks.append(hook)


def usable(kind: str, owner, public: bytes, certificate: bytes) -> bool:
    """Whether the certificate verifies; the hooks are told when it does not."""
    if valid(kind, owner, public, certificate):
        return True
    for hook in _refusal_hooks:
        hook(kind, str(owner))
    return False


def checked(kind: str, owner, public: bytes, certificate: bytes) -> bytes:
    """The public key, if its certificate verifies; else UncertifiedKey, after telling the hooks."""
    if not usable(kind, owner, public, certificate):
        raise UncertifiedKey(kind, str(owner))
    return bytes(public)


def staff_key(user) -> bytes:
    ring = user.keyring
    return checked("staff", user.uuid, bytes(ring.public_key), bytes(ring.certificate))


def recovery_key(organisation) -> bytes:
    return checked("recovery", organisation.pk, bytes(organisation.recovery_public_key),
                   bytes(organisation.recovery_certificate))


def fingerprint(public: bytes) -> str:
    """What two people read to each other to compare a key: 128 bits, in groups of four."""
    digest = nacl.hash.blake2b(bytes(public), digest_size=16, person=b"sp-fingerprint",
                               encoder=nacl.encoding.RawEncoder)
    text = base64.b32encode(digest).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))
