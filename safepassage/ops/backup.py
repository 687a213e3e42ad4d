"""Backups: one file holding the database, the sealed files (var/media) and the keystore,
encrypted to one or more age recipients whose identities are kept offline.

The file is an age-encrypted tar, so the standard tool opens it:  age -d -i KEY backup.age | tar t
  manifest.json         format, release, engine, migrations, when, the erasure ledger's head,
                        and the SHA-256 and size of every other member
  database/00001.jsonl  every row of every table (Django's JSON lines), in chunks of at most 8 MiB
  keystore/keystore.bin the keystore (vault/keystore.py), as it was when the database was read
  keystore/certify.*    the certification key that vouches for staff public keys (vault/certify.py)
  keystore/seeds.key    the key that seals authenticator seeds (vault/seeds.py)
  keystore/audit.key    the key of the audit chain's hashes (audit/chain.py)
  media/...             the sealed files, under their own names (UUIDs)

The database is read in one snapshot, taken while no keystore bucket can rotate, so the keystore
copy opens every key of that snapshot. Restoring checks the whole file first (age authenticates
every chunk and notices a cut; every member's hash is checked), then loads it into an empty
database and erases again, from the erasure ledger kept outside the backup, every key shredded
after the backup was made."""

import datetime
import hashlib
import io
import json
import os
import tarfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyrage
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit import chain
from safepassage.vault import keystore, ledger

FORMAT = 1
# The keystore folder's other files: the certification key (vault/certify.py), the seed key (vault/seeds.py).
KEYSTORE_EXTRAS = ("certify.key", "certify.pub", "seeds.key", "audit.key")
CHUNK_BYTES = 8 * 1024 * 1024
# Rebuilt by `migrate` on the target, or never worth keeping: no session survives a restore.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why, in the user's language."""


def recipients_from(texts) -> list:
    try:
        return [pyrage.x25519.Recipient.from_str(t.strip()) for t in texts if t.strip()]
    except pyrage.RecipientError as exc:
        raise BackupError(_("A backup recipient is not an age public key (age1…).")) from exc


def identity_from(path: Path):
    lines = [ln.strip() for ln in Path(path).read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    try:
        return [pyrage.x25519.Identity.from_str(ln) for ln in lines]
    except pyrage.IdentityError as exc:
        raise BackupError(_("The identity file holds no age secret key (AGE-SECRET-KEY-…).")) from exc


def models() -> list:
    return [m for m in serializers.sort_dependencies([(a, None) for a in apps.get_app_configs()])
            if m._meta.label_lower not in SKIPPED and not m._meta.proxy and m._meta.managed]


def applied_migrations() -> list:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


# Making

@contextmanager
def _snapshot():
    """One consistent read of the database, and the keystore as it was at that moment: rotations
    are held back (an exclusive lock on every bucket, from a second connection) until the
    snapshot is taken. SQLite: the whole backup runs in one write transaction instead."""
    if connection.vendor == "sqlite":
        with transaction.atomic():  # BEGIN IMMEDIATE: no other writer until the end
            yield keystore.path().read_bytes()
        return
    from safepassage.vault.datakeys import LOCK_SPACE

    holder = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            for bucket in range(keystore.BUCKETS):
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_SPACE + bucket])
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT 1")  # the snapshot is taken here
            key_bytes = keystore.path().read_bytes()
            holder.rollback()  # rotations may go on: this transaction no longer sees them
            yield key_bytes
    finally:
        holder.close()


class _Writer:
    """Tar members written straight into the age stream, with their hashes for the manifest."""

    def __init__(self, stream):
        self.tar = tarfile.open(fileobj=stream, mode="w|")
        self.members = {}

    def add(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = len(data), 0o600, 0
        self.tar.addfile(info, io.BytesIO(data))
        self.members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a backup keeps them whole (the audit
    chain's hashes cover the microseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _database_chunks():
    buffer, number = io.StringIO(), 1
    for model in models():
        rows = model._base_manager.order_by(model._meta.pk.name)
        for start in range(0, rows.count(), 2000):
            buffer.write(serializers.serialize("jsonl", rows[start:start + 2000], cls=_ExactEncoder))
            if buffer.tell() >= CHUNK_BYTES:
                yield number, buffer.getvalue().encode()
                buffer, number = io.StringIO(), number + 1
    if buffer.tell():
        yield number, buffer.getvalue().encode()


@dataclass
class Made:
    path: Path
    rows: int
    files: int
    bytes: int


@contextmanager
def _encrypting(out, recipients):
    """A writable stream whose bytes reach `out` only encrypted: the tar is written into a pipe that
    a second thread reads into age, so no more than a pipe's worth is ever held in memory."""
    read_end, write_end = os.pipe()
    reader, writer = os.fdopen(read_end, "rb"), os.fdopen(write_end, "wb")
    failure = []

    def encrypt():
        try:
            pyrage.encrypt_io(reader, out, recipients)
        except Exception as exc:  # noqa: BLE001 - handed to the main thread below
            failure.append(exc)
        finally:
            reader.close()

    worker = threading.Thread(target=encrypt, daemon=True)
    worker.start()
    try:
        yield writer
    finally:
        writer.close()
        worker.join()
    if failure:
        raise BackupError(_("The backup could not be encrypted.")) from failure[0]


def make(target: Path, recipients) -> Made:
    """Write a backup to `target` (refused if it exists). Nothing but ciphertext touches the disk."""
    target = Path(target)
    if target.exists():
        raise BackupError(_("%(path)s already exists: choose a new file name.") % {"path": target})
    if not recipients:
        raise BackupError(_("No backup recipient: set SAFEPASSAGE_BACKUP_RECIPIENTS or give --recipient."))
    media = Path(settings.MEDIA_ROOT)
    rows = files = 0
    partial = target.with_name(target.name + ".partial")
    try:
        with open(partial, "xb") as out:
            os.chmod(partial, 0o600)
            with _encrypting(out, recipients) as plain:
                writer = _Writer(plain)
                with _snapshot() as keystore_bytes:
                    head_count, head_hash = ledger.head()
                    for number, data in _database_chunks():
                        rows += data.count(b"\n")
                        writer.add(f"database/{number:05d}.jsonl", data)
                    writer.add("keystore/keystore.bin", keystore_bytes)
                    for name in KEYSTORE_EXTRAS:
                        extra = Path(settings.KEYSTORE_DIR) / name
                        if extra.exists():
                            writer.add("keystore/" + name, extra.read_bytes())
                    for path in sorted(media.rglob("*")) if media.exists() else []:
                        if path.is_file() and not path.name.endswith(".tmp"):
                            writer.add("media/" + path.relative_to(media).as_posix(), path.read_bytes())
                            files += 1
                    manifest = {"format": FORMAT, "made_at": timezone.now().isoformat(), "engine": connection.vendor,
                                "migrations": applied_migrations(), "rows": rows,
                                "ledger": {"entries": head_count, "head": head_hash}, "members": writer.members}
                # Last, so that it can list every other member; a reader checks it before using any.
                writer.add("manifest.json", json.dumps(manifest, indent=1).encode())
                writer.tar.close()
            out.flush()
            os.fsync(out.fileno())
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Made(target, rows, files, target.stat().st_size)


# Reading and restoring

@contextmanager
def _decrypted(path: Path, identities):
    """The backup's tar members as (name, bytes), decrypted as they are read."""
    read_end, write_end = os.pipe()
    reader, writer = os.fdopen(read_end, "rb"), os.fdopen(write_end, "wb")
    failure = []

    def decrypt():
        try:
            with open(path, "rb") as source:
                pyrage.decrypt_io(source, writer, identities)
        except Exception as exc:  # noqa: BLE001 - handed to the main thread below
            failure.append(exc)
        finally:
            writer.close()

    worker = threading.Thread(target=decrypt, daemon=True)
    worker.start()

    def members():
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if member.isfile():
                        yield member.name, tar.extractfile(member).read()
        except (tarfile.TarError, EOFError, OSError) as exc:
            failure.append(exc)
        while reader.read(65536):  # let the decryption reach the end, where a cut shows
            pass

    try:
        yield members, failure
    finally:
        reader.close()
        worker.join()


def _refusal(failure) -> BackupError:
    exc = failure[0]
    if isinstance(exc, pyrage.DecryptError) and "No matching keys" in str(exc):
        return BackupError(_("This key does not open this backup."))
    return BackupError(_("The backup file is damaged or incomplete: it was not restored."))


def check(path: Path, identities) -> dict:
    """Read the whole backup and check every member against the manifest; its manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s is not a file.") % {"path": path})
    seen, manifest = {}, None
    with _decrypted(path, identities) as (members, failure):
        for name, data in members():
            if name == "manifest.json":
                manifest = json.loads(data)
            else:
                seen[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    if failure:
        raise _refusal(failure)
    if manifest is None or manifest.get("format") != FORMAT or manifest.get("members") != seen:
        raise BackupError(_("The backup file is damaged or incomplete: it was not restored."))
    return manifest


def database_is_empty() -> bool:
    Organisation = apps.get_model("accounts", "Organisation")
    DataKey = apps.get_model("vault", "DataKey")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    return not (Organisation.objects.exists() or DataKey.objects.exists() or AuditEvent.objects.exists())


@dataclass
class Restored:
    rows: int
    files: int
    erased_again: int
    made_at: str


def restore(path: Path, identities, erase_again) -> Restored:
    """Load a checked backup into an empty database, then erase again everything the erasure
    ledger shredded after the backup was made: `erase_again(data_key)` erases what the key
    protected (a case, a request...) and shreds it. Refused, with nothing changed, unless the
    file is whole, the key opens it, the database, the media folder and the ledger fit."""
    manifest = check(path, identities)
    if manifest["migrations"] != applied_migrations():
        raise BackupError(_("This backup was made by another version of safepassage: restore it with that version, "
                            "then upgrade."))
    if not database_is_empty():
        raise BackupError(_("The database is not empty: a backup is restored only into a new, migrated database."))
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(p.is_file() for p in media.rglob("*")):
        raise BackupError(_("%(path)s already holds files: a backup is restored only into an empty one.")
                          % {"path": media})
    try:
        later = ledger.since(manifest["ledger"]["entries"], manifest["ledger"]["head"])
    except ledger.LedgerBroken as exc:
        raise BackupError(_("The erasure ledger (%(path)s) is not the one kept when this backup was made, or it was "
                            "altered: without it, cases erased since could come back. Nothing was restored.")
                          % {"path": ledger.path()}) from exc
    folder = Path(settings.KEYSTORE_DIR)
    fresh = {p: p.read_bytes() for p in folder.iterdir() if p.is_file()} if folder.exists() else {}
    written, rows, erased = [], 0, 0
    try:
        with transaction.atomic(), _decrypted(Path(path), identities) as (members, failure):
            for model_label in ("vault.keybucket", "audit.audithead"):  # made by `migrate`; the backup has its own
                apps.get_model(model_label).objects.all().delete()
            loaded = set()
            with connection.constraint_checks_disabled():
                for name, data in members():
                    if name == "keystore/keystore.bin":
                        _replace_keystore(data)
                    elif name.startswith("keystore/") and name[len("keystore/"):] in KEYSTORE_EXTRAS:
                        _replace_file(Path(settings.KEYSTORE_DIR) / name.split("/")[1], data)
                    elif name.startswith("media/"):
                        target = media / name[len("media/"):]
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(data)
                        written.append(target)
                    elif name.startswith("database/"):
                        for obj in serializers.deserialize("jsonl", data.decode()):
                            obj.save()
                            loaded.add(type(obj.object))
                            rows += 1
            if failure:
                raise _refusal(failure)
            connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
            head = apps.get_model("audit", "AuditHead").objects.filter(pk=1).first()
            if head is not None:  # the chain restored is the chain from now on
                chain.checkpoint(head.seq, head.hash, restart=True)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(loaded)):
                    cursor.execute(sql)
            DataKey = apps.get_model("vault", "DataKey")
            for entry in later:
                for item in entry["data_keys"]:
                    data_key = DataKey.objects.filter(pk=item["id"]).first()
                    if data_key is not None and data_key.kek_wrapped:
                        erase_again(data_key)
                        erased += 1
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        for target, data in fresh.items():  # the new server's own keystore folder, as it was
            _replace_file(target, data)
        raise
    return Restored(rows, len(written), erased, manifest["made_at"])


def _replace_keystore(data: bytes) -> None:
    _replace_file(keystore.path(), data)


def _replace_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(target.name + ".restoring")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    partial.replace(target)
