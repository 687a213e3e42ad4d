"""The case pipeline (DOMAIN.md) as data: states, and the transition table with the roles
allowed, preconditions, and which transitions need a second coordinator's approval."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from safepassage.accounts import roles as R

STATE_CHOICES = [
    ("new", _("New")),
    ("screening", _("Screening")),
    ("vetting", _("Vetting")),
    ("accepted", _("Accepted")),
    ("evacuating", _("Evacuating")),
    ("sheltered", _("Sheltered")),
    ("documents", _("Documents")),
    ("referred", _("Referred")),
    ("visa_submitted", _("Visa submitted")),
    ("visa_granted", _("Visa granted")),
    ("visa_refused", _("Visa refused")),
    ("travel", _("Travel")),
    ("arrived", _("Arrived")),
    ("asylum_registered", _("Asylum registered")),
    ("asylum_lodged", _("Asylum lodged")),
    ("interview", _("Interview")),
    ("decision", _("Decision")),
    ("appeal", _("Appeal")),
    ("closed", _("Closed")),
    # Side states, reachable from any active state.
    ("suspected_infiltration", _("Suspected infiltration")),
    ("lost_contact", _("Lost contact")),
    ("detained", _("Detained")),
    ("withdrawn", _("Withdrawn")),
    ("declined", _("Declined")),
    ("deceased", _("Deceased")),
]

# ---------------------------------------------------------------------------------------------
# The transition table. Data, read by actions/pipeline.py and by the case page ("next steps").

LABELS = dict(STATE_CHOICES)
SIDE_STATES = ("suspected_infiltration", "lost_contact", "detained", "withdrawn", "declined", "deceased")
FINAL_STATES = ("closed",)
ACTIVE_STATES = tuple(code for code, _label in STATE_CHOICES if code not in SIDE_STATES + FINAL_STATES)
# Side states a case comes back from, to the state it was in before.
RETURNING_STATES = ("suspected_infiltration", "lost_contact", "detained")

CLOSING_REASONS = [
    ("protected", _("Protected")),
    ("relocated", _("Relocated elsewhere")),
    ("withdrew", _("Withdrew")),
    ("declined", _("Declined")),
    ("lost", _("Lost")),
    ("deceased", _("Deceased")),
]

CASEWORK = frozenset({R.CASEWORKER, R.COORDINATOR})
LEGAL = frozenset({R.LEGAL, R.CASEWORKER, R.COORDINATOR})


@dataclass(frozen=True)
class Transition:
    sources: tuple
    target: str
    roles: frozenset
    needs: tuple = ()         # precondition codes, see PRECONDITIONS
    two_person: bool = False  # a second coordinator, member of the case, must approve


# Preconditions: code -> (label shown when unmet, test on the case).
PRECONDITIONS = {
    "vetting_complete": (_("the vetting checklist is complete"),
                         lambda case: hasattr(case, "vetting") and case.vetting.complete),
}

TRANSITIONS = [
    Transition(("new",), "screening", frozenset({R.HOTLINE, R.VETTING}) | CASEWORK),
    Transition(("screening",), "vetting", frozenset({R.VETTING, R.COORDINATOR})),
    Transition(("vetting",), "accepted", frozenset({R.COORDINATOR}), ("vetting_complete",), two_person=True),
    Transition(("accepted",), "evacuating", frozenset({R.LOGISTICS, R.COORDINATOR})),
    Transition(("accepted", "evacuating"), "sheltered", frozenset({R.SHELTER, R.COORDINATOR})),
    Transition(("accepted", "evacuating", "sheltered"), "documents", LEGAL),
    Transition(("documents",), "referred", frozenset({R.LEGAL, R.COORDINATOR})),
    Transition(("documents", "referred"), "visa_submitted", LEGAL),
    Transition(("visa_submitted",), "visa_granted", LEGAL),
    Transition(("visa_submitted",), "visa_refused", LEGAL),
    Transition(("visa_refused",), "visa_submitted", LEGAL),
    Transition(("visa_granted",), "travel", frozenset({R.LOGISTICS, R.COORDINATOR})),
    Transition(("travel",), "arrived", frozenset({R.LOGISTICS}) | CASEWORK),
    Transition(("arrived",), "asylum_registered", LEGAL),
    Transition(("asylum_registered",), "asylum_lodged", LEGAL),
    Transition(("asylum_lodged",), "interview", LEGAL),
    Transition(("interview",), "decision", LEGAL),
    Transition(("decision",), "appeal", LEGAL),
    Transition(("appeal",), "decision", LEGAL),
    # Side states, from any active state.
    Transition(ACTIVE_STATES, "suspected_infiltration", frozenset({R.VETTING, R.COORDINATOR})),
    Transition(ACTIVE_STATES, "lost_contact", frozenset({R.HOTLINE}) | CASEWORK),
    Transition(ACTIVE_STATES, "detained", frozenset({R.HOTLINE}) | CASEWORK),
    Transition(ACTIVE_STATES, "withdrawn", CASEWORK),
    Transition(ACTIVE_STATES, "declined", frozenset({R.COORDINATOR})),
    Transition(ACTIVE_STATES + ("lost_contact", "detained"), "deceased", frozenset({R.COORDINATOR})),
    # Closing.
    Transition(ACTIVE_STATES + ("withdrawn", "declined", "deceased", "lost_contact", "detained"), "closed",
               frozenset({R.COORDINATOR})),
]

# Back from a returning side state to `previous_state`. Clearing a suspicion of infiltration
# unfreezes disclosure, so it takes two coordinators.
RESUME = "resume"
RESUME_RULES = {
    "suspected_infiltration": Transition(("suspected_infiltration",), RESUME, frozenset({R.COORDINATOR}),
                                         two_person=True),
    "lost_contact": Transition(("lost_contact",), RESUME, frozenset({R.HOTLINE}) | CASEWORK),
    "detained": Transition(("detained",), RESUME, CASEWORK),
}


def transitions_from(state: str) -> list[Transition]:
    found = [t for t in TRANSITIONS if state in t.sources]
    if state in RESUME_RULES:
        found.append(RESUME_RULES[state])
    return found


def find(state: str, target: str) -> Transition | None:
    return next((t for t in transitions_from(state) if t.target == target), None)


def unmet(transition: Transition, case) -> list:
    return [PRECONDITIONS[code][0] for code in transition.needs if not PRECONDITIONS[code][1](case)]


def disclosure_frozen(case) -> bool:
    """While infiltration is suspected nothing leaves the case: no reply to the applicant, no
    address release, no export."""
    return case.state == "suspected_infiltration"
