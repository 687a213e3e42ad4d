"""People in a case, links between them across cases, blind-index matches and exposure alerts.

Every typed field is sealed under the key of its case. Blind indexes (HMAC of normalised names,
phones and birth dates under the organisation's index key) are computed here, inside the staff
member's request, when they hold a grant on the index key; matches are read from the digests
alone and never open the other case."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.accounts.models import Organisation, User
from safepassage.audit.chain import record
from safepassage.vault import blind, datakeys, fields
from safepassage.vault.errors import NoAccess

from .. import access, translit
from ..models import Alert, BlindIndex, Case, ExposureEvent, IndexKey, Person, PersonLink
from ..models.people import EXPOSURE_KINDS, PERSON_ROLES

NAME_MAX, PHONE_MAX, NOTES_MAX, EXPOSURE_MAX = 200, 40, 5000, 2000


# Opened records: decrypted for one request, never cached, never logged.

@dataclass
class OpenPerson:
    person: Person
    name: str
    phone: str
    birth_date: str  # ISO 8601 or ""
    notes: str
    indexed: bool = False
    matches: list = field(default_factory=list)  # [Match], for viewers who may see matches
    exposures: list = field(default_factory=list)  # [ExposureEvent], newest first (kind and date only)
    alerts: list = field(default_factory=list)  # [OpenAlert] raised by the exposure of someone linked

    @property
    def checkable(self) -> bool:
        """Has something a blind index can be made of."""
        return bool(self.name or self.phone or self.birth_date)


@dataclass
class Match:
    """Another case of the organisation holding a person with the same name, phone or birth date.
    Only its short reference, and a link when the viewer is a member of it."""

    case_id: uuid.UUID
    short_ref: str
    member: bool
    kinds: set = field(default_factory=set)

    @property
    def labels(self) -> list[str]:
        out = []
        if "full_name" in self.kinds:
            out.append(_("Full name"))
        elif "name" in self.kinds:
            out.append(_("Part of the name"))
        if "phone" in self.kinds:
            out.append(_("Phone number"))
        if "birth_date" in self.kinds:
            out.append(_("Birth date"))
        return out


@dataclass
class OpenLink:
    link: PersonLink
    other: Person
    other_name: str | None  # None: the viewer is not a member of the other person's case
    same_case: bool
    exposure: str | None  # None: recorded in a case the viewer is not a member of
    can_remove: bool


@dataclass
class OpenExposure:
    event: ExposureEvent
    note: str


@dataclass
class OpenAlert:
    alert: Alert
    kind: str  # the exposure's label
    from_case: str  # short reference of the case where it was recorded
    concerned: list  # [OpenPerson] of this case: the exposed person or those linked to them


@dataclass
class PersonPage:
    opened: OpenPerson
    links: list
    exposures: list
    matches: list
    linked_cases: int
    alerts: list  # [OpenAlert]: open exposure alerts on this case that concern this person


@dataclass
class PeopleOverview:
    """The persons of a case with what the viewer may know about them beyond the case."""

    persons: list  # [OpenPerson] with their matches and exposures
    alerts: list  # [OpenAlert]: open exposure alerts on this case
    index_status: str  # "none" (no key yet), "held", "not_shared"
    pseudonym: str


# The organisation's blind-index key

def _index_row(organisation_id) -> IndexKey | None:
    return IndexKey.objects.filter(organisation_id=organisation_id).select_related("data_key").first()


def _index_holders_wanted(organisation_id):
    """Who holds the blind-index key: the roles that vet and match, and no one else (a coerced
    member of any other role has nothing to sweep the index with)."""
    return User.objects.filter(organisation_id=organisation_id, is_active=True, keyring__isnull=False,
                               roles__role__in=access.INDEX_ROLES).distinct()


def index_status(user) -> str:
    row = _index_row(user.organisation_id)
    if row is None:
        return "none"
    return "held" if row.data_key.grants.filter(user=user).exists() else "not_shared"


def staff_without_index_key(user) -> int:
    """How many active colleagues cannot index yet (for coordinators, who can share it)."""
    row = _index_row(user.organisation_id)
    wanted = _index_holders_wanted(user.organisation_id)
    if row is None:
        return 0
    return wanted.exclude(grants__data_key=row.data_key).count()


def _create_index_key(user) -> bytes | None:
    """Made the first time anyone indexes, sealed to every active staff member with a keyring
    and to the recovery key. The organisation row is locked so two first uses make one key."""
    org = Organisation.objects.select_for_update().get(pk=user.organisation_id)
    if _index_row(org.pk) is None:
        holders = list(_index_holders_wanted(org.pk))
        try:
            with transaction.atomic():
                data_key, key = datakeys.create(org, "index", holders, granted_by=user)
                IndexKey.objects.create(organisation=org, data_key=data_key)
        except IntegrityError:  # made meanwhile by another request (SQLite has no row lock)
            pass
        else:
            record("index_key.created", actor=user, details={"holders": [str(u.uuid) for u in holders]})
            return key
    return None  # someone else made it first: the caller opens theirs


def _open_index_key(user, secret: bytes) -> bytes | None:
    row = _index_row(user.organisation_id)
    if row is None:
        return None
    try:
        return datakeys.open_for(row.data_key, user, secret)
    except NoAccess:
        return None


def _index_key(user, secret: bytes, *, create: bool) -> bytes | None:
    """The index key, or None when this user does not hold it: not shared with them yet, or their
    role does not vet and match. Only those roles make it (whoever makes it knows it)."""
    if not user.has_role(*access.INDEX_ROLES):
        return None
    key = _open_index_key(user, secret)
    if key is None and create and _index_row(user.organisation_id) is None:
        key = _create_index_key(user)
        if key is None:
            key = _open_index_key(user, secret)
    return key


@transaction.atomic
def share_index_key(user, secret: bytes) -> int:
    """A coordinator who holds the index key seals it to every active colleague who lacks it.
    Returns how many received it."""
    if not access.can_share_index_key(user):
        raise PermissionDenied
    key = _index_key(user, secret, create=True)
    if key is None:
        raise ValidationError(_("You do not hold the blind-index key yourself. Ask a coordinator who does."))
    row = _index_row(user.organisation_id)
    lacking = list(_index_holders_wanted(user.organisation_id).exclude(grants__data_key=row.data_key))
    for member in lacking:
        datakeys.grant(row.data_key, key, member, granted_by=user)
    record("index_key.shared", actor=user, details={"members": [str(m.uuid) for m in lacking]})
    return len(lacking)


def _reindex(person: Person, index_key: bytes | None, name: str, phone: str, birth_date: str) -> bool:
    """Replace the person's digests. Without the key the old ones go too: an index must describe
    the current values or nothing."""
    BlindIndex.objects.filter(person=person).delete()
    if index_key is None:
        return False
    found = blind.digests(index_key, blind.tokens(translit.name_parts(name), phone, birth_date))
    BlindIndex.objects.bulk_create([BlindIndex(person=person, kind=k, digest=d) for k, d in sorted(found)])
    return True


# Persons

def _case_key(user, secret: bytes, case: Case) -> bytes:
    return datakeys.open_for(case.data_key, user, secret)


def _clean_person(role: str, name: str, phone: str, birth_date, notes: str) -> tuple[str, str, str, str, str]:
    name, phone, notes = (name or "").strip(), (phone or "").strip(), (notes or "").strip()
    if role not in dict(PERSON_ROLES):
        raise ValidationError(_("Choose who this person is in the case."))
    if not name:
        raise ValidationError(_("A person needs a name, even a nickname."))
    if len(name) > NAME_MAX or len(phone) > PHONE_MAX or len(notes) > NOTES_MAX:
        raise ValidationError(_("A field is too long."))
    if birth_date and birth_date > timezone.localdate():
        raise ValidationError(_("A birth date cannot be in the future."))
    return role, name, phone, birth_date.isoformat() if birth_date else "", notes


def _seal_person(key: bytes, person: Person, name: str, phone: str, birth_date: str, notes: str) -> None:
    fields.seal_text(key, person, "name", name)
    fields.seal_text(key, person, "phone", phone)
    fields.seal_text(key, person, "birth_date", birth_date)
    fields.seal_text(key, person, "notes", notes)


def _open_person(key: bytes, person: Person) -> OpenPerson:
    return OpenPerson(person, *(fields.open_text(key, person, f) for f in Person.SEALED_FIELDS))


@transaction.atomic
def create_person(user, secret: bytes, case: Case, *, role: str, name: str, phone: str = "",
                  birth_date: datetime.date | None = None, notes: str = "") -> tuple[Person, bool]:
    """Returns the person and whether they were indexed (checked against other cases)."""
    if not access.can_edit_people(user, case):
        raise PermissionDenied
    role, name, phone, birth_date, notes = _clean_person(role, name, phone, birth_date, notes)
    person = Person(case=case, role=role)
    _seal_person(_case_key(user, secret, case), person, name, phone, birth_date, notes)
    person.save()
    indexed = _reindex(person, _index_key(user, secret, create=True), name, phone, birth_date)
    record("person.created", actor=user, obj=case, details={"person": str(person.pk), "role": role,
                                                            "indexed": indexed})
    return person, indexed


@transaction.atomic
def update_person(user, secret: bytes, person: Person, *, role: str, name: str, phone: str = "",
                  birth_date: datetime.date | None = None, notes: str = "") -> bool:
    if not access.can_edit_people(user, person.case):
        raise PermissionDenied
    role, name, phone, birth_date, notes = _clean_person(role, name, phone, birth_date, notes)
    person.role = role
    _seal_person(_case_key(user, secret, person.case), person, name, phone, birth_date, notes)
    person.save()
    indexed = _reindex(person, _index_key(user, secret, create=True), name, phone, birth_date)
    record("person.updated", actor=user, obj=person.case, details={"person": str(person.pk), "role": role,
                                                                   "indexed": indexed})
    return indexed


@transaction.atomic
def delete_person(user, person: Person) -> None:
    """Their links (also those recorded in other cases), exposures and digests go with them."""
    if not access.can_delete_person(user, person.case):
        raise PermissionDenied
    case, pk = person.case, person.pk
    person.delete()
    record("person.deleted", actor=user, obj=case, details={"person": str(pk)})


def open_person(user, secret: bytes, person: Person, *, audit_as: str) -> OpenPerson:
    """One person's fields, for a form or a confirmation (audited as `audit_as`)."""
    if not access.can_edit_people(user, person.case):
        raise PermissionDenied
    opened = _open_person(_case_key(user, secret, person.case), person)
    record(audit_as, actor=user, obj=person.case, details={"person": str(person.pk)})
    return opened


@transaction.atomic
def reindex_case(user, secret: bytes, case: Case) -> int:
    """Recompute the digests of every person in the case (after the key was shared with the user,
    or after the normalisation rules changed)."""
    if not access.can_edit_people(user, case):
        raise PermissionDenied
    index_key = _index_key(user, secret, create=True)
    if index_key is None:
        raise ValidationError(_("The blind-index key has not been shared with you yet. Ask a coordinator."))
    key = _case_key(user, secret, case)
    persons = list(Person.objects.filter(case=case))
    for person in persons:
        o = _open_person(key, person)
        _reindex(person, index_key, o.name, o.phone, o.birth_date)
    record("person.reindexed", actor=user, obj=case, details={"persons": len(persons)})
    return len(persons)


# Matches (blind indexes)

def matches(user, secret: bytes, case: Case, persons: list[OpenPerson]) -> dict:
    """For each person of this case, the other cases of the organisation holding a digest equal to
    one of theirs. Nothing for viewers who may not see matches; never anything read from the
    other case but its reference."""
    if not persons or not access.can_see_matches(user, case):
        return {}
    mine = defaultdict(set)  # (kind, digest) -> ids of persons in this case
    for person_id, kind, digest in BlindIndex.objects.filter(person__case=case).values_list(
            "person_id", "kind", "digest"):
        mine[(kind, digest)].add(person_id)
    if not mine:
        return {}
    others = BlindIndex.objects.filter(
        digest__in=BlindIndex.objects.filter(person__case=case).values("digest"),
        person__case__organisation_id=case.organisation_id, person__case__erased_at__isnull=True,
    ).exclude(person__case_id=case.pk).values_list("kind", "digest", "person__case_id")
    others = list(others)
    if not others:
        return {}
    member_of = set(access.visible_cases(user).filter(pk__in={c for _, _, c in others}).values_list("pk", flat=True))
    found = defaultdict(dict)  # my person id -> other case id -> Match
    for kind, digest, other_case in others:
        for person_id in mine.get((kind, digest), ()):
            m = found[person_id].get(other_case)
            if m is None:
                m = found[person_id][other_case] = Match(other_case, str(other_case)[:8], other_case in member_of)
            m.kinds.add(kind)
    # Tags are short on purpose, so some matches are chance: the strongest first, and at most a few.
    return {pid: sorted(by_case.values(), key=lambda m: (-_strength(m), m.short_ref))[:MAX_MATCHES]
            for pid, by_case in found.items()}


MAX_MATCHES = 10
INDEX_ON_VIEW = 20  # people indexed when a holder opens a case whose people were added without the key


def _strength(m: Match) -> int:
    """More kinds, and rarer ones, make a match less likely to be chance."""
    return sum(blind.BITS[k] for k in m.kinds)


# The people of a case, for its page and the case page section

def overview(user, secret: bytes, case: Case, *, audit: bool) -> PeopleOverview:
    """`audit`: write "person.listed" (the people page); the case page has written "case.read"."""
    if not access.can_edit_people(user, case):
        raise PermissionDenied
    key = _case_key(user, secret, case)
    persons = sorted(Person.objects.filter(case=case), key=lambda p: (p.role != "applicant", p.created_at))
    indexed = set(BlindIndex.objects.filter(person__case=case).values_list("person_id", flat=True))
    # Someone without the index key (a caseworker) may have added people: a vetting officer or
    # coordinator who opens the case checks them now, a few at a time (each tag costs an Argon2id).
    index_key = _open_index_key(user, secret) if access.can_see_matches(user, case) else None
    opened, checked = [], 0
    for person in persons:
        o = _open_person(key, person)
        if person.pk not in indexed and index_key is not None and o.checkable and checked < INDEX_ON_VIEW:
            if _reindex(person, index_key, o.name, o.phone, o.birth_date):
                indexed.add(person.pk)
            checked += 1
        o.indexed = person.pk in indexed
        opened.append(o)
    if checked:
        record("person.reindexed", actor=user, obj=case, details={"persons": checked})
    by_id = {o.person.pk: o for o in opened}
    for event in ExposureEvent.objects.filter(person__case=case).order_by("-happened_on", "-recorded_at"):
        by_id[event.person_id].exposures.append(event)
    for person_id, found in matches(user, secret, case, opened).items():
        by_id[person_id].matches = found
    alerts = []
    for alert in open_alerts(user, case):
        concerned = [by_id[p] for p in (uuid.UUID(x) for x in alert.details.get("persons", [])) if p in by_id]
        opened_alert = _open_alert(alert, concerned)
        alerts.append(opened_alert)
        for o in concerned:
            o.alerts.append(opened_alert)
    if audit:
        record("person.listed", actor=user, obj=case, details={"persons": len(opened)})
    return PeopleOverview(opened, alerts, index_status(user), fields.open_text(key, case, "pseudonym"))


def _open_alert(alert: Alert, concerned: list) -> OpenAlert:
    return OpenAlert(alert, dict(EXPOSURE_KINDS).get(alert.details.get("kind"), _("Exposure")),
                     alert.details.get("from_case", ""), concerned)


def person_page(user, secret: bytes, person: Person) -> PersonPage:
    """Everything on one person's page, with one audit event naming the cases it opened."""
    case = person.case
    if not access.can_edit_people(user, case):
        raise PermissionDenied
    keys = {case.pk: _case_key(user, secret, case)}
    opened = _open_person(keys[case.pk], person)
    opened.indexed = person.blind_indexes.exists()
    links, read = _links(user, secret, person, keys)
    exposures = [OpenExposure(e, fields.open_text(keys[case.pk], e, "note"))
                 for e in person.exposures.order_by("-happened_on", "-recorded_at")]
    found = matches(user, secret, case, [opened]).get(person.pk, [])
    alerts = [_open_alert(a, [opened]) for a in open_alerts(user, case)
              if str(person.pk) in a.details.get("persons", [])]
    record("person.read", actor=user, obj=case, details={"person": str(person.pk),
                                                         "other_cases": sorted(str(c) for c in read)})
    return PersonPage(opened, links, exposures, found, len(linked_case_ids(person) - {case.pk}), alerts)


def _links(user, secret: bytes, person: Person, keys: dict) -> tuple[list, set]:
    """The person's links, both ways. The other side's name is opened only for a member of its
    case; a link's description only for a member of the case it was recorded in."""
    read = set()

    def key_for(case) -> bytes | None:
        if case.pk not in keys:
            keys[case.pk] = _case_key(user, secret, case) if access.is_member(user, case) else None
        if keys[case.pk] is not None and case.pk != person.case_id:
            read.add(case.pk)
        return keys[case.pk]

    rows = PersonLink.objects.filter(Q(a=person) | Q(b=person)).select_related(
        "a__case__data_key", "b__case__data_key", "recorded_in__data_key").order_by("created_at")
    out = []
    for link in rows:
        other = link.b if link.a_id == person.pk else link.a
        other_key = key_for(other.case)
        record_key = key_for(link.recorded_in)
        out.append(OpenLink(
            link, other,
            fields.open_text(other_key, other, "name") if other_key is not None else None,
            other.case_id == person.case_id,
            fields.open_text(record_key, link, "exposure") if record_key is not None else None,
            record_key is not None,
        ))
    return out, read


# Links

def link_candidates(user, secret: bytes, case: Case, exclude: Person) -> list[OpenPerson]:
    """The persons of one case the user is a member of, to choose the other side of a link."""
    if not access.can_edit_people(user, case):
        raise PermissionDenied
    key = _case_key(user, secret, case)
    persons = [_open_person(key, p) for p in access.persons_of(user, case).exclude(pk=exclude.pk)
               .order_by("created_at")]
    record("person.listed", actor=user, obj=case, details={"persons": len(persons), "for": "link"})
    return persons


@transaction.atomic
def link_people(user, secret: bytes, a: Person, b: Person, relation: str, exposure: str) -> PersonLink:
    """Record that b is close to a (relation) and what exposes one through the other. The
    description is sealed under the key of a's case, where the link is recorded."""
    if not access.can_link_people(user, a, b):
        raise PermissionDenied
    exposure = (exposure or "").strip()
    if a.pk == b.pk:
        raise ValidationError(_("A person cannot be linked to themselves."))
    if relation not in dict(PERSON_ROLES):
        raise ValidationError(_("Choose how they are connected."))
    if len(exposure) > EXPOSURE_MAX:
        raise ValidationError(_("The description is too long."))
    if PersonLink.objects.filter(Q(a=a, b=b) | Q(a=b, b=a)).exists():
        raise ValidationError(_("These two people are already linked."))
    link = PersonLink(recorded_in=a.case, a=a, b=b, relation=relation, created_by=user)
    fields.seal_text(_case_key(user, secret, a.case), link, "exposure", exposure)
    link.save()
    details = {"link": str(link.pk), "a": str(a.pk), "b": str(b.pk), "relation": relation}
    record("person.linked", actor=user, obj=a.case, details=details)
    if b.case_id != a.case_id:
        record("person.linked", actor=user, obj=b.case, details=details)
    return link


@transaction.atomic
def unlink(user, link: PersonLink) -> None:
    if not access.can_unlink(user, link):
        raise PermissionDenied
    details = {"link": str(link.pk), "a": str(link.a_id), "b": str(link.b_id)}
    cases = {link.a.case, link.b.case}
    link.delete()
    for case in sorted(cases, key=lambda c: str(c.pk)):
        record("person.unlinked", actor=user, obj=case, details=details)


# Exposure events and the alerts they raise

def linked_case_ids(person: Person) -> set:
    """The person's own case and every case holding a person linked to them, either way."""
    ids = {person.case_id}
    ids.update(PersonLink.objects.filter(a=person).values_list("b__case_id", flat=True))
    ids.update(PersonLink.objects.filter(b=person).values_list("a__case_id", flat=True))
    return ids


def _linked_persons(person: Person) -> dict:
    """Case id -> ids of its persons directly concerned: the person, and those linked to them."""
    concerned = defaultdict(set)
    concerned[person.case_id].add(person.pk)
    for other_id, case_id in PersonLink.objects.filter(a=person).values_list("b_id", "b__case_id"):
        concerned[case_id].add(other_id)
    for other_id, case_id in PersonLink.objects.filter(b=person).values_list("a_id", "a__case_id"):
        concerned[case_id].add(other_id)
    return concerned


@transaction.atomic
def record_exposure(user, secret: bytes, person: Person, kind: str, happened_on: datetime.date,
                    note: str) -> tuple[ExposureEvent, list]:
    """Detained, phone seized, disappeared, outed: everyone linked to the person is in danger.
    In one transaction: the event, an alert on the person's case and on every linked case, and
    urgency "in danger now" on all of them. Returns the event and the alerted cases."""
    case = person.case
    if not access.can_edit_people(user, case):
        raise PermissionDenied
    note = (note or "").strip()
    if kind not in dict(EXPOSURE_KINDS):
        raise ValidationError(_("Choose what happened."))
    if happened_on is None or happened_on > timezone.localdate():
        raise ValidationError(_("Give the date it happened; it cannot be in the future."))
    if len(note) > NOTES_MAX:
        raise ValidationError(_("The note is too long."))
    event = ExposureEvent(person=person, kind=kind, happened_on=happened_on, recorded_by=user)
    fields.seal_text(_case_key(user, secret, case), event, "note", note)
    event.save()
    concerned = _linked_persons(person)
    alerted = list(Case.objects.filter(pk__in=concerned, erased_at__isnull=True).order_by("pk"))
    record("person.exposure", actor=user, obj=case, details={
        "person": str(person.pk), "exposure": str(event.pk), "kind": kind,
        "alerted": [str(c.pk) for c in alerted]})
    for target in alerted:
        alert = Alert.objects.create(case=target, kind="exposure", details={
            "kind": kind, "from_case": case.short_ref, "persons": sorted(str(p) for p in concerned[target.pk])})
        record("case.exposure_alert", actor=user, obj=target, details={
            "alert": str(alert.pk), "kind": kind, "from_case": case.short_ref})
    Case.objects.filter(pk__in=[c.pk for c in alerted]).update(urgency=1, updated_at=timezone.now())
    return event, alerted


def open_alerts(user, case: Case):
    """Unresolved exposure alerts on a case, for its members."""
    if not access.is_member(user, case):
        return Alert.objects.none()
    return case.alerts.filter(kind="exposure", resolved_at__isnull=True).order_by("-raised_at")
