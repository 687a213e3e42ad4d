"""The dated events that start a period, and the facts that change one. Codes are stored in
CaseEvent.code (40 characters at most) and passed to the deadline engine; labels are for forms.
Each hint says which date to enter, because "the date" of a decision is the date it was
notified, not the date printed at its top."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Event:
    code: str
    label: str
    hint: str
    fact: bool = False  # a fact changes another event's period instead of starting one


EVENTS = {event.code: event for event in (
    Event("visa_refused_notified", _("Visa refusal notified"),
          _("The day the consulate's refusal was handed over or received.")),
    Event("visa_appeal_rejected", _("Visa appeal rejected by the commission"),
          _("The day the commission's rejection was received, or the day its silence became a rejection.")),
    Event("arrival", _("Arrival in France"),
          _("The day the person entered France.")),
    Event("asylum_request_presented", _("Asylum request presented (SPADA pre-registration)"),
          _("The day the request was first presented to the SPADA or the prefecture.")),
    Event("guda_registration", _("Asylum registered at the GUDA"),
          _("The day the prefecture registered the request and handed over the asylum certificate.")),
    Event("asylum_certificate_issued", _("Asylum certificate issued"),
          _("The issue date printed on the certificate.")),
    Event("ofpra_incomplete_notified", _("OFPRA asked for missing items"),
          _("The day OFPRA's letter saying the application is incomplete was received.")),
    Event("ofpra_file_closed", _("OFPRA closed the file"),
          _("The date of OFPRA's closure decision.")),
    Event("ofpra_decision_notified", _("OFPRA decision notified"),
          _("The day OFPRA's decision was notified (the date on the postal acknowledgement).")),
    Event("protection_granted", _("Protection granted"),
          _("The day the decision granting refugee status or subsidiary protection was notified.")),
    Event("final_rejection", _("Asylum finally rejected"),
          _("The day the CNDA's decision was notified, or the day the time to appeal OFPRA's decision ran out.")),
    Event("legal_aid_requested", _("Legal aid requested for the CNDA appeal"),
          _("The day the legal-aid request reached the CNDA's legal-aid office."), fact=True),
    Event("legal_aid_decided", _("Legal-aid decision notified"),
          _("The later of the days the legal-aid decision was notified to the person and to their lawyer."),
          fact=True),
)}

# The procedures an asylum certificate can be issued under (fact `procedure`).
PROCEDURES = {
    "normal": _("normal procedure"),
    "accelerated": _("accelerated procedure"),
    "dublin": _("Dublin procedure"),
}
