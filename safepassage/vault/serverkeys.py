"""Keys the server holds outside the database, in the keystore folder (0600 files in a 0700
folder): what a copy of the database alone must not open or forge. Each is 32 random bytes,
made on first use; `safepassage backup` carries them with the keystore.

  seeds.key   seals staff authenticator seeds (vault/seeds.py)
  audit.key   keys the audit chain's hashes (audit/chain.py)"""

import os
from pathlib import Path

import nacl.utils
from django.conf import settings

from .errors import VaultError

NAMES = ("seeds", "audit")


class ServerKeyMissing(VaultError):
    """A server key is gone while what it protects exists: restore the keystore folder."""


def path(name: str) -> Path:
    if name not in NAMES:
        raise ValueError("unknown server key")
    return Path(settings.KEYSTORE_DIR) / f"{name}.key"


def get(name: str, *, create: bool) -> bytes:
    """The key; made now if `create` and missing (the caller knows nothing depends on it yet)."""
    target = path(name)
    try:
        return target.read_bytes()
    except FileNotFoundError:
        if not create:
            raise ServerKeyMissing(f"the {name} key is missing: restore the keystore folder") from None
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made meanwhile by another process
        return target.read_bytes()
    try:
        os.write(fd, nacl.utils.random(32))
        os.fsync(fd)
    finally:
        os.close(fd)
    return target.read_bytes()
