"""Data keys (a case's, a request's, a shelter's...), held only as sealed grants, and the
key-encryption keys (KEKs) that make their erasure hold (vault/keystore.py).

Every grant is a sealed box to a staff member's (or the recovery) public key, stored wrapped under
the data key's KEK; the KEK is stored wrapped under its keystore bucket's key. Shredding a data key
deletes its grants, blanks its KEK and rotates its bucket, so no old version of any row, in any
copy of the database, opens it again."""

import secrets

from django.db import connection, transaction
from django.utils import timezone

from . import certify, crypto, keystore, ledger
from .errors import NoAccess, VaultError
from .models import DataKey, Grant, KeyBucket

LOCK_SPACE = 0x5350_4B53 << 16  # "SPKS": advisory lock ids of the keystore buckets


def new_key() -> bytes:
    return crypto.random_key()


# Buckets and KEKs

def lock_bucket(bucket: int, *, exclusive: bool) -> None:
    """Hold the bucket until the transaction ends: creators share it, a rotation has it alone,
    so no KEK is ever wrapped under a bucket key that a concurrent rotation is destroying. PostgreSQL
    advisory locks need no privilege on any table (the public site's role makes requests). SQLite
    runs one writing transaction at a time (IMMEDIATE), which is the same lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
            cursor.execute(f"SELECT {fn}(%s)", [LOCK_SPACE + bucket])


def ensure_keystore() -> None:
    """Create the keystore on a fresh installation. Refused when the database already holds
    wrapped KEKs: their keystore was lost and must be restored, never replaced."""
    if keystore.exists():
        return
    if DataKey.objects.exclude(kek_wrapped=b"").exists():
        raise keystore.KeystoreMissing("the keystore is missing: restore it from a backup (docs/operators.md)")
    keystore.create()


def bucket_generation(bucket: int) -> int:
    row = KeyBucket.objects.filter(pk=bucket).first()
    if row is None:
        # A new database (or one emptied, as tests do): the bucket starts where the file is.
        ensure_keystore()
        row, _ = KeyBucket.objects.get_or_create(pk=bucket, defaults={"generation": max(keystore.generations(bucket))})
    return row.generation


def _kek_aad(data_key_id, generation: int) -> bytes:
    return f"safepassage:kek:{data_key_id}:{generation}".encode()


def _kek(data_key: DataKey) -> bytes:
    if not data_key.kek_wrapped:
        raise NoAccess()  # shredded
    try:
        bucket_key = keystore.key(data_key.bucket, data_key.generation)
    except NoAccess:
        # A rotation of the bucket may have committed since this row was read: read it again.
        data_key.refresh_from_db(fields=["bucket", "generation", "kek_wrapped"])
        if not data_key.kek_wrapped:
            raise
        bucket_key = keystore.key(data_key.bucket, data_key.generation)
    return crypto.aead_open(bucket_key, bytes(data_key.kek_wrapped), _kek_aad(data_key.pk, data_key.generation))


def _grant_aad(data_key_id, user_id) -> bytes:
    return f"safepassage:grant:{data_key_id}:{user_id or 'recovery'}".encode()


def _sealed_grant(kek: bytes, data_key_id, user_id, public: bytes, key: bytes) -> bytes:
    return crypto.aead_seal(kek, crypto.seal_to(public, key), _grant_aad(data_key_id, user_id))


def _open_grant(kek: bytes, row: Grant, secret: bytes) -> bytes:
    box = crypto.aead_open(kek, bytes(row.sealed_key), _grant_aad(row.data_key_id, row.user_id))
    return crypto.open_sealed(secret, box)


def wrap_extra(data_key: DataKey, label: str, blob: bytes) -> bytes:
    """Another copy of a data key kept with the data (a request's receipt copy), wrapped under
    the KEK so that it dies with the data key like its grants."""
    return crypto.aead_seal(_kek(data_key), blob, f"safepassage:extra:{label}:{data_key.pk}".encode())


def unwrap_extra(data_key: DataKey, label: str, blob: bytes) -> bytes:
    return crypto.aead_open(_kek(data_key), bytes(blob), f"safepassage:extra:{label}:{data_key.pk}".encode())


# Data keys

def create(organisation, purpose: str, holders, granted_by=None, key: bytes | None = None) -> tuple[DataKey, bytes]:
    """A new data key sealed to each holder (users with keyrings) and to the organisation's
    recovery key, all certified (UncertifiedKey otherwise). Returns the row and the key itself,
    which the caller uses now and then forgets."""
    return create_for(organisation, purpose, {u.pk: certify.staff_key(u) for u in holders},
                      granted_by=granted_by, key=key)


def create_for(organisation, purpose: str, public_keys: dict, granted_by=None,
               key: bytes | None = None) -> tuple[DataKey, bytes]:
    """The same, for holders given as {user id: public key} whose certificates the caller checked.
    It only inserts: the public site's database role, which may read public keys and nothing else
    of staff, makes requests with it."""
    recovery_public = certify.recovery_key(organisation)
    key = key or crypto.random_key()
    kek = crypto.random_key()
    with transaction.atomic():
        bucket = secrets.randbelow(keystore.BUCKETS)
        lock_bucket(bucket, exclusive=False)
        generation = bucket_generation(bucket)
        row = DataKey(organisation_id=organisation.pk, purpose=purpose, bucket=bucket, generation=generation)
        row.kek_wrapped = crypto.aead_seal(keystore.key(bucket, generation), kek, _kek_aad(row.pk, generation))
        row.save(force_insert=True)
        Grant.objects.bulk_create(
            [Grant(data_key=row, user_id=user_id, sealed_key=_sealed_grant(kek, row.pk, user_id, public, key),
                   granted_by=granted_by) for user_id, public in public_keys.items()]
            + [Grant(data_key=row, user=None, sealed_key=_sealed_grant(kek, row.pk, None, recovery_public, key))])
    return row, key


def open_for(data_key: DataKey, user, secret: bytes) -> bytes:
    """The data key, opened with the user's unlocked secret key. NoAccess if they hold no grant."""
    grant_row = Grant.objects.filter(data_key=data_key, user=user).first()
    if grant_row is None:
        raise NoAccess()
    return _open_grant(_kek(data_key), grant_row, secret)


def open_with_recovery(data_key: DataKey, recovery_secret: bytes) -> bytes:
    grant_row = Grant.objects.filter(data_key=data_key, user=None).first()
    if grant_row is None:
        raise NoAccess()
    return _open_grant(_kek(data_key), grant_row, recovery_secret)


def grant(data_key: DataKey, key: bytes, user, granted_by=None) -> Grant:
    """Seal the key to a member's certified public key (UncertifiedKey otherwise)."""
    sealed = _sealed_grant(_kek(data_key), data_key.pk, user.pk, certify.staff_key(user), key)
    row, _ = Grant.objects.update_or_create(
        data_key=data_key, user=user, defaults={"sealed_key": sealed, "granted_by": granted_by}
    )
    return row


def register_extra(model, field: str, label: str) -> None:
    """A model of an app above that keeps another copy of a data key wrapped by wrap_extra (a
    request's receipt copy), so that a new KEK re-wraps it too (registered in AppConfig.ready)."""
    if (model, field, label) not in _extras:
        _extras.append((model, field, label))


_extras: list = []


def revoke(data_key: DataKey, *users) -> int:
    """Take a key from people at once, for good: their grants go and the key gets a new KEK, its
    bucket rotating, so no old version of their grant rows opens again, with their password or
    anything else (the copies the others hold are re-wrapped). Returns how many grants went. The data
    key itself is unchanged (a caller that must also close new data to someone who may have kept it
    rotates it: `rotate`)."""
    with transaction.atomic():
        deleted, _ = Grant.objects.filter(data_key=data_key, user__in=users).delete()
        if deleted:
            new_keks([data_key])
    return deleted


def revoke_from(user, data_keys) -> int:
    """Take these keys (a queryset or list of DataKeys) from one person, as revoke does, with one
    rotation per bucket. Returns how many they held."""
    with transaction.atomic():
        held = list(DataKey.objects.filter(pk__in=[dk.pk for dk in data_keys], grants__user=user).distinct())
        Grant.objects.filter(user=user, data_key__in=held).delete()
        if held:
            new_keks(held)
    return len(held)


def revoke_everything(user) -> list:
    """Deactivation: every key the person holds, taken at once (see revoke). Returns the keys."""
    with transaction.atomic():
        keys = list(DataKey.objects.filter(grants__user=user).distinct())
        Grant.objects.filter(user=user).delete()
        if keys:
            new_keks(keys)
    return keys


def new_keks(data_keys) -> None:
    """A fresh KEK for each of these keys: every grant and extra copy re-wrapped under it, and their
    buckets rotated so that the old KEKs die (one rotation per bucket)."""
    with transaction.atomic():
        fresh = {}
        for dk in data_keys:
            old, kek = _kek(dk), crypto.random_key()
            for row in Grant.objects.filter(data_key=dk):
                box = crypto.aead_open(old, bytes(row.sealed_key), _grant_aad(dk.pk, row.user_id))
                row.sealed_key = crypto.aead_seal(kek, box, _grant_aad(dk.pk, row.user_id))
                row.save(update_fields=["sealed_key"])
            for model, field, label in _extras:
                aad = f"safepassage:extra:{label}:{dk.pk}".encode()
                for row in model.objects.filter(data_key=dk).exclude(**{field: b""}):
                    setattr(row, field, crypto.aead_seal(kek, crypto.aead_open(old, bytes(getattr(row, field)), aad),
                                                         aad))
                    row.save(update_fields=[field])
            fresh[dk.pk] = (dk, kek)
        for bucket in sorted({dk.bucket for dk in data_keys}):
            new_bucket_key, generation = _rotate_bucket(bucket, list(fresh))
            for dk, kek in (v for v in fresh.values() if v[0].bucket == bucket):
                dk.generation = generation
                dk.kek_wrapped = crypto.aead_seal(new_bucket_key, kek, _kek_aad(dk.pk, generation))
                DataKey.objects.filter(pk=dk.pk).update(kek_wrapped=dk.kek_wrapped, generation=generation)


def rotate(data_key: DataKey, organisation) -> bytes:
    """A new key sealed to every remaining holder and the recovery key. A holder whose key no
    longer verifies loses their grant (they must be recovered) rather than block the rotation.
    The caller must re-encrypt everything the old key protected in the same transaction."""
    key = crypto.random_key()
    kek = _kek(data_key)
    recovery_public = certify.recovery_key(organisation)
    for row in Grant.objects.filter(data_key=data_key).select_related("user__keyring"):
        if row.user_id is None:
            public = recovery_public
        else:
            ring = row.user.keyring
            if not certify.usable("staff", row.user.uuid, bytes(ring.public_key), bytes(ring.certificate)):
                row.delete()
                continue
            public = bytes(ring.public_key)
        row.sealed_key = _sealed_grant(kek, data_key.pk, row.user_id, public, key)
        row.save(update_fields=["sealed_key"])
    return key


def _rotate_bucket(bucket: int, shredded_ids) -> tuple[bytes, int]:
    """Re-wrap the bucket's live KEKs (but those of `shredded_ids`, which the caller blanks or
    re-wraps itself) under a fresh bucket key; the old one is destroyed when the transaction commits
    (keystore.finish_rotation). Returns the new bucket key and its generation."""
    lock_bucket(bucket, exclusive=True)
    generation = bucket_generation(bucket)
    rows = list(DataKey.objects.filter(bucket=bucket).exclude(kek_wrapped=b"").exclude(pk__in=shredded_ids)
                .only("id", "kek_wrapped", "generation"))
    if any(row.generation != generation for row in rows):
        # Never destroy a key some row still needs: stop before touching anything.
        raise VaultError("a KEK of this bucket is not at the bucket's generation")
    old = keystore.key(bucket, generation)
    new = keystore.begin_rotation(bucket, generation)
    for row in rows:
        kek = crypto.aead_open(old, bytes(row.kek_wrapped), _kek_aad(row.pk, generation))
        row.kek_wrapped, row.generation = crypto.aead_seal(new, kek, _kek_aad(row.pk, generation + 1)), generation + 1
    DataKey.objects.bulk_update(rows, ["kek_wrapped", "generation"], batch_size=500)
    KeyBucket.objects.filter(pk=bucket).update(generation=generation + 1)
    # After the commit; should it fail, `safepassage keystore check` destroys the old key later.
    transaction.on_commit(lambda: keystore.finish_rotation(bucket, generation + 1), robust=True)
    return new, generation + 1


def shred(*data_keys: DataKey) -> None:
    """Delete every sealed copy, blank the KEKs and rotate their buckets: no copy of the database,
    old row versions and backups of it included, holds anything that opens these keys again
    (backups hold the keystore too: docs/security.md says for how long they can)."""
    with transaction.atomic():
        ids = [dk.pk for dk in data_keys]
        ledger.append(data_keys)  # before the commit: a restore must never bring these back
        for bucket in sorted({dk.bucket for dk in data_keys}):  # one order, so two shreds never deadlock
            _rotate_bucket(bucket, ids)
        Grant.objects.filter(data_key_id__in=ids).delete()
        now = timezone.now()
        DataKey.objects.filter(pk__in=ids).update(kek_wrapped=b"", shredded_at=now)
        for dk in data_keys:
            dk.kek_wrapped, dk.shredded_at = b"", now
        transaction.on_commit(_truncate_sqlite_wal, robust=True)


def _truncate_sqlite_wal() -> None:
    """SQLite keeps the pages a transaction replaced in its WAL until a checkpoint: copy them back
    and empty the WAL now (best effort: a reader holding an old snapshot makes it wait for later)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def holders(data_key: DataKey):
    return Grant.objects.filter(data_key=data_key, user__isnull=False).select_related("user")
