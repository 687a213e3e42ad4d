"""France from 1 January 2023: décret n° 2022-963 du 29 juin 2022 shortens the compulsory
appeal against a long-stay visa refusal (the asylum visa is one) from 2 months to 30 days."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from .base import Rule, amend, days, months
from .france_2020 import FR_2020

FR_2023 = amend(
    FR_2020,
    name="fr-2023",
    effective_from=date(2023, 1, 1),
    law="Décret n° 2022-963 du 29 juin 2022",
    changes=_("Appeal against a long-stay visa refusal to the commission: 30 days instead of 2 months; no more "
              "distance period before the Nantes court."),
    note=_("The decree applies to refusals decided from 1 January 2023. The set is chosen by the notification "
           "date, so a refusal decided in 2022 and notified in 2023 is shown with 30 days, the shorter period."),
    replace_rules=(
        Rule("visa_refusal_appeal", "visa_refused_notified", days(30),
             _("Appeal to the visa appeals commission (CRRV), compulsory before any court appeal"),
             "CESEDA art. D.312-3 et D.312-4 (décret n° 2022-963)",
             note=_("Long-stay visas go to the commission; short-stay refusals go to the sub-director of visas "
                    "instead. Only this referral keeps the time to go to court open.")),
        Rule("visa_court_appeal", "visa_appeal_rejected", months(2),
             _("Appeal to the administrative court of Nantes against the visa refusal"),
             "CJA art. R.421-1 (délai) et R.312-18 (tribunal administratif de Nantes)",
             note=_("The commission's silence for 2 months counts as a rejection: enter the day it arose.")),
    ),
)
