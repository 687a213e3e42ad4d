"""Sizes stored in the clear are rounded up to their Padmé bucket (vault/files.py), like the sealed
files themselves from now on: an exact size can recognise a known photo."""

from django.db import migrations

from safepassage.vault.files import padme


def round_sizes(apps, schema_editor):
    Attachment = apps.get_model("intake", "Attachment")
    for row in Attachment.objects.only("id", "size").iterator(chunk_size=1000):
        Attachment.objects.filter(pk=row.pk).update(size=padme(row.size))


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_wrap_receipt_copies")]
    operations = [migrations.RunPython(round_sizes, migrations.RunPython.noop)]
