"""Sizes stored in the clear are rounded up to their Padmé bucket (vault/files.py), like the sealed
files themselves from now on: an exact size can recognise a known photo."""

from django.db import migrations

from safepassage.vault.files import padme


def round_sizes(apps, schema_editor):
    EvidenceFile = apps.get_model("evidence", "EvidenceFile")
    for row in EvidenceFile.objects.only("id", "size", "working_size").iterator(chunk_size=1000):
        EvidenceFile.objects.filter(pk=row.pk).update(size=padme(row.size), working_size=padme(row.working_size))


class Migration(migrations.Migration):
    dependencies = [("evidence", "0006_certificates")]
    operations = [migrations.RunPython(round_sizes, migrations.RunPython.noop)]
