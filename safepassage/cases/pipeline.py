"""The case pipeline (DOMAIN.md): states and their labels. The transition table with roles,
preconditions and two-person approvals is built on this list."""

from django.utils.translation import gettext_lazy as _

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
