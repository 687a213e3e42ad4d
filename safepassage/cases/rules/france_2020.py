"""France from 11 May 2020: the first asylum certificate is valid for 10 months (normal
procedure) or 6 months (accelerated) instead of 1 month; 1 month still in the Dublin procedure."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from .base import Rule, amend, months
from .france_2019 import FR_2019

CERTIFICATE = "Arrêté du 9 octobre 2015 modifié par l'arrêté du 5 mai 2020 (NOR INTV2011008A)"
EXPIRY_NOTE = _("An expiry, not a time limit to act, so it is not moved to a working day. The date printed on "
                "the certificate prevails. Renewals (6 months; 4 months under Dublin) are not computed.")

FR_2020 = amend(
    FR_2019,
    name="fr-2020",
    effective_from=date(2020, 5, 11),
    law="Arrêté du 5 mai 2020 modifiant l'arrêté du 9 octobre 2015",
    changes=_("First asylum certificate: 10 months (normal procedure) or 6 months (accelerated) instead of "
              "1 month; 1 month in the Dublin procedure."),
    note=_("Applies to requests registered from 11 May 2020 (arrêté du 5 mai 2020, art. 2)."),
    remove=("asylum_certificate_expiry",),
    add=(
        Rule("asylum_certificate_expiry_normal", "asylum_certificate_issued", months(10),
             _("First asylum certificate expires (normal procedure): renew it before this date"),
             f"{CERTIFICATE}, art. 1 1°", moves_to_working_day=False, procedure="normal", note=EXPIRY_NOTE),
        Rule("asylum_certificate_expiry_accelerated", "asylum_certificate_issued", months(6),
             _("First asylum certificate expires (accelerated procedure): renew it before this date"),
             f"{CERTIFICATE}, art. 1 2°", moves_to_working_day=False, procedure="accelerated", note=EXPIRY_NOTE),
        Rule("asylum_certificate_expiry_dublin", "asylum_certificate_issued", months(1),
             _("First asylum certificate expires (Dublin procedure): renew it before this date"),
             f"{CERTIFICATE}, art. 2", moves_to_working_day=False, procedure="dublin", note=EXPIRY_NOTE),
    ),
)
