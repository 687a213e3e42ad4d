"""Staff keypairs sealed under the password."""

from django.conf import settings

from . import certify, crypto
from .errors import Tampered, WrongPassword
from .models import Keyring


def _seal_secret(keyring: Keyring, secret: bytes, password: str) -> None:
    params = settings.VAULT_ARGON2
    keyring.salt = crypto.random_bytes(crypto.SALT_BYTES)
    keyring.opslimit, keyring.memlimit = params["opslimit"], params["memlimit"]
    kek = crypto.derive_key(password, keyring.salt, keyring.opslimit, keyring.memlimit)
    keyring.sealed_secret = crypto.wrap(kek, secret)


def create(user, password: str) -> Keyring:
    """A fresh keypair for the user (replacing any old one: its grants become useless)."""
    public, secret = crypto.new_keypair()
    keyring = Keyring.objects.filter(user=user).first() or Keyring(user=user)
    keyring.public_key = public
    keyring.certificate = certify.sign("staff", user.uuid, public)
    _seal_secret(keyring, secret, password)
    keyring.save()
    return keyring


def unlock(keyring: Keyring, password: str) -> bytes:
    kek = crypto.derive_key(password, bytes(keyring.salt), keyring.opslimit, keyring.memlimit)
    try:
        return crypto.unwrap(kek, keyring.sealed_secret)
    except Tampered as exc:
        raise WrongPassword() from exc


def rewrap(keyring: Keyring, secret: bytes, new_password: str) -> None:
    """Password change: same keypair, sealed under the new password (with a new salt)."""
    _seal_secret(keyring, secret, new_password)
    keyring.save()


def burn(password: str) -> None:
    """Spend the time of an unlock without a keyring, so an unknown username answers as slowly
    as a known one."""
    params = settings.VAULT_ARGON2
    crypto.derive_key(password, crypto.random_bytes(crypto.SALT_BYTES), params["opslimit"], params["memlimit"])
