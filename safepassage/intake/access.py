"""The access policy for anonymous requests (intake threads) on the staff side. Reading one
needs a grant on its key, like a case: the intake team holds one while the request is open;
after it becomes a case, only the case's members do. The rules about cases are in
cases/access.py, those about staff accounts in accounts/access.py (docs/architecture.md)."""

from safepassage.accounts import roles
from safepassage.accounts.access import is_staff

from .models import Thread
from .team import INTAKE_ROLES


def can_work_intake(user) -> bool:
    return is_staff(user) and user.has_role(*INTAKE_ROLES)


def visible_threads(user):
    if not is_staff(user):
        return Thread.objects.none()
    return Thread.objects.filter(organisation_id=user.organisation_id, data_key__grants__user=user)


def intake_queue(user):
    if not can_work_intake(user):
        return visible_threads(None)
    return visible_threads(user).filter(status__in=["new", "open"]).order_by("urgency", "last_applicant_at")


def can_open_thread(user, thread) -> bool:
    return visible_threads(user).filter(pk=thread.pk).exists()


def can_read_original(user, thread) -> bool:
    """Originals keep their metadata (GPS, device): coordinators only."""
    return can_open_thread(user, thread) and user.has_role(roles.COORDINATOR)


def can_share_intake(user) -> bool:
    """Give waiting requests to intake team members who joined after they arrived."""
    return can_work_intake(user) and user.has_role(roles.COORDINATOR)


def can_decide_thread(user, thread) -> bool:
    """Accept as a case or decline: coordinators, while the request is still open."""
    return (can_open_thread(user, thread) and user.has_role(roles.COORDINATOR)
            and thread.status in ("new", "open"))
