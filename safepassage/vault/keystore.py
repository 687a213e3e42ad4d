"""The keystore: the only key material kept outside the database, and what erasure destroys.

Why: deleting a row does not remove its bytes. PostgreSQL keeps dead row versions, TOAST and WAL;
SQLite keeps freed pages and its WAL; a replica or a copy of the data directory keeps all of it.
So every data key (vault.DataKey: a case, a request, a shelter, the evidence base...) has a
key-encryption key (KEK) that wraps every sealed copy of it (its grants and a request's receipt
copy), and the database holds the KEK only wrapped under a *bucket key* that lives here, in a
small file. Erasing a data key blanks its KEK and rotates its bucket: the other KEKs of the bucket
are re-wrapped under a fresh bucket key, and the old bucket key is overwritten in place in this
file and fsynced. From then on no version of any row, in any copy of the database, holds anything
that opens the erased KEK, whatever passwords or recovery code go with it.

The file (KEYSTORE_DIR/keystore.bin, 0600 in a 0700 folder) is a header and, for each of BUCKETS
buckets, SLOTS slots of (generation, 32-byte key). A rotation of a bucket writes a key of the next
generation into a free slot (fsync) while its transaction re-wraps the bucket's KEKs; after the
commit, every slot of an older generation is overwritten (fsync). So the file never loses a key
a committed row needs: a crash before the commit leaves only an unused key behind (a rolled-back
generation, freed by the next rotation or by `safepassage keystore check`), a crash after it
leaves the old key until then. Writers take an exclusive lock on the file; the database side
(datakeys.py) holds the bucket's lock for the whole transaction.

Limits (docs/security.md): overwriting in place destroys the old key on ext4 and XFS; a
copy-on-write filesystem (btrfs, ZFS), a volume snapshot or a backup of this file keeps it."""

import fcntl
import os
import struct
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from . import crypto
from .errors import NoAccess, VaultError

BUCKETS = 256
SLOTS = 8  # the current generation, an older one not yet destroyed, and rotations under way
MAGIC = b"SPKS\x01"
_HEADER = 64
_SLOT = struct.Struct(">Q32s")  # generation, key; generation 0 = empty
_EMPTY = (0, bytes(32))
_BUCKET = SLOTS * _SLOT.size
SIZE = _HEADER + BUCKETS * _BUCKET


class KeystoreMissing(VaultError):
    """The keystore file is gone while the database still holds wrapped keys: restore it."""


class KeystoreFull(VaultError):
    """A bucket has no free slot: `safepassage keystore check` frees it."""


def path() -> Path:
    return Path(settings.KEYSTORE_DIR) / "keystore.bin"


def exists() -> bool:
    return path().exists()


def create() -> None:
    """A new keystore, every bucket at generation 1. Refuses to replace an existing file."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(target.parent, 0o700)
    body = bytearray(MAGIC.ljust(_HEADER, b"\0"))
    for _ in range(BUCKETS):
        body += _SLOT.pack(1, crypto.random_key()) + _SLOT.pack(*_EMPTY) * (SLOTS - 1)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, bytes(body))
        os.fsync(fd)
    finally:
        os.close(fd)
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _open(write: bool):
    try:
        fd = os.open(path(), os.O_RDWR if write else os.O_RDONLY)
    except FileNotFoundError as exc:
        raise KeystoreMissing("the keystore file is missing") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if write else fcntl.LOCK_SH)
        if os.pread(fd, len(MAGIC), 0) != MAGIC or os.fstat(fd).st_size != SIZE:
            raise VaultError("not a keystore file, or a damaged one")
        yield fd
    finally:
        os.close(fd)  # releases the lock


def _offset(bucket: int) -> int:
    if not 0 <= bucket < BUCKETS:
        raise ValueError("no such bucket")
    return _HEADER + bucket * _BUCKET


def _read(fd, bucket: int) -> list[tuple[int, bytes]]:
    raw = os.pread(fd, _BUCKET, _offset(bucket))
    return [_SLOT.unpack_from(raw, i * _SLOT.size) for i in range(SLOTS)]


def _write(fd, bucket: int, slots: list) -> None:
    os.pwrite(fd, b"".join(_SLOT.pack(*slot) for slot in slots), _offset(bucket))
    os.fsync(fd)


def key(bucket: int, generation: int) -> bytes:
    """The bucket key of that generation. NoAccess once it was destroyed."""
    with _open(write=False) as fd:
        for gen, value in _read(fd, bucket):
            if gen and gen == generation:
                return value
    raise NoAccess()


def generations(bucket: int) -> list[int]:
    """The generations a bucket holds keys of, in slot order (0: a free slot)."""
    with _open(write=False) as fd:
        return [gen for gen, _key in _read(fd, bucket)]


def begin_rotation(bucket: int, generation: int) -> bytes:
    """A fresh key of generation + 1 for a bucket whose KEKs the caller's transaction holds at
    `generation` (under the bucket's lock). Keys of higher generations are left-overs of rotations
    that were rolled back: their slots are free. Nothing of `generation` or below is touched, so a
    rollback of the caller's transaction loses nothing."""
    new = crypto.random_key()
    with _open(write=True) as fd:
        slots = _read(fd, bucket)
        free = [i for i, (gen, _k) in enumerate(slots) if gen == 0 or gen > generation]
        if not free:
            raise KeystoreFull("no free slot in a keystore bucket")
        for i in free:
            slots[i] = _EMPTY
        slots[free[0]] = (generation + 1, new)
        _write(fd, bucket, slots)
    return new


def finish_rotation(bucket: int, generation: int) -> None:
    """The database committed `generation`: every older key of the bucket is overwritten. Keys
    of later generations (another rotation under way) are kept. Idempotent."""
    with _open(write=True) as fd:
        slots = _read(fd, bucket)
        kept = [slot if slot[0] >= generation else _EMPTY for slot in slots]
        if kept != slots:
            _write(fd, bucket, kept)


def settle(bucket: int, generation: int) -> bool:
    """Keep only the key of the committed `generation` (the caller holds the bucket's lock in a
    transaction of its own, so no rotation is under way). True if the file changed."""
    with _open(write=True) as fd:
        slots = _read(fd, bucket)
        if not any(gen == generation for gen, _k in slots):
            raise NoAccess("the keystore lost the key of a committed generation")
        kept = [slot if slot[0] == generation else _EMPTY for slot in slots]
        if kept != slots:
            _write(fd, bucket, kept)
            return True
    return False
