"""France from 28 January 2024: loi n° 2024-42 du 26 janvier 2024 pour contrôler l'immigration,
améliorer l'intégration.

As far as we know the law changed none of the periods in this table: it reorganised the CNDA
(territorial chambers, a single judge by default) and created France Asile hubs. Every period is
therefore the same as in fr-2023; only the OFPRA application rule gains a note. A lawyer should
confirm that nothing else moved (see docs/deadlines.md)."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from .base import Rule, amend, days
from .france_2023 import FR_2023

FR_2024 = amend(
    FR_2023,
    name="fr-2024",
    effective_from=date(2024, 1, 28),
    law="Loi n° 2024-42 du 26 janvier 2024",
    changes=_("No period changed as far as we know. New: in a France Asile hub the OFPRA application is lodged "
              "on registration day or on the date of the summons (not computed)."),
    note=_("Published in the Journal officiel on 27 January 2024; provisions that needed no decree applied from "
           "28 January 2024 (confirm). Many asylum provisions only applied after the July 2024 decrees."),
    replace_rules=(
        Rule("ofpra_application", "guda_registration", days(21),
             _("Send the complete asylum application to OFPRA"),
             "CESEDA art. R.531-2",
             note=_("Counted from the day the asylum certificate is handed over. Late without a legitimate "
                    "reason, OFPRA may close the file. Since 18 July 2024, a request registered in a France "
                    "Asile hub (L.121-17) is lodged with OFPRA the same day or on the date on the summons "
                    "instead: this rule does not apply there.")),
    ),
)
