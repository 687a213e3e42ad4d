import uuid

from django.conf import settings
from django.db import models


class Keyring(models.Model):
    """A staff member's X25519 keypair. The secret half is stored only sealed under Argon2id(password)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="keyring")
    public_key = models.BinaryField()
    sealed_secret = models.BinaryField()
    salt = models.BinaryField()
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)


class DataKey(models.Model):
    """A random 256-bit key for one case or intake thread. The key itself is never stored:
    only Grants (sealed copies) are. Deleting every grant crypto-shreds what it protected."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    purpose = models.CharField(max_length=20)  # "case", "intake" - plain, for operators
    created_at = models.DateTimeField(auto_now_add=True)
    shredded_at = models.DateTimeField(null=True, blank=True)


class Grant(models.Model):
    """One sealed copy of a DataKey: to a staff member's public key, or to the organisation's
    recovery key (user is null)."""

    data_key = models.ForeignKey(DataKey, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="grants")
    sealed_key = models.BinaryField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["data_key", "user"], name="one_grant_per_member"),
            models.UniqueConstraint(fields=["data_key"], condition=models.Q(user__isnull=True),
                                    name="one_recovery_grant"),
        ]

    @property
    def is_recovery(self):
        return self.user_id is None
