"""Every state change to organisations and staff accounts. Each action checks, changes and
writes its audit event in one transaction."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from safepassage.audit.chain import record
from safepassage.vault import certify, datakeys, keyring, recovery
from safepassage.vault.errors import WrongPassword
from safepassage.vault.models import Grant

from . import revocation, roles
from .access import can_complete_recovery, can_manage_staff, can_recover_staff
from .models import Organisation, RecoveryRequest, RoleAssignment, SealedTOTPDevice, User

BACKUP_CODES = 10


class LoginFailed(Exception):
    pass


@transaction.atomic
def init_org(name: str, username: str, password: str, display_name: str = "") -> tuple[Organisation, User, str]:
    """A new organisation, its first coordinator (also its admin) and its recovery code.
    The code is returned once and never stored."""
    validate_password(password)
    code, public = recovery.new_code()
    org = Organisation(name=name, recovery_public_key=public)
    org.recovery_certificate = certify.sign("recovery", org.pk, public)
    org.save()
    user = _new_user(org, username, display_name, [roles.COORDINATOR, roles.ADMIN], password)
    record("org.created", actor=user, organisation=org, obj=org)
    return org, user, code


def _new_user(org, username, display_name, role_codes, password, must_change=False) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("That username is already taken."))
    user = User.objects.create(username=username, display_name=display_name, organisation=org,
                               must_change_password=must_change, password=make_password(password))
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r) for r in role_codes)
    keyring.create(user, password)
    return user


@transaction.atomic
def create_staff(admin: User, username: str, display_name: str, role_codes, password: str) -> User:
    if not can_manage_staff(admin):
        raise PermissionDenied
    user = _new_user(admin.organisation, username, display_name, role_codes, password, must_change=True)
    record("staff.created", actor=admin, obj=user, details={"roles": sorted(role_codes)})
    return user


@transaction.atomic
def update_staff(admin: User, target: User, display_name: str, role_codes, is_active: bool) -> None:
    if not can_manage_staff(admin) or target.organisation_id != admin.organisation_id:
        raise PermissionDenied
    if target == admin and (roles.ADMIN not in role_codes or not is_active):
        raise ValidationError(_("You cannot remove your own admin role or deactivate yourself."))
    before = set(target.roles.values_list("role", flat=True))
    if not is_active and target.is_active:
        sole = sole_member_cases(target)
        if sole:
            raise ValidationError(_("%(name)s is the only member of %(n)s case(s): add another member to them before "
                                    "deactivating, or nobody could open them.") % {"name": target, "n": sole})
    target.display_name, target.is_active = display_name, is_active
    target.save(update_fields=["display_name", "is_active"])
    target.roles.exclude(role__in=role_codes).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=target, role=r) for r in role_codes if r not in before])
    target.__dict__.pop("_role_codes", None)
    # Taking effect at once: sessions end, and the keys go for good (their grants and, with a new KEK,
    # every old version of those grants): what is written afterwards is closed to them.
    ended = 0 if is_active else end_sessions(target)
    taken = len(datakeys.revoke_everything(target)) if not is_active else revocation.roles_removed(
        target, before - set(role_codes))
    record("staff.updated", actor=admin, obj=target,
           details={"roles": sorted(role_codes), "active": is_active, "sessions_ended": ended, "keys_taken": taken})
    if taken:
        record("key.revoked", actor=admin, obj=target, details={"keys": taken,
                                                                "why": "deactivated" if not is_active else "roles"})


def sole_member_cases(user) -> int:
    """Data keys of cases (and others) that only this person holds, besides the recovery key."""
    held = Grant.objects.filter(user=user).values("data_key")
    others = Grant.objects.filter(data_key__in=held, user__isnull=False).exclude(user=user).values("data_key")
    return (Grant.objects.filter(user=user, data_key__purpose="case").exclude(data_key__in=others)
            .values("data_key").distinct().count())


def end_sessions(user: User) -> int:
    """Every open session of the member goes now (deactivation): their browser holds nothing that
    works any more. Sessions are few (they expire after the idle timeout), so each is read."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def clear_lockout(admin: User, target: User) -> None:
    if not can_manage_staff(admin) or target.organisation_id != admin.organisation_id:
        raise PermissionDenied
    target.failed_logins, target.locked_until = 0, None
    target.save(update_fields=["failed_logins", "locked_until"])
    record("staff.lockout_cleared", actor=admin, obj=target)


def _fail(user: User | None, reason: str) -> None:
    """Count a failure; lock the account after LOCKOUT_THRESHOLD in a row."""
    with transaction.atomic():
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= settings.LOCKOUT_THRESHOLD:
                user.locked_until = timezone.now() + timedelta(seconds=settings.LOCKOUT_SECONDS)
                user.failed_logins = 0
                record("login.locked", actor=user)
            user.save(update_fields=["failed_logins", "locked_until"])
        record("login.failed", actor=user, details={"reason": reason})


def check_password_and_unlock(username: str, password: str) -> tuple[User, bytes]:
    """First factor: the password, which also unseals the user's secret key.
    Raises LoginFailed with one message for every cause, so nothing tells an attacker which
    part was wrong."""
    user = User.objects.filter(username__iexact=username, organisation__isnull=False).first()
    if user is None or not user.is_active:
        make_password(password)  # the same work as a real check: no timing hint that the user is unknown
        keyring.burn(password)
        _fail(user, "unknown" if user is None else "inactive")
        raise LoginFailed
    if user.is_locked:
        _fail(user, "locked")
        raise LoginFailed
    if not user.check_password(password):
        _fail(user, "password")
        raise LoginFailed
    try:
        secret = keyring.unlock(user.keyring, password)
    except WrongPassword:
        _fail(user, "unlock")
        raise LoginFailed from None
    return user, secret


def check_second_factor(user: User, token: str):
    """Second factor: a TOTP code or an unused backup code. Returns the matching device or None."""
    token = "".join(token.split())
    if user.is_locked:
        _fail(user, "locked")
        return None
    for device in list(SealedTOTPDevice.objects.filter(user=user, confirmed=True)) + list(
            StaticDevice.objects.filter(user=user, confirmed=True)):
        if device.verify_token(token):
            with transaction.atomic():
                user.failed_logins = 0
                user.save(update_fields=["failed_logins"])
                factor = "totpdevice" if isinstance(device, SealedTOTPDevice) else "staticdevice"
                record("login", actor=user, details={"factor": factor})
            return device
    _fail(user, "second_factor")
    return None


def has_second_factor(user: User) -> bool:
    return SealedTOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp(user: User) -> SealedTOTPDevice:
    """The unconfirmed authenticator being enrolled (made once, so a reload shows the same secret)."""
    device = SealedTOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or SealedTOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_totp(user: User, token: str) -> list[str] | None:
    """Confirm enrolment with a first code; returns fresh one-time backup codes (shown once)."""
    device = SealedTOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token("".join(token.split())):
        return None
    SealedTOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = regenerate_backup_codes(user)
    record("2fa.enrolled", actor=user)
    record("login", actor=user, details={"factor": "totpdevice"})
    return codes


def confirmed_totp(user: User) -> SealedTOTPDevice:
    return SealedTOTPDevice.objects.get(user=user, confirmed=True)


def regenerate_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


@transaction.atomic
def change_password(user: User, secret: bytes, old: str, new: str) -> None:
    if not user.check_password(old):
        raise ValidationError(_("Your current password is not correct."))
    validate_password(new, user)
    user.set_password(new)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    keyring.rewrap(user.keyring, secret, new)
    record("password.changed", actor=user)


@transaction.atomic
def start_recovery(coordinator: User, target: User) -> RecoveryRequest:
    if not can_recover_staff(coordinator, target):
        raise PermissionDenied
    req = RecoveryRequest.objects.filter(target=target, completed_at__isnull=True).first()
    if req is None:
        req = RecoveryRequest.objects.create(organisation=target.organisation, target=target,
                                             started_by=coordinator)
        record("recovery.started", actor=coordinator, obj=target)
    return req


@dataclass
class RecoveryResult:
    temporary_password: str
    cases_restored: int


def temporary_password() -> str:
    return "-".join(secrets.token_urlsafe(6) for _ in range(4))


def complete_recovery(coordinator: User, req: RecoveryRequest, code: str) -> RecoveryResult:
    """The second coordinator enters the recovery code: the target gets a new keypair under a
    temporary password, and every grant they held is re-sealed from the recovery grants."""
    if not can_complete_recovery(coordinator, req):
        raise PermissionDenied
    try:
        recovery_secret = recovery.secret_from_code(code, bytes(req.organisation.recovery_public_key))
    except WrongPassword:
        # Recorded outside the restoring transaction, so the failed attempt stays on the record.
        record("recovery.bad_code", actor=coordinator, obj=req.target)
        raise ValidationError(_("That recovery code is not this organisation's.")) from None
    return _restore(coordinator, req, recovery_secret)


@transaction.atomic
def _restore(coordinator: User, req: RecoveryRequest, recovery_secret: bytes) -> RecoveryResult:
    target = req.target
    held = list(Grant.objects.filter(user=target).select_related("data_key"))
    password = temporary_password()
    keyring.create(target, password)
    target.refresh_from_db()
    for grant_row in held:
        key = datakeys.open_with_recovery(grant_row.data_key, recovery_secret)
        datakeys.grant(grant_row.data_key, key, target, granted_by=coordinator)
    target.set_password(password)
    target.must_change_password = True
    target.failed_logins, target.locked_until = 0, None
    target.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    req.completed_by, req.completed_at = coordinator, timezone.now()
    req.save(update_fields=["completed_by", "completed_at"])
    record("recovery.completed", actor=coordinator, obj=target, details={"grants": len(held)})
    return RecoveryResult(password, len(held))


def record_logout(user: User) -> None:
    record("logout", actor=user)


def record_unlock_failure(user: User, reason: str) -> None:
    record("unlock.failed", actor=user, details={"reason": reason})
