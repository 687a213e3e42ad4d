"""Readable, translated names for audit action codes (the codes themselves stay in the chain)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "org.created": _("Organisation created"),
    "staff.created": _("Staff member added"),
    "staff.updated": _("Staff member changed"),
    "staff.lockout_cleared": _("Account unlocked"),
    "login": _("Signed in"),
    "login.failed": _("Failed sign-in"),
    "login.locked": _("Account locked after failed sign-ins"),
    "logout": _("Signed out"),
    "unlock.failed": _("Session key refused"),
    "2fa.enrolled": _("Two-factor sign-in set up"),
    "password.changed": _("Password changed"),
    "recovery.started": _("Recovery started"),
    "recovery.completed": _("Recovery completed"),
    "recovery.bad_code": _("Wrong recovery code"),
    "case.created": _("Case created"),
    "case.read": _("Case opened"),
    "case.read_for_edit": _("Case opened for editing"),
    "case.listed": _("Case list viewed"),
    "case.updated": _("Case changed"),
    "case.granted": _("Member added to case"),
    "case.revoked": _("Member removed from case"),
    "case.erased": _("Case erased"),
}


def label(action: str):
    return ACTIONS.get(action, action)
