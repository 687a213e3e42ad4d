import uuid

from django.conf import settings
from django.db import models


class Keyring(models.Model):
    """A staff member's X25519 keypair. The secret half is stored only sealed under Argon2id(password)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="keyring")
    public_key = models.BinaryField()
    certificate = models.BinaryField(default=b"")  # vault/certify.py: nothing is sealed to an uncertified key
    sealed_secret = models.BinaryField()
    salt = models.BinaryField()
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)


class KeyBucket(models.Model):
    """The generation of its keystore bucket key under which a bucket's KEKs are wrapped
    (vault/keystore.py). A rotation moves every live KEK of the bucket to the next generation."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    generation = models.BigIntegerField()


class DataKey(models.Model):
    """A random 256-bit key for one case, request, shelter, index or evidence base. The key itself
    is never stored: only Grants (sealed copies) are, each wrapped under this row's key-encryption
    key (KEK), which the database holds only wrapped under a keystore bucket key. Shredding blanks
    the KEK and rotates its bucket, so no old copy of any row opens a grant again."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    purpose = models.CharField(max_length=20)  # "case", "intake" - plain, for operators
    bucket = models.PositiveSmallIntegerField(default=0)
    generation = models.BigIntegerField(default=0)
    kek_wrapped = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True)
    shredded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["bucket"], name="datakey_bucket")]


class Grant(models.Model):
    """One sealed copy of a DataKey: to a staff member's public key, or to the organisation's
    recovery key (user is null). The sealed box is stored wrapped under the DataKey's KEK."""

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
