"""Sizes stored in the clear are rounded up to their Padmé bucket (vault/files.py), like the sealed
files themselves from now on: an exact size can recognise a known photo."""

from django.db import migrations

from safepassage.vault.files import padme


def round_sizes(apps, schema_editor):
    for name in ("Dossier", "DisclosureItem", "ShareLink"):
        model = apps.get_model("dossiers", name)
        for row in model.objects.only("id", "size").iterator(chunk_size=1000):
            model.objects.filter(pk=row.pk).update(size=padme(row.size))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(round_sizes, migrations.RunPython.noop)]
