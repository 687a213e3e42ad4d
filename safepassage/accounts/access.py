"""The access policy for staff accounts and the audit log: who may manage staff, restore a
member who lost their password, and read the audit. The rules about cases are in
cases/access.py, those about anonymous requests in intake/access.py (docs/architecture.md)."""

from . import roles


def is_staff(user) -> bool:
    """A signed-in, active member of an organisation: every other rule starts here."""
    return bool(user and user.is_authenticated and user.is_active and user.organisation_id)


def can_manage_staff(user) -> bool:
    return is_staff(user) and user.has_role(roles.ADMIN)


def can_use_recovery(user) -> bool:
    return is_staff(user) and user.has_role(roles.COORDINATOR)


def can_complete_recovery(user, req) -> bool:
    """The second coordinator: anyone allowed to recover the target except the one who started."""
    return req.completed_at is None and req.started_by_id != user.pk and can_recover_staff(user, req.target)


def can_recover_staff(user, target) -> bool:
    """Any coordinator but the target; completing needs a second one (accounts.actions)."""
    return (can_use_recovery(user) and user.pk != target.pk
            and user.organisation_id == target.organisation_id)


def can_read_audit(user) -> bool:
    """Registered with the audit log in AccountsConfig.ready: audit knows no roles."""
    return is_staff(user) and user.has_role(roles.ADMIN, roles.DPO, roles.COORDINATOR)
