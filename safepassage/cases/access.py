"""The access policy for cases and everything kept on a case (vetting, people, shelters,
documents, testimonies, files, dossiers) and for the evidence base: the ONE place that answers
"may this user see or do this?" about them.

Every view and every action asks here. Roles say what kind of work a person does; they never
open a case by themselves. Reading a case needs a grant on its data key (membership), so an
organisation admin sees no case data unless they are also a member of that case.

The rules about staff accounts and the audit log are in accounts/access.py, and those about
anonymous requests in intake/access.py: each layer decides about what it owns, and none asks
a layer above it (docs/architecture.md)."""

from safepassage.accounts import roles
from safepassage.accounts.access import is_staff as _staff

# Cases

def visible_cases(user):
    """The cases this user may open: live cases of their organisation on which they hold a grant."""
    from .models import Case

    if not _staff(user) or user.role_codes == {roles.RESEARCHER}:
        # Someone who is only a documentation researcher sees what was done, never to whom, even
        # if they held a grant from an earlier role.
        return Case.objects.none()
    return Case.objects.filter(organisation_id=user.organisation_id, erased_at__isnull=True,
                               data_key__grants__user=user)


TRIAGE_STATES = ("new", "screening", "vetting", "suspected_infiltration", "lost_contact", "detained")


def triage_queue(user):
    """The user's cases that still need a decision or are in trouble: most dangerous first,
    then longest waiting."""
    return visible_cases(user).filter(state__in=TRIAGE_STATES).order_by("urgency", "created_at")


def approvals_for(user):
    """Pending two-person approvals this user could give (coordinator, member, not the asker)."""
    from .models import Approval

    if not (_staff(user) and user.has_role(roles.COORDINATOR)):
        return Approval.objects.none()
    return Approval.objects.filter(status="pending", case__in=visible_cases(user)).exclude(requested_by=user)


def is_member(user, case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


def can_create_case(user) -> bool:
    return _staff(user) and user.has_role(roles.COORDINATOR, roles.CASEWORKER, roles.HOTLINE)


def can_view_case(user, case) -> bool:
    return is_member(user, case)


def can_edit_case(user, case) -> bool:
    return is_member(user, case)


def can_take_transition(user, case, transition) -> bool:
    """A step of the pipeline (cases/pipeline.py): members whose role the transition table lists."""
    return can_edit_case(user, case) and user.has_role(*transition.roles)


def can_request_approval(user, case) -> bool:
    """Asking for a two-person approval: a coordinator who is a member of the case."""
    return is_member(user, case) and user.has_role(roles.COORDINATOR)


def can_decide_approval(user, approval) -> bool:
    """Giving it: a different coordinator, also a member of the case, while it is pending."""
    return (approval.status == "pending" and approval.requested_by_id != user.pk
            and can_request_approval(user, approval.case))


def can_withdraw_approval(user, approval) -> bool:
    """Taking a request back: only who asked, while it is pending."""
    return approval.status == "pending" and approval.requested_by_id == user.pk


def can_record_events(user, case) -> bool:
    """Dated legal events feed the deadlines: legal advisers, caseworkers and coordinators."""
    return is_member(user, case) and user.has_role(roles.LEGAL, roles.CASEWORKER, roles.COORDINATOR)


def can_manage_members(user, case) -> bool:
    return is_member(user, case) and user.has_role(roles.COORDINATOR)


def can_erase_case(user, case) -> bool:
    return is_member(user, case) and user.has_role(roles.COORDINATOR)


def can_be_member(user, case) -> bool:
    """Who may be added to a case: active staff of the same organisation with a keyring, except
    someone who is only a documentation researcher (they see what was done, never to whom)."""
    return (bool(user.is_active) and user.organisation_id == case.organisation_id
            and hasattr(user, "keyring") and user.role_codes != {roles.RESEARCHER})


def member_candidates(case):
    """Staff who could be added to the case and are not members yet."""
    from safepassage.accounts.models import User

    researchers_only = User.objects.filter(roles__role=roles.RESEARCHER).exclude(
        roles__role__in=[c for c in roles.CODES if c != roles.RESEARCHER])
    return (User.objects.filter(organisation_id=case.organisation_id, is_active=True, keyring__isnull=False)
            .exclude(grants__data_key_id=case.data_key_id).exclude(pk__in=researchers_only).order_by("username"))


# Vetting and work

def can_edit_vetting(user, case) -> bool:
    """Vetting officers and coordinators fill in the vetting; every member of the case reads it."""
    return is_member(user, case) and user.has_role(roles.VETTING, roles.COORDINATOR)


def can_work_on(user, case) -> bool:
    """Notes, tasks, check-ins and alerts: every member of the case."""
    return is_member(user, case)


def can_delete_note(user, note) -> bool:
    """Only the author deletes a note (and only while still a member)."""
    return note.author_id == user.pk and is_member(user, note.case)


def can_set_checkin_cadence(user, case) -> bool:
    return is_member(user, case) and user.has_role(roles.COORDINATOR)


def case_members(case):
    """Active staff holding a grant on the case's key: the only people a task can go to."""
    from safepassage.accounts.models import User

    return User.objects.filter(grants__data_key_id=case.data_key_id, is_active=True,
                               organisation_id=case.organisation_id).order_by("username")


# Shelters. The registry is for shelter coordinators; reading a shelter's name or address also
# needs a grant on that shelter's key. A case's members see an address only once two
# coordinators released it (actions/shelters.py).

def can_manage_shelters(user) -> bool:
    return _staff(user) and user.has_role(roles.SHELTER)


def visible_shelters(user):
    from .models import Shelter

    if not can_manage_shelters(user):
        return Shelter.objects.none()
    return Shelter.objects.filter(organisation_id=user.organisation_id)


def shelter_coordinators(organisation):
    """Who may hold shelter keys: active shelter coordinators of the organisation with a keyring."""
    from safepassage.accounts.models import User

    return User.objects.filter(organisation=organisation, is_active=True, roles__role=roles.SHELTER,
                               keyring__isnull=False).distinct()


def can_see_stays(user, case) -> bool:
    return is_member(user, case)


def can_place_in_shelter(user, case) -> bool:
    """Placing, changing and ending stays: a shelter coordinator who is a member of the case."""
    return is_member(user, case) and user.has_role(roles.SHELTER)


def can_request_address_release(user, case) -> bool:
    return is_member(user, case) and user.has_role(roles.COORDINATOR)


def can_hand_over_address(user, case) -> bool:
    """Copying an approved address into the case needs both keys: a shelter coordinator member."""
    return is_member(user, case) and user.has_role(roles.SHELTER)


# Documents

def can_see_documents(user, case) -> bool:
    return is_member(user, case)


def can_edit_documents(user, case) -> bool:
    """The documents register: every member of the case keeps it up to date."""
    return is_member(user, case)


# People

def persons_of(user, case):
    """The persons of a case: all of them for a member, none for anyone else."""
    from .models import Person

    if not is_member(user, case):
        return Person.objects.none()
    return Person.objects.filter(case=case)


def visible_persons(user):
    """Persons in every case this user may open (the other side of a link is chosen here)."""
    from .models import Person

    return Person.objects.filter(case__in=visible_cases(user))


def can_edit_people(user, case) -> bool:
    """Add and edit persons, record links and exposures: every member of the case."""
    return is_member(user, case)


def can_delete_person(user, case) -> bool:
    """Deleting a person also deletes their links recorded in other cases: coordinators."""
    return is_member(user, case) and user.has_role(roles.COORDINATOR)


def can_link_people(user, a, b) -> bool:
    """Linking two persons needs membership of both their cases (or of their one case)."""
    return is_member(user, a.case) and is_member(user, b.case)


def can_unlink(user, link) -> bool:
    """A link is removed from the case it was recorded in, whose key seals its description."""
    return is_member(user, link.recorded_in)


# The roles that vet and match: the only ones holding the blind-index key.
INDEX_ROLES = (roles.VETTING, roles.COORDINATOR)


def can_see_matches(user, case) -> bool:
    """Blind-index matches with other cases: vetting officers and coordinators who are members of
    this case. They see the kind of match and the other case's short reference, and open it only
    if a member."""
    return is_member(user, case) and user.has_role(*INDEX_ROLES)


def can_share_index_key(user) -> bool:
    return _staff(user) and user.has_role(roles.COORDINATOR)


def can_resolve_alert(user, alert) -> bool:
    return is_member(user, alert.case)


# Evidence (evidence/): testimonies, their consents and translations. Membership of the case is
# always needed; the role says what kind of work on a testimony a member does.

TESTIMONY_ROLES = (roles.CASEWORKER, roles.COORDINATOR, roles.LEGAL, roles.SUPPORT, roles.TRANSLATOR)
CONSENT_ROLES = (roles.CASEWORKER, roles.COORDINATOR, roles.LEGAL)


def can_see_testimonies(user, case) -> bool:
    return is_member(user, case) and user.has_role(*TESTIMONY_ROLES)


def can_record_testimony(user, case) -> bool:
    return is_member(user, case) and user.has_role(*TESTIMONY_ROLES)


def can_record_consent(user, case) -> bool:
    """Recording and withdrawing consent: caseworkers, coordinators and legal advisers."""
    return is_member(user, case) and user.has_role(*CONSENT_ROLES)


def can_translate(user, case) -> bool:
    return is_member(user, case) and user.has_role(roles.TRANSLATOR)


def can_edit_vocabularies(user) -> bool:
    """The controlled vocabularies (act, perpetrator and source types): organisation admins."""
    return _staff(user) and user.has_role(roles.ADMIN)


# The evidence base (evidence/): events, acts, victims and sources, testimonies shared by cases,
# statistics. It belongs to the documentation researchers, who hold its key and never a case's:
# they see what was done, never to which case.

def can_use_evidence_base(user) -> bool:
    return _staff(user) and user.has_role(roles.RESEARCHER)


def can_share_testimony(user, case) -> bool:
    """Giving a redacted copy to the researchers: those who record consent, on their case."""
    return can_record_consent(user, case)


# Files with a chain of custody, on a case. Every member sees and adds working copies; the
# untouched original (metadata and all) and exports are for coordinators and legal advisers.

FILE_ORIGINAL_ROLES = (roles.COORDINATOR, roles.LEGAL)


def can_see_case_files(user, case) -> bool:
    return is_member(user, case)


def can_add_case_files(user, case) -> bool:
    return is_member(user, case)


def can_handle_original(user, case) -> bool:
    """Opening the original, checking its integrity and exporting it with its custody log."""
    return is_member(user, case) and user.has_role(*FILE_ORIGINAL_ROLES)


def _organisation_path(model) -> str:
    return "event__organisation_id" if model.__name__ == "Act" else "organisation_id"  # an act is its event's


def evidence_records(user, model):
    """The records of the evidence base this user may open: their organisation's, if they are a
    researcher."""
    if not can_use_evidence_base(user):
        return model.objects.none()
    return model.objects.filter(**{_organisation_path(model): user.organisation_id})


def can_work_on_evidence(user, *records) -> bool:
    """A researcher, working on records of their own organisation (sources, events, acts, victims,
    merges, releases)."""
    def organisation_of(rec):
        return rec.event.organisation_id if type(rec).__name__ == "Act" else rec.organisation_id

    return can_use_evidence_base(user) and all(organisation_of(r) == user.organisation_id for r in records)


# Dossiers and disclosures (dossiers/). Making a dossier and asking to send it outside: the
# members who work on a person's file; approving a disclosure: a second coordinator who is a
# member (the two-person rule of access.can_decide_approval).

DOSSIER_ROLES = (roles.CASEWORKER, roles.COORDINATOR, roles.LEGAL)


def can_make_dossier(user, case) -> bool:
    return is_member(user, case) and user.has_role(*DOSSIER_ROLES)


def can_request_disclosure(user, case) -> bool:
    return is_member(user, case) and user.has_role(*DOSSIER_ROLES)


def can_see_disclosures(user, case) -> bool:
    """The disclosure log of a case: every member may see what left and why."""
    return is_member(user, case)


def can_redact(user, case) -> bool:
    return is_member(user, case) and user.has_role(*CONSENT_ROLES)
