"""A request's receipt copy of its key is wrapped under its data key's KEK, like its grants, so
that it dies with the data key (vault/keystore.py). Constructions written out, as in vault 0003."""

from django.db import migrations

from safepassage.vault import crypto, keystore


def _kek(data_key):
    return crypto.aead_open(keystore.key(data_key.bucket, data_key.generation), bytes(data_key.kek_wrapped),
                            f"safepassage:kek:{data_key.pk}:{data_key.generation}".encode())


def _aad(data_key):
    return f"safepassage:extra:receipt:{data_key.pk}".encode()


def wrap(apps, schema_editor):
    Thread = apps.get_model("intake", "Thread")
    for thread in Thread.objects.exclude(receipt_wrapped_key=b"").select_related("data_key").iterator(chunk_size=500):
        if not thread.data_key.kek_wrapped:  # shredded: the copy opens nothing anyway
            thread.receipt_wrapped_key = b""
        else:
            thread.receipt_wrapped_key = crypto.aead_seal(_kek(thread.data_key), bytes(thread.receipt_wrapped_key),
                                                          _aad(thread.data_key))
        thread.save(update_fields=["receipt_wrapped_key"])


def unwrap(apps, schema_editor):
    Thread = apps.get_model("intake", "Thread")
    for thread in Thread.objects.exclude(receipt_wrapped_key=b"").select_related("data_key").iterator(chunk_size=500):
        thread.receipt_wrapped_key = crypto.aead_open(_kek(thread.data_key), bytes(thread.receipt_wrapped_key),
                                                      _aad(thread.data_key))
        thread.save(update_fields=["receipt_wrapped_key"])


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial"), ("vault", "0003_wrap_grants")]
    operations = [migrations.RunPython(wrap, unwrap)]
