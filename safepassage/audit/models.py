from django.db import models


class AuditEvent(models.Model):
    """One link of the append-only, keyed hash chain. Written only by audit.chain.record()."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    organisation = models.CharField(max_length=36, blank=True)  # organisation UUID
    actor = models.CharField(max_length=36, blank=True)  # staff UUID, "" for anonymous or system
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # Never plaintext of an encrypted field: codes, counts, UUIDs only.
    details = models.JSONField(default=dict)
    # A keyed commitment to (object_type, object_id, details): what the hash covers, so that an
    # erasure can blank those and the chain still verify (audit/chain.py).
    commitment = models.CharField(max_length=64, default="")
    redacted = models.BooleanField(default=False)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["organisation", "-seq"])]


class AuditHead(models.Model):
    """The chain's last link, in a one-row table. Appending locks this row, so concurrent
    writers queue instead of forking the chain; it also exposes deletion of the newest events."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
