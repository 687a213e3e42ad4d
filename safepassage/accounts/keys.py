"""Staff public keys as people see them: a refusal recorded when one fails its certificate
(registered with vault/certify.py in AccountsConfig.ready), and a key's fingerprint and status."""

from safepassage.audit.chain import record
from safepassage.vault import certify

from .models import User


def record_refused_key(kind: str, owner: str) -> None:
    """A public key failed its certificate (vault/certify.py): someone may have swapped it in the
    database. Recorded for the organisation it belongs to; admins see it on the staff list."""
    user = User.objects.filter(uuid=owner).first() if kind == "staff" else None
    organisation = user.organisation_id if user else owner
    record("key.refused", organisation=organisation, object_type="key", object_id=owner, details={"kind": kind})


def key_status(user) -> tuple[str, bool]:
    """(fingerprint, certified) of a member's public key, for them and for admins to compare."""
    ring = getattr(user, "keyring", None)
    if ring is None:
        return "", False
    public = bytes(ring.public_key)
    return certify.fingerprint(public), certify.valid("staff", user.uuid, public, bytes(ring.certificate))
