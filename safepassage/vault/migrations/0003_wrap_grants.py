"""Existing data keys get a KEK held under a keystore bucket key, and their grants are wrapped
under it (vault/keystore.py, vault/datakeys.py). Nothing needs a staff member's key: a sealed box
is wrapped as it is. The constructions are written out here, so that this migration keeps doing
what it did whatever datakeys.py becomes."""

import secrets

from django.db import migrations

from safepassage.vault import crypto, keystore


def _kek_aad(data_key_id, generation):
    return f"safepassage:kek:{data_key_id}:{generation}".encode()


def _grant_aad(data_key_id, user_id):
    return f"safepassage:grant:{data_key_id}:{user_id or 'recovery'}".encode()


def _buckets(KeyBucket):
    if not keystore.exists():
        keystore.create()
    generations = {}
    for bucket in range(keystore.BUCKETS):
        generation = max(keystore.generations(bucket))
        KeyBucket.objects.update_or_create(pk=bucket, defaults={"generation": generation})
        generations[bucket] = generation
    return generations


def wrap(apps, schema_editor):
    DataKey, Grant, KeyBucket = (apps.get_model("vault", m) for m in ("DataKey", "Grant", "KeyBucket"))
    generations = _buckets(KeyBucket)
    bucket_keys = {b: keystore.key(b, g) for b, g in generations.items()}
    todo = DataKey.objects.filter(kek_wrapped=b"", shredded_at__isnull=True)
    for data_key in todo.iterator(chunk_size=500):
        bucket = secrets.randbelow(keystore.BUCKETS)
        kek = crypto.random_key()
        data_key.bucket, data_key.generation = bucket, generations[bucket]
        data_key.kek_wrapped = crypto.aead_seal(bucket_keys[bucket], kek, _kek_aad(data_key.pk, data_key.generation))
        data_key.save(update_fields=["bucket", "generation", "kek_wrapped"])
        for grant in Grant.objects.filter(data_key=data_key):
            grant.sealed_key = crypto.aead_seal(kek, bytes(grant.sealed_key), _grant_aad(data_key.pk, grant.user_id))
            grant.save(update_fields=["sealed_key"])


def unwrap(apps, schema_editor):
    DataKey, Grant = apps.get_model("vault", "DataKey"), apps.get_model("vault", "Grant")
    for data_key in DataKey.objects.exclude(kek_wrapped=b"").iterator(chunk_size=500):
        kek = crypto.aead_open(keystore.key(data_key.bucket, data_key.generation), bytes(data_key.kek_wrapped),
                               _kek_aad(data_key.pk, data_key.generation))
        for grant in Grant.objects.filter(data_key=data_key):
            grant.sealed_key = crypto.aead_open(kek, bytes(grant.sealed_key), _grant_aad(data_key.pk, grant.user_id))
            grant.save(update_fields=["sealed_key"])
        data_key.kek_wrapped = b""
        data_key.save(update_fields=["kek_wrapped"])


class Migration(migrations.Migration):
    dependencies = [("vault", "0002_keystore")]
    operations = [migrations.RunPython(wrap, unwrap)]
