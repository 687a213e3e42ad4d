"""The evidence base key (models/base.py): made the first time it is needed, sealed to every
active documentation researcher and to the recovery key; a researcher who holds it shares it
with researchers who joined later. Case members never hold it: they seal shared testimonies to
its public drop-box half."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safepassage.accounts import roles
from safepassage.accounts.models import Organisation, User
from safepassage.audit.chain import record
from safepassage.cases import access
from safepassage.vault import certify, crypto, datakeys
from safepassage.vault.errors import NoAccess

from .models import EvidenceKey

FIELDS_CONTEXT = b"sp-evidence-aead"
BOX_CONTEXT = b"sp-evidence-box"


@dataclass(frozen=True)
class Opened:
    """The two keys derived from the evidence base key, for one request."""

    fields: bytes  # seals the evidence base's fields and file keys
    box_secret: bytes  # opens testimonies shared by cases


def _derive(key: bytes) -> Opened:
    return Opened(crypto.subkey(key, FIELDS_CONTEXT), crypto.subkey(key, BOX_CONTEXT))


def researchers(organisation_id):
    """Who should hold the key: active researchers with a keyring."""
    return User.objects.filter(organisation_id=organisation_id, is_active=True, roles__role=roles.RESEARCHER,
                               keyring__isnull=False).distinct()


def _row(organisation_id) -> EvidenceKey | None:
    return EvidenceKey.objects.filter(organisation_id=organisation_id).select_related("data_key").first()


def _create(user) -> bytes | None:
    """Made under a lock on the organisation row so that two first uses make one key. Returns
    the key if this call made it, None if it existed already."""
    org = Organisation.objects.select_for_update().get(pk=user.organisation_id)
    if _row(org.pk) is not None:
        return None
    holders = list(researchers(org.pk))
    if not holders:
        raise ValidationError(_("The organisation has no documentation researcher yet: nobody could read "
                                "the evidence base. Ask an admin to add one."))
    try:
        with transaction.atomic():
            data_key, key = datakeys.create(org, "evidence", holders, granted_by=user)
            box = crypto.public_from_secret(_derive(key).box_secret)
            EvidenceKey.objects.create(organisation=org, data_key=data_key, box_public_key=box,
                                       box_certificate=certify.sign("dropbox", org.pk, box))
    except IntegrityError:  # made meanwhile by another request (SQLite has no row lock)
        return None
    record("evidence_key.created", actor=user, details={"holders": [str(u.uuid) for u in holders]})
    return key


def status(user) -> str:
    """"none" (not made yet), "held" by this user, or "not_shared" with them yet."""
    row = _row(user.organisation_id)
    if row is None:
        return "none"
    return "held" if row.data_key.grants.filter(user=user).exists() else "not_shared"


def open_for(user, secret: bytes) -> Opened:
    """The evidence base keys of a researcher, made on first use. PermissionDenied for anyone
    else; a ValidationError tells a researcher who was not given the key yet."""
    if not access.can_use_evidence_base(user):
        raise PermissionDenied
    row = _row(user.organisation_id)
    if row is None:
        with transaction.atomic():
            key = _create(user)
        if key is not None:
            return _derive(key)
        row = _row(user.organisation_id)
    try:
        return _derive(datakeys.open_for(row.data_key, user, secret))
    except NoAccess:
        raise ValidationError(_("You do not hold the evidence base key yet. Ask a researcher who does to "
                                "share it with you.")) from None


def box_public_key(user) -> bytes:
    """The drop-box half, for a case member sharing a testimony; makes the key if needed."""
    row = _row(user.organisation_id)
    if row is None:
        with transaction.atomic():
            _create(user)
        row = _row(user.organisation_id)
    # Certified: a box swapped in the database would receive every testimony shared after.
    return certify.checked("dropbox", row.organisation_id, bytes(row.box_public_key), bytes(row.box_certificate))


def lacking(user):
    """Researchers who should hold the key and do not (for a holder, who can share it)."""
    row = _row(user.organisation_id)
    if row is None:
        return User.objects.none()
    return researchers(user.organisation_id).exclude(grants__data_key=row.data_key)


@transaction.atomic
def share(user, secret: bytes) -> int:
    """A researcher who holds the key seals it to every researcher who lacks it."""
    open_for(user, secret)  # the access check, and that they hold it
    row = _row(user.organisation_id)
    key = datakeys.open_for(row.data_key, user, secret)
    others = list(lacking(user))
    for member in others:
        datakeys.grant(row.data_key, key, member, granted_by=user)
    record("evidence_key.shared", actor=user, details={"members": [str(m.uuid) for m in others]})
    return len(others)
