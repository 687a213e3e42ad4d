"""The erasure ledger: which data keys were shredded, kept outside the database and outside every
backup, so that restoring an old backup erases again whatever was erased after it was taken.

One JSON line per shred (SAFEPASSAGE_ERASURE_LEDGER, default var/erasures.ledger, 0600), written
and fsynced inside the erasing transaction, before it commits: a crash can leave an erasure in the
ledger that the database rolled back, never the other way round (at restore, what was approved for
erasure is erased). Each line carries the SHA-256 of the line before, so a ledger with a line
removed or changed no longer matches the head a backup recorded. It names data key UUIDs and their
purposes, nothing else."""

import fcntl
import hashlib
import json
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .errors import VaultError

GENESIS = "0" * 64


class LedgerBroken(VaultError):
    """A line does not follow the one before."""


def path() -> Path:
    return Path(settings.ERASURE_LEDGER)


def _digest(previous: str, body: dict) -> str:
    return hashlib.sha256((previous + json.dumps(body, sort_keys=True)).encode()).hexdigest()


def entries() -> list[dict]:
    """Every entry, checked link by link."""
    if not path().exists():
        return []
    out, previous = [], GENESIS
    for number, line in enumerate(path().read_text().splitlines(), start=1):
        entry = json.loads(line)
        body = {k: v for k, v in entry.items() if k != "hash"}
        if body.get("seq") != number or body.get("previous") != previous or _digest(previous, body) != entry["hash"]:
            raise LedgerBroken(f"the erasure ledger is broken at line {number}")
        out.append(entry)
        previous = entry["hash"]
    return out


def head() -> tuple[int, str]:
    """(number of entries, hash of the last): what a backup records."""
    found = entries()
    return (len(found), found[-1]["hash"]) if found else (0, GENESIS)


def append(data_keys) -> None:
    """Record shredded data keys (called by datakeys.shred, inside its transaction)."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        count, previous = head()
        body = {"seq": count + 1, "previous": previous, "at": timezone.now().isoformat(),
                "data_keys": [{"id": str(dk.pk), "purpose": dk.purpose} for dk in data_keys]}
        line = json.dumps({**body, "hash": _digest(previous, body)}, sort_keys=True) + "\n"
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def since(count: int, expected_hash: str) -> list[dict]:
    """The entries after the first `count`, once the first `count` are checked to end at
    `expected_hash` (the head a backup recorded)."""
    found = entries()
    if count > len(found) or (found[count - 1]["hash"] if count else GENESIS) != expected_hash:
        raise LedgerBroken("this erasure ledger is not the one kept when the backup was made")
    return found[count:]
