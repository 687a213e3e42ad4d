from django.db import models


class EvidenceKey(models.Model):
    """The organisation's evidence base key: one DataKey, sealed to the documentation researchers
    and the recovery key like a case key. Two keys are derived from it (vault.crypto.subkey): one
    seals the evidence base's fields, the other is the secret half of a drop box whose public half
    is stored here, so a caseworker can share a redacted testimony with the researchers without
    being able to read the evidence base."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.PROTECT,
                                        related_name="evidence_key")
    data_key = models.OneToOneField("vault.DataKey", on_delete=models.PROTECT, related_name="evidence_base")
    box_public_key = models.BinaryField()
    box_certificate = models.BinaryField(default=b"")  # vault/certify.py: cases seal only to a certified box
    created_at = models.DateTimeField(auto_now_add=True)
