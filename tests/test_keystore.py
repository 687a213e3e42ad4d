"""The keystore (vault/keystore.py): the bucket keys that wrap every data key's KEK, kept outside
the database. A rotation never loses a key a committed row needs (a rollback or a crash keeps the
data readable), and once it commits, the old key's bytes are gone from the file."""

import os
import stat

import pytest
from django.db import transaction

from safepassage.vault import crypto, datakeys, keystore
from safepassage.vault.errors import NoAccess
from safepassage.vault.models import DataKey, Grant, KeyBucket

from .conftest import make_org

pytestmark = pytest.mark.django_db(transaction=True)


def new_key(org, holder):
    return datakeys.create(org.org, "case", [holder.user])


def file_bytes() -> bytes:
    return keystore.path().read_bytes()


def test_the_keystore_is_private_to_the_server_account():
    make_org()
    assert stat.S_IMODE(os.stat(keystore.path()).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(keystore.path().parent).st_mode) == 0o700
    assert os.path.getsize(keystore.path()) == keystore.SIZE


def test_a_data_key_opens_through_its_kek_and_its_bucket_key():
    org = make_org()
    row, key = new_key(org, org.coordinator)
    assert datakeys.open_for(row, org.coordinator.user, org.coordinator.secret) == key
    assert row.kek_wrapped and row.generation == KeyBucket.objects.get(pk=row.bucket).generation
    # The grant is no bare sealed box: the staff member's key alone does not open it.
    grant = Grant.objects.get(data_key=row, user=org.coordinator.user)
    with pytest.raises(crypto.Tampered):
        crypto.open_sealed(org.coordinator.secret, bytes(grant.sealed_key))


def test_shredding_destroys_the_old_bucket_key_in_the_file_and_keeps_the_others_readable():
    org = make_org()
    victim, _ = new_key(org, org.coordinator)
    neighbours = []
    while len(neighbours) < 3:  # other keys in the same bucket, re-wrapped by the rotation
        row, key = new_key(org, org.coordinator)
        if row.bucket == victim.bucket:
            neighbours.append((row, key))
        else:
            DataKey.objects.filter(pk=row.pk).delete()
    generation = victim.generation
    old_key = keystore.key(victim.bucket, generation)
    assert old_key in file_bytes()

    datakeys.shred(victim)

    assert old_key not in file_bytes()  # overwritten in place once the rotation committed
    with pytest.raises(NoAccess):
        keystore.key(victim.bucket, generation)
    with pytest.raises(NoAccess):
        datakeys.open_for(DataKey.objects.get(pk=victim.pk), org.coordinator.user, org.coordinator.secret)
    for row, key in neighbours:
        row = DataKey.objects.get(pk=row.pk)
        assert row.generation == generation + 1
        assert datakeys.open_for(row, org.coordinator.user, org.coordinator.secret) == key


def test_a_rotation_rolled_back_loses_nothing_and_destroys_nothing():
    org = make_org()
    victim, key = new_key(org, org.coordinator)
    before = keystore.key(victim.bucket, victim.generation)
    with pytest.raises(RuntimeError), transaction.atomic():
        datakeys.shred(victim)
        raise RuntimeError("the erasure failed after the rotation began")
    row = DataKey.objects.get(pk=victim.pk)
    assert keystore.key(row.bucket, row.generation) == before
    assert datakeys.open_for(row, org.coordinator.user, org.coordinator.secret) == key
    # The next rotation reuses the slot of the one that was rolled back.
    datakeys.shred(row)
    assert keystore.generations(row.bucket).count(row.generation + 1) == 1


def test_a_crash_after_the_commit_leaves_the_old_key_for_the_check_to_destroy(monkeypatch):
    org = make_org()
    victim, _ = new_key(org, org.coordinator)
    old = keystore.key(victim.bucket, victim.generation)
    monkeypatch.setattr(keystore, "finish_rotation", lambda bucket, generation: None)  # the process died
    datakeys.shred(victim)
    assert old in file_bytes()
    monkeypatch.undo()
    bucket = KeyBucket.objects.get(pk=victim.bucket)
    assert keystore.settle(bucket.pk, bucket.generation) is True
    assert old not in file_bytes()


def test_two_erasures_in_one_transaction_in_one_bucket_keep_the_bucket_readable():
    org = make_org()
    first, _ = new_key(org, org.coordinator)
    second = None
    while second is None:
        row, _key = new_key(org, org.coordinator)
        second = row if row.bucket == first.bucket else None
    survivor = None
    while survivor is None:
        row, key = new_key(org, org.coordinator)
        survivor = (row, key) if row.bucket == first.bucket else None
    old = keystore.key(first.bucket, first.generation)
    with transaction.atomic():
        datakeys.shred(first)
        datakeys.shred(second)
    row, key = survivor
    row = DataKey.objects.get(pk=row.pk)
    assert row.generation == first.generation + 2
    assert datakeys.open_for(row, org.coordinator.user, org.coordinator.secret) == key
    assert old not in file_bytes()
    assert keystore.generations(row.bucket).count(0) == keystore.SLOTS - 1  # only the current key is left


def test_a_lost_keystore_is_never_replaced_by_a_new_one():
    org = make_org()
    new_key(org, org.coordinator)
    saved = file_bytes()
    keystore.path().unlink()
    try:
        KeyBucket.objects.all().delete()
        with pytest.raises(keystore.KeystoreMissing):
            new_key(org, org.coordinator)
    finally:
        keystore.path().write_bytes(saved)
        os.chmod(keystore.path(), 0o600)
