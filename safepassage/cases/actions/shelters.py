"""Shelters: a registry kept apart from cases, stays of a case in a shelter, and the
two-person release of a shelter's address to a case's members.

Keys. A shelter's name and address are sealed under that shelter's own data key (the model
gives each shelter its own DataKey), granted to the organisation's shelter coordinators and to
the recovery key. Nobody else holds it: a coordinator who is not a shelter coordinator, or an
admin, cannot read any shelter. A shelter coordinator who joined later gets the keys from a
colleague who holds them (share_keys, audited).

Releasing an address keeps both rules at once: two coordinators decide, and only people who
hold the keys decrypt.
1. A coordinator who is a member of the case asks (request_release): an Approval of kind
   "release_address" whose target is the stay.
2. A different coordinator who is a member approves it (actions.pipeline.decide runs
   release_address below, in the same transaction).
3. The address is copied: opened with the shelter's key and sealed under the case's key into
   Stay.address_sealed. Only someone holding both keys can do that. When the approver is also a
   shelter coordinator holding the shelter's key, the copy happens at once; otherwise the stay
   waits, "approved, waiting for hand-over", until a shelter coordinator who is a member of the
   case hands it over (hand_over). The hand-over is not a third decision: it only carries out
   the approved one, and it is refused without such an approval.
While infiltration is suspected (pipeline.disclosure_frozen) no request, approval or hand-over
goes through, and an address is released only for an active case that has been accepted."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.vault import datakeys, fields
from safepassage.vault.models import Grant

from .. import access, pipeline
from ..models import Approval, Case, Shelter, Stay
from .pipeline import request_approval

MAX_CAPACITY = 1000
# An address can be released only once a case has been accepted and while it is active: never to
# an applicant still being vetted, nor while they are detained or out of contact.
NOT_YET_RELEASABLE = ("new", "screening", "vetting")
RELEASABLE_STATES = tuple(s for s in pipeline.ACTIVE_STATES if s not in NOT_YET_RELEASABLE)


# ---------------------------------------------------------------------------------------------
# Keys


def holds_key(user, shelter: Shelter) -> bool:
    return Grant.objects.filter(data_key_id=shelter.data_key_id, user=user).exists()


def _held_key_ids(user) -> set:
    return set(Grant.objects.filter(user=user, data_key__shelter__isnull=False).values_list("data_key_id", flat=True))


def _shelter_key(user, secret: bytes, shelter: Shelter) -> bytes:
    return datakeys.open_for(shelter.data_key, user, secret)


def share_candidates(user):
    """Shelter coordinators of the organisation who lack a key this user holds."""
    if not access.can_manage_shelters(user):
        raise PermissionDenied
    mine = _held_key_ids(user)
    result = []
    for person in access.shelter_coordinators(user.organisation).exclude(pk=user.pk).order_by("username"):
        missing = len(mine - _held_key_ids(person))
        if missing:
            result.append((person, missing))
    return result


@transaction.atomic
def share_keys(user, secret: bytes, member) -> int:
    """Seal every shelter key this user holds to another shelter coordinator who lacks it."""
    if not access.can_manage_shelters(user):
        raise PermissionDenied
    if member.organisation_id != user.organisation_id or not access.shelter_coordinators(
            user.organisation).filter(pk=member.pk).exists():
        raise ValidationError(_("Shelter keys can only be shared with an active shelter coordinator."))
    theirs = _held_key_ids(member)
    shared = []
    for shelter in access.visible_shelters(user).select_related("data_key"):
        if shelter.data_key_id in theirs or not holds_key(user, shelter):
            continue
        datakeys.grant(shelter.data_key, _shelter_key(user, secret, shelter), member, granted_by=user)
        shared.append(str(shelter.pk))
    if not shared:
        raise ValidationError(_("%(name)s already holds every shelter key you hold.") % {"name": member})
    record("shelter.keys_shared", actor=user, obj=member, details={"shelters": shared})
    return len(shared)


# ---------------------------------------------------------------------------------------------
# Occupancy. A stay occupies its shelter from starts_on up to the day before ends_on (the day
# people leave); a stay without an end occupies it from its start on. Stays of erased cases count
# no more.


def _live_stays(shelter):
    return Stay.objects.filter(shelter=shelter, case__erased_at__isnull=True)


def occupancy(shelter: Shelter, on: date | None = None) -> int:
    on = on or timezone.localdate()
    return _live_stays(shelter).filter(
        Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gt=on)).aggregate(
        n=Coalesce(Sum("people"), 0))["n"]


def with_occupancy(shelters, on: date | None = None):
    """Annotate a queryset of shelters with `occupied`: people staying there on that day."""
    on = on or timezone.localdate()
    now = (Q(stays__starts_on__lte=on) & (Q(stays__ends_on__isnull=True) | Q(stays__ends_on__gt=on))
           & Q(stays__case__erased_at__isnull=True))
    return shelters.annotate(occupied=Coalesce(Sum("stays__people", filter=now), 0))


def peak(shelter: Shelter, starts_on: date, ends_on: date | None, exclude=None) -> tuple[int, date]:
    """The most people already staying in the shelter on one day of [starts_on, ends_on), and
    that day. Occupancy only rises on a day a stay starts, so only those days need checking."""
    stays = _live_stays(shelter).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on))
    if ends_on is not None:
        stays = stays.filter(starts_on__lt=ends_on)
    if exclude is not None:
        stays = stays.exclude(pk=exclude.pk)
    rows = list(stays.values_list("starts_on", "ends_on", "people"))
    best = (0, starts_on)
    for day in sorted({starts_on} | {s for s, _e, _p in rows if s > starts_on}):
        n = sum(p for s, e, p in rows if s <= day and (e is None or e > day))
        if n > best[0]:
            best = (n, day)
    return best


def _check_stay(shelter: Shelter, starts_on: date, ends_on: date | None, people: int, exclude=None) -> None:
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The stay must end after the day it starts.")})
    if people < 1:
        raise ValidationError({"people": _("At least one person stays.")})
    occupied, day = peak(shelter, starts_on, ends_on, exclude=exclude)
    free = max(shelter.capacity - occupied, 0)
    if people > free:
        raise ValidationError({"people": _(
            "Not enough room: on %(day)s this shelter has %(free)s free places of %(capacity)s, "
            "and %(people)s were asked for.") % {"day": date_format(day, "j M Y"), "free": free,
                                                 "capacity": shelter.capacity, "people": people}})


# ---------------------------------------------------------------------------------------------
# The registry


@dataclass
class OpenShelter:
    """A shelter with what this user's key opens, for one request. name is None without a key."""

    shelter: Shelter
    name: str | None
    address: str | None = None
    occupied: int = 0

    @property
    def ref(self) -> str:
        return str(self.shelter.pk)[:8]

    @property
    def free(self) -> int:
        return max(self.shelter.capacity - self.occupied, 0)


def _clean(name: str, address: str, capacity) -> tuple[str, str, int]:
    name, address = name.strip(), address.strip()
    errors = {}
    if not name:
        errors["name"] = _("A shelter needs a name the team recognises.")
    if not address:
        errors["address"] = _("Enter the address.")
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = _("Capacity is a number of people from 1 to %(max)s.") % {"max": MAX_CAPACITY}
    if errors:
        raise ValidationError(errors)
    return name, address, capacity


@transaction.atomic
def create_shelter(user, name: str, address: str, capacity: int) -> Shelter:
    if not access.can_manage_shelters(user):
        raise PermissionDenied
    name, address, capacity = _clean(name, address, capacity)
    org = user.organisation
    holders = set(access.shelter_coordinators(org)) | {user}
    data_key, key = datakeys.create(org, "shelter", holders, granted_by=user)
    shelter = Shelter(organisation=org, data_key=data_key, capacity=capacity)
    fields.seal_text(key, shelter, "name", name)
    fields.seal_text(key, shelter, "address", address)
    shelter.save()
    record("shelter.created", actor=user, obj=shelter, details={"capacity": capacity, "holders": len(holders)})
    return shelter


def list_shelters(user, secret: bytes, shelters) -> list[OpenShelter]:
    """Names for one page of the registry (annotated by with_occupancy); one audit event names
    the shelters whose names were opened."""
    if not access.can_manage_shelters(user):
        raise PermissionDenied
    mine = _held_key_ids(user)
    rows = []
    for shelter in shelters:
        name = None
        if shelter.data_key_id in mine:
            name = fields.open_text(_shelter_key(user, secret, shelter), shelter, "name")
        rows.append(OpenShelter(shelter, name, occupied=getattr(shelter, "occupied", 0)))
    opened = [str(r.shelter.pk) for r in rows if r.name is not None]
    if opened:
        record("shelter.listed", actor=user, details={"shelters": opened})
    return rows


def open_shelter(user, secret: bytes, shelter: Shelter, *, audit_as="shelter.read") -> OpenShelter:
    """Name and address, for a shelter coordinator holding the shelter's key; audited."""
    if not access.can_manage_shelters(user):
        raise PermissionDenied
    if not holds_key(user, shelter):
        return OpenShelter(shelter, None, occupied=occupancy(shelter))
    key = _shelter_key(user, secret, shelter)
    opened = OpenShelter(shelter, fields.open_text(key, shelter, "name"), fields.open_text(key, shelter, "address"),
                         occupancy(shelter))
    record(audit_as, actor=user, obj=shelter)
    return opened


@transaction.atomic
def update_shelter(user, secret: bytes, shelter: Shelter, name: str, address: str, capacity: int) -> int:
    """Change a shelter. A new address withdraws the copies released to cases (they would point
    to the old place); a fresh two-person release is needed. Returns how many were withdrawn."""
    if not access.can_manage_shelters(user):
        raise PermissionDenied
    if not holds_key(user, shelter):
        raise ValidationError(_("You hold no key for this shelter. Ask a shelter coordinator who does to share it."))
    shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
    name, address, capacity = _clean(name, address, capacity)
    now = occupancy(shelter)
    if capacity < now:
        raise ValidationError({"capacity": _(
            "%(now)s people are staying there today: the capacity cannot be lower.") % {"now": now}})
    key = _shelter_key(user, secret, shelter)
    moved = fields.open_text(key, shelter, "address") != address
    fields.seal_text(key, shelter, "name", name)
    fields.seal_text(key, shelter, "address", address)
    shelter.capacity = capacity
    shelter.save(update_fields=["name_sealed", "address_sealed", "capacity"])
    withdrawn = 0
    if moved:
        withdrawn = Stay.objects.filter(shelter=shelter).exclude(address_sealed=b"").update(address_sealed=b"")
    record("shelter.updated", actor=user, obj=shelter,
           details={"capacity": capacity, "address_changed": moved, "releases_withdrawn": withdrawn})
    return withdrawn


@transaction.atomic
def set_active(user, shelter: Shelter, active: bool) -> None:
    """An inactive shelter takes no new stays; stays already there are left as they are."""
    if not access.can_manage_shelters(user):
        raise PermissionDenied
    shelter.active = active
    shelter.save(update_fields=["active"])
    record("shelter.reactivated" if active else "shelter.deactivated", actor=user, obj=shelter)


# ---------------------------------------------------------------------------------------------
# Stays


def placement_choices(user, secret: bytes) -> list[tuple[Shelter, str]]:
    """Active shelters to choose from, labelled with their name (for a holder of the key) and
    today's free places. Audited like a registry page."""
    shelters = with_occupancy(access.visible_shelters(user).filter(active=True).select_related("data_key")
                              ).order_by("created_at")
    rows = list_shelters(user, secret, shelters)
    choices = []
    for row in rows:
        label = row.name if row.name is not None else _("Shelter %(ref)s (no key)") % {"ref": row.ref}
        choices.append((row.shelter, _("%(name)s — %(free)s of %(capacity)s free") % {
            "name": label, "free": row.free, "capacity": row.shelter.capacity}))
    return choices


@transaction.atomic
def place(user, case: Case, shelter: Shelter, starts_on: date, ends_on: date | None, people: int) -> Stay:
    if not access.can_place_in_shelter(user, case):
        raise PermissionDenied
    # The row lock serialises placements in one shelter, so two at once cannot overfill it.
    shelter = access.visible_shelters(user).select_for_update().filter(pk=shelter.pk).first()
    if shelter is None or not shelter.active:
        raise ValidationError({"shelter": _("Choose an active shelter.")})
    _check_stay(shelter, starts_on, ends_on, people)
    stay = Stay.objects.create(case=case, shelter=shelter, starts_on=starts_on, ends_on=ends_on, people=people)
    record("stay.created", actor=user, obj=case,
           details={"stay": str(stay.pk), "shelter": str(shelter.pk), "people": people})
    return stay


@transaction.atomic
def update_stay(user, case: Case, stay: Stay, starts_on: date, ends_on: date | None, people: int) -> None:
    if not access.can_place_in_shelter(user, case) or stay.case_id != case.pk:
        raise PermissionDenied
    shelter = Shelter.objects.select_for_update().get(pk=stay.shelter_id)
    _check_stay(shelter, starts_on, ends_on, people, exclude=stay)
    stay.starts_on, stay.ends_on, stay.people = starts_on, ends_on, people
    stay.save(update_fields=["starts_on", "ends_on", "people"])
    record("stay.updated", actor=user, obj=case, details={"stay": str(stay.pk), "people": people})


@transaction.atomic
def delete_stay(user, case: Case, stay: Stay) -> None:
    """For a stay entered by mistake. Once its address was released, end it instead: the
    record of where someone was told to go stays."""
    if not access.can_place_in_shelter(user, case) or stay.case_id != case.pk:
        raise PermissionDenied
    if stay.released_at is not None:
        raise ValidationError(_("This stay's address was released: set an end date instead of removing it."))
    Approval.objects.filter(case=case, kind="release_address", target=str(stay.pk), status="pending").update(
        status="withdrawn")
    record("stay.deleted", actor=user, obj=case, details={"stay": str(stay.pk)})
    stay.delete()


# Release status of a stay, for the case page.
RELEASED, PENDING, APPROVED, WITHDRAWN, NONE = "released", "pending", "approved", "withdrawn", "none"


def _approvals(stay: Stay):
    return Approval.objects.filter(case_id=stay.case_id, kind="release_address", target=str(stay.pk))


def _live_approval(stay: Stay) -> Approval | None:
    """A granted approval not yet carried out: decided after the last hand-over, if any (an
    address withdrawn because the shelter moved needs a new decision)."""
    approved = _approvals(stay).filter(status="approved")
    if stay.released_at is not None:
        approved = approved.filter(decided_at__gt=stay.released_at)
    return approved.order_by("-decided_at").first()


def release_status(stay: Stay) -> str:
    if stay.address_sealed:
        return RELEASED
    if _approvals(stay).filter(status="pending").exists():
        return PENDING
    if _live_approval(stay) is not None:
        return APPROVED
    return WITHDRAWN if stay.released_at is not None else NONE


def _check_releasable(case: Case, stay: Stay) -> None:
    if pipeline.disclosure_frozen(case):
        raise ValidationError(_("Infiltration is suspected: no address can be released until two coordinators "
                                "clear the case."))
    if case.state not in RELEASABLE_STATES:
        raise ValidationError(_("An address is released only for an accepted, active case — not while it is new, "
                                "in screening or vetting, out of contact, detained or closed."))
    if stay.ends_on is not None and stay.ends_on <= timezone.localdate():
        raise ValidationError(_("This stay has ended: its address is not released any more."))
    if stay.address_sealed:
        raise ValidationError(_("This address has already been released to the case's members."))


def request_release(user, case: Case, stay: Stay) -> Approval:
    """Step 1: a coordinator member asks; a second coordinator member must approve."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not access.can_request_address_release(user, case) or stay.case_id != case.pk:
            raise PermissionDenied
        _check_releasable(case, stay)
        if _live_approval(stay) is not None:
            raise ValidationError(_("The release is already approved: a shelter coordinator on this case "
                                    "must now hand the address over."))
        return request_approval(user, case, "release_address", str(stay.pk))


def _can_copy(user, case: Case, stay: Stay) -> bool:
    return access.can_hand_over_address(user, case) and holds_key(user, stay.shelter)


def _copy_address(user, secret: bytes, case: Case, stay: Stay, approval: Approval) -> None:
    """Open the address with the shelter's key and seal it under the case's key."""
    shelter = stay.shelter
    address = fields.open_text(_shelter_key(user, secret, shelter), shelter, "address")
    fields.seal_text(datakeys.open_for(case.data_key, user, secret), stay, "address", address)
    stay.released_at = timezone.now()
    stay.save(update_fields=["address_sealed", "released_at"])
    record("stay.address_released", actor=user, obj=case,
           details={"stay": str(stay.pk), "shelter": str(shelter.pk), "approval": str(approval.pk),
                    "requested_by": str(approval.requested_by.uuid), "approved_by": str(approval.decided_by.uuid)})


def release_address(user, secret: bytes, approval: Approval) -> None:
    """Step 2, run by actions.pipeline.decide as the approving coordinator, inside its
    transaction: refusing here (ValidationError) undoes the approval too."""
    case = approval.case
    stay = Stay.objects.select_for_update().select_related("shelter__data_key").filter(
        pk=approval.target, case=case).first()
    if stay is None:
        raise ValidationError(_("This stay no longer exists."))
    _check_releasable(case, stay)
    if _can_copy(user, case, stay):
        _copy_address(user, secret, case, stay, approval)


def hand_over(user, secret: bytes, case: Case, stay: Stay) -> None:
    """Step 3 when the approver did not hold the shelter's key: a shelter coordinator who is a
    member of the case carries out the granted approval."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not access.can_hand_over_address(user, case) or stay.case_id != case.pk:
            raise PermissionDenied
        stay = Stay.objects.select_for_update().select_related("shelter__data_key").get(pk=stay.pk)
        _check_releasable(case, stay)
        approval = _live_approval(stay)
        if approval is None:
            raise ValidationError(_("Two coordinators must approve the release first."))
        if not holds_key(user, stay.shelter):
            raise ValidationError(_("You hold no key for this shelter. Ask a shelter coordinator who does to "
                                    "share it."))
        _copy_address(user, secret, case, stay, approval)


@dataclass
class StayRow:
    stay: Stay
    shelter_name: str | None  # only for a shelter coordinator holding the shelter's key
    address: str | None       # only once released
    status: str
    can_hand_over: bool

    @property
    def shelter_ref(self) -> str:
        return str(self.stay.shelter_id)[:8]

    @property
    def current(self) -> bool:
        today = timezone.localdate()
        return self.stay.starts_on <= today and (self.stay.ends_on is None or self.stay.ends_on > today)


def list_stays(user, secret: bytes, case: Case) -> list[StayRow]:
    """The case's stays for its page. Opening a released address is audited
    ("stay.address_read"), and so is opening shelter names with the shelter key."""
    if not access.can_see_stays(user, case):
        raise PermissionDenied
    stays = list(case.stays.select_related("shelter__data_key").order_by("-starts_on"))
    if not stays:
        return []
    mine = _held_key_ids(user) if access.can_manage_shelters(user) else set()
    may_hand_over = access.can_hand_over_address(user, case)
    case_key = None
    rows = []
    for stay in stays:
        name = address = None
        if stay.shelter.data_key_id in mine:
            name = fields.open_text(_shelter_key(user, secret, stay.shelter), stay.shelter, "name")
        if stay.address_sealed:
            case_key = case_key or datakeys.open_for(case.data_key, user, secret)
            address = fields.open_text(case_key, stay, "address")
        status = release_status(stay)
        rows.append(StayRow(stay, name, address, status,
                            may_hand_over and status == APPROVED and stay.shelter.data_key_id in mine))
    read = [str(r.stay.pk) for r in rows if r.address is not None]
    if read:
        record("stay.address_read", actor=user, obj=case, details={"stays": read})
    named = sorted({str(r.stay.shelter_id) for r in rows if r.shelter_name is not None})
    if named:
        record("shelter.listed", actor=user, details={"shelters": named, "case": str(case.pk)})
    return rows


def default_dates() -> tuple[date, date]:
    today = timezone.localdate()
    return today, today + timedelta(days=30)


def stay_for_release(user, case: Case, stay: Stay) -> dict:
    """What the release confirmation page shows (no decryption)."""
    if not access.can_request_address_release(user, case):
        raise PermissionDenied
    return {"members": datakeys.holders(case.data_key).count(), "status": release_status(stay),
            "frozen": pipeline.disclosure_frozen(case)}

