"""France from 1 January 2019: loi n° 2018-778 du 10 septembre 2018 (asylum provisions).

The full table; later sets in this package amend it rule by rule. Citations use the CESEDA
numbering in force since 1 May 2021 (ordonnance n° 2020-1733, décret n° 2020-1734), with the
former article in brackets for events before that date. No rule has been confirmed by a lawyer
yet: each note says what to check. DOMAIN.md lists where to look."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from .base import Rule, RuleSet, Suspension, days, months, working_days

LEGAL_AID = "Loi n° 91-647 du 10 juillet 1991, art. 9-4"

VISA_COURT_NOTE = _(
    "The commission's silence for 2 months counts as a rejection: enter the day it arose. People living "
    "abroad had an extra distance period (CJA R.421-7) for refusals before 2023; it is not added here, "
    "which can only make the date earlier.")

FR_2019 = RuleSet(
    name="fr-2019",
    jurisdiction="FR",
    effective_from=date(2019, 1, 1),
    law="Loi n° 2018-778 du 10 septembre 2018",
    note=_("Most asylum provisions of the 2018 law applied from 1 January 2019, some from 1 March 2019: "
           "confirm the set for events in early 2019."),
    rules=(
        # Visa
        Rule("visa_refusal_appeal", "visa_refused_notified", months(2),
             _("Appeal to the visa appeals commission (CRRV), compulsory before any court appeal"),
             "CESEDA art. D.312-3 et D.312-4 [anc. D.211-5 et D.211-6]",
             note=_("Only a referral to the commission keeps the time to go to court open.")),
        Rule("visa_court_appeal", "visa_appeal_rejected", months(2),
             _("Appeal to the administrative court of Nantes against the visa refusal"),
             "CJA art. R.421-1 (délai) et R.312-18 (tribunal administratif de Nantes)",
             note=VISA_COURT_NOTE),
        # Arrival and registration
        Rule("asylum_request_90_days", "arrival", days(90),
             _("Present the asylum request; later, OFPRA may use the accelerated procedure"),
             "CESEDA art. L.531-27 [anc. L.723-2 III]",
             note=_("Applies to a person who entered or stayed irregularly and has no legitimate reason for the "
                    "delay; someone who entered on a valid visa may not be concerned (confirm). The date that "
                    "counts is the presentation for registration, not the OFPRA application (CE, 27 November "
                    "2023, n° 467705).")),
        Rule("guda_registration_due", "asylum_request_presented", working_days(3),
             _("Registration at the GUDA due (a time limit on the prefecture)"),
             "CESEDA art. L.521-4 [anc. L.741-1]",
             note=_("The administration counts from the first presentation at the SPADA.")),
        Rule("guda_registration_due_busy", "asylum_request_presented", working_days(10),
             _("Registration at the GUDA due when many people apply at the same time"),
             "CESEDA art. L.521-4 [anc. L.741-1]"),
        # OFPRA
        Rule("ofpra_application", "guda_registration", days(21),
             _("Send the complete asylum application to OFPRA"),
             "CESEDA art. R.531-2 [anc. R.723-1]",
             note=_("Counted from the day the asylum certificate is handed over. Late without a legitimate "
                    "reason, OFPRA may close the file.")),
        Rule("ofpra_completion", "ofpra_incomplete_notified", days(8),
             _("Send OFPRA the missing items"),
             "CESEDA art. R.531-1 et suivants (article exact à trouver)",
             note=_("DOMAIN.md gives 8 more days when the application is incomplete; we did not find the "
                    "article. Counted from receipt of OFPRA's letter; whether it may end after the 21 days "
                    "is to confirm.")),
        Rule("asylum_certificate_expiry", "asylum_certificate_issued", months(1),
             _("First asylum certificate expires: renew it before this date"),
             "Arrêté du 9 octobre 2015 pris pour l'application de l'art. L.741-1 CESEDA, art. 1 et 2",
             moves_to_working_day=False,
             note=_("An expiry, not a time limit to act, so it is not moved to a working day. The date "
                    "printed on the certificate prevails.")),
        Rule("ofpra_reopening", "ofpra_file_closed", months(9),
             _("Ask the prefecture to reopen the closed file; later, a new request is a re-examination"),
             "CESEDA art. L.531-40 [anc. L.723-14]",
             strictly_within=True, moves_to_working_day=False,
             note=_("The law says \"less than nine months\": the last day shown is the day before the "
                    "9-month date, and it is never moved later. A file can be reopened only once.")),
        # CNDA
        Rule("cnda_legal_aid", "ofpra_decision_notified", days(15),
             _("Ask for legal aid for the CNDA appeal (this suspends the appeal period)"),
             LEGAL_AID,
             moves_to_working_day=False,
             note=_("Not moved to a working day on purpose: a later request does not suspend the appeal "
                    "period, and whether this limit moves past a weekend or holiday is to confirm. Legal aid "
                    "can still be asked for with the appeal itself, without suspension.")),
        Rule("cnda_appeal", "ofpra_decision_notified", months(1),
             _("Appeal to the CNDA (Cour nationale du droit d'asile)"),
             "CESEDA art. L.532-1 [anc. L.731-2]",
             suspension=Suspension(days(15), "legal_aid_requested", "legal_aid_decided", LEGAL_AID),
             note=_("A legal-aid request within 15 days stops the clock; it runs again, for the days that "
                    "remained, from the notification of the legal-aid decision (to the person and to the "
                    "lawyer: the later date). We count the day of the request as used, the earlier of two "
                    "readings. Time limits before administrative courts may be \"francs\" (one day more); "
                    "we do not add that day.")),
        # Reception housing
        Rule("cada_exit_after_protection", "protection_granted", months(3),
             _("Leave asylum-seeker housing (CADA): end of the 3 months after protection"),
             "CESEDA art. R.552-12 et R.552-13 [anc. R.744-12]",
             moves_to_working_day=False,
             note=_("The end of a right to stay, not a time limit to act: not moved to a working day. "
                    "Renewable once for 3 months with the OFII's agreement.")),
        Rule("cada_exit_after_protection_renewed", "protection_granted", months(6),
             _("Leave the CADA if the stay was renewed once (3 + 3 months)"),
             "CESEDA art. R.552-12 et R.552-13 [anc. R.744-12]",
             moves_to_working_day=False,
             note=_("Counted as 6 months from the notification; adding 3 months twice can differ by a day or "
                    "two at the end of a month (confirm).")),
        Rule("cada_exit_after_rejection", "final_rejection", months(1),
             _("Leave asylum-seeker housing (CADA) after final rejection"),
             "CESEDA art. R.552-12 [anc. R.744-12]",
             moves_to_working_day=False,
             note=_("The end of a right to stay, not a time limit to act: not moved to a working day.")),
    ),
)
