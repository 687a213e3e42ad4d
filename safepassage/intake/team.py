"""Who receives new requests: the intake team. A request is sealed to them when it arrives, so
this is read by the public site's service too (only ids and public keys: public_role.py)."""

from safepassage.accounts import roles
from safepassage.accounts.models import User

INTAKE_ROLES = (roles.COORDINATOR, roles.HOTLINE)


def intake_team(org):
    """Active coordinators and hotline operators of the organisation who have a keyring."""
    return User.objects.filter(organisation=org, is_active=True, keyring__isnull=False,
                               roles__role__in=INTAKE_ROLES).distinct()
