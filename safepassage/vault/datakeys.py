"""Per-case (and per-thread) data keys, held only as sealed grants."""

from django.utils import timezone

from . import crypto
from .errors import NoAccess
from .models import DataKey, Grant


def new_key() -> bytes:
    return crypto.random_key()


def create(organisation, purpose: str, holders, recovery_public: bytes, granted_by=None,
           key: bytes | None = None) -> tuple[DataKey, bytes]:
    """A new data key sealed to each holder (users with keyrings) and to the recovery key.
    Returns the row and the key itself, which the caller uses now and then forgets."""
    return create_for(organisation, purpose, {u.pk: bytes(u.keyring.public_key) for u in holders},
                      recovery_public, granted_by=granted_by, key=key)


def create_for(organisation, purpose: str, public_keys: dict, recovery_public: bytes, granted_by=None,
               key: bytes | None = None) -> tuple[DataKey, bytes]:
    """The same, for holders given as {user id: public key}. It only inserts: the public site's
    database role, which may read public keys and nothing else of staff, makes requests with it."""
    key = key or crypto.random_key()
    row = DataKey.objects.create(organisation_id=organisation.pk, purpose=purpose)
    Grant.objects.bulk_create(
        [Grant(data_key=row, user_id=user_id, sealed_key=crypto.seal_to(public, key), granted_by=granted_by)
         for user_id, public in public_keys.items()]
        + [Grant(data_key=row, user=None, sealed_key=crypto.seal_to(recovery_public, key))])
    return row, key


def open_for(data_key: DataKey, user, secret: bytes) -> bytes:
    """The data key, opened with the user's unlocked secret key. NoAccess if they hold no grant."""
    grant_row = Grant.objects.filter(data_key=data_key, user=user).first()
    if grant_row is None:
        raise NoAccess()
    return crypto.open_sealed(secret, grant_row.sealed_key)


def open_with_recovery(data_key: DataKey, recovery_secret: bytes) -> bytes:
    grant_row = Grant.objects.filter(data_key=data_key, user=None).first()
    if grant_row is None:
        raise NoAccess()
    return crypto.open_sealed(recovery_secret, grant_row.sealed_key)


def grant(data_key: DataKey, key: bytes, user, granted_by=None) -> Grant:
    sealed = crypto.seal_to(bytes(user.keyring.public_key), key)
    row, _ = Grant.objects.update_or_create(
        data_key=data_key, user=user, defaults={"sealed_key": sealed, "granted_by": granted_by}
    )
    return row


def revoke(data_key: DataKey, user) -> bool:
    deleted, _ = Grant.objects.filter(data_key=data_key, user=user).delete()
    return bool(deleted)


def rotate(data_key: DataKey, recovery_public: bytes) -> bytes:
    """A new key sealed to every remaining holder and the recovery key. The caller must
    re-encrypt everything the old key protected in the same transaction."""
    key = crypto.random_key()
    for row in Grant.objects.filter(data_key=data_key).select_related("user__keyring"):
        public = recovery_public if row.user_id is None else bytes(row.user.keyring.public_key)
        row.sealed_key = crypto.seal_to(public, key)
        row.save(update_fields=["sealed_key"])
    return key


def shred(data_key: DataKey) -> None:
    """Delete every sealed copy. Backups that still hold ciphertext hold nothing that opens it."""
    Grant.objects.filter(data_key=data_key).delete()
    data_key.shredded_at = timezone.now()
    data_key.save(update_fields=["shredded_at"])


def holders(data_key: DataKey):
    return Grant.objects.filter(data_key=data_key, user__isnull=False).select_related("user")
