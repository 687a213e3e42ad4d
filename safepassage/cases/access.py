"""The access policy: the ONE place that answers "may this user see or do this?".

Every view and every action asks here. Roles say what kind of work a person does; they never
open a case by themselves. Reading a case needs a grant on its data key (membership), so an
organisation admin sees no case data unless they are also a member of that case."""

from safepassage.accounts import roles


def _staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.organisation_id)


# Staff accounts

def can_manage_staff(user) -> bool:
    return _staff(user) and user.has_role(roles.ADMIN)


def can_use_recovery(user) -> bool:
    return _staff(user) and user.has_role(roles.COORDINATOR)


def can_recover_staff(user, target) -> bool:
    """Any coordinator but the target; completing needs a second one (accounts.actions)."""
    return (can_use_recovery(user) and user.pk != target.pk
            and user.organisation_id == target.organisation_id)


def can_read_audit(user) -> bool:
    return _staff(user) and user.has_role(roles.ADMIN, roles.DPO, roles.COORDINATOR)


# Cases

def visible_cases(user):
    """The cases this user may open: live cases of their organisation on which they hold a grant."""
    from .models import Case

    if not _staff(user):
        return Case.objects.none()
    return Case.objects.filter(organisation_id=user.organisation_id, erased_at__isnull=True,
                               data_key__grants__user=user)


def is_member(user, case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


def can_create_case(user) -> bool:
    return _staff(user) and user.has_role(roles.COORDINATOR, roles.CASEWORKER, roles.HOTLINE)


def can_view_case(user, case) -> bool:
    return is_member(user, case)


def can_edit_case(user, case) -> bool:
    return is_member(user, case)


def can_manage_members(user, case) -> bool:
    return is_member(user, case) and user.has_role(roles.COORDINATOR)


def can_erase_case(user, case) -> bool:
    return is_member(user, case) and user.has_role(roles.COORDINATOR)


def can_be_member(user, case) -> bool:
    """Who may be added to a case: active staff of the same organisation with a keyring."""
    return (bool(user.is_active) and user.organisation_id == case.organisation_id
            and hasattr(user, "keyring"))


# Intake threads (anonymous requests). Reading one needs a grant on its key, like a case: the
# intake team holds one while the request is open; after it becomes a case, only the case's
# members do.

def can_work_intake(user) -> bool:
    return _staff(user) and user.has_role(roles.COORDINATOR, roles.HOTLINE)


def visible_threads(user):
    from safepassage.intake.models import Thread

    if not _staff(user):
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


def can_decide_thread(user, thread) -> bool:
    """Accept as a case or decline: coordinators, while the request is still open."""
    return (can_open_thread(user, thread) and user.has_role(roles.COORDINATOR)
            and thread.status in ("new", "open"))
