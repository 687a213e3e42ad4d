import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.vault import seeds

from . import roles


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    # The public half of the recovery key; the secret half exists only on paper.
    recovery_public_key = models.BinaryField()
    recovery_certificate = models.BinaryField(default=b"")  # vault/certify.py
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A staff member. Identified in URLs by a UUID, never by a guessable number."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="staff")
    display_name = models.CharField(max_length=150, blank=True)
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(default=False)

    objects = UserManager()

    def __str__(self):
        return self.display_name or self.username

    @property
    def role_codes(self) -> set[str]:
        if not hasattr(self, "_role_codes"):
            self._role_codes = set(self.roles.values_list("role", flat=True))
        return self._role_codes

    def has_role(self, *codes) -> bool:
        return bool(self.role_codes.intersection(codes))

    def role_labels(self):
        return [roles.LABELS[c] for c in roles.CODES if c in self.role_codes]

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=roles.CHOICES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_assignment_per_role")]


class RecoveryRequest(models.Model):
    """Restoring a member who lost their password takes two coordinators and the recovery code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    target = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_requests")
    started_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    completed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)


class SealedTOTPDevice(TOTPDevice):
    """django-otp's TOTP device, its seed stored sealed (vault/seeds.py) instead of in hex: a copy of
    the database alone does not let anyone make a member's codes. Every use goes through this
    class (sign-in, enrolment, the demo); django-otp finds it again by its persistent id."""

    class Meta:
        proxy = True

    @property
    def bin_key(self) -> bytes:
        return seeds.open_sealed(self.key)

    def save(self, *args, **kwargs):
        if not seeds.is_sealed(self.key):
            self.key = seeds.seal(bytes.fromhex(self.key))
        super().save(*args, **kwargs)
