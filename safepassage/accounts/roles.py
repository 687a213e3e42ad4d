"""Staff roles (DOMAIN.md). A person may hold several; none of them opens a case by itself:
reading a case always needs membership of that case."""

from django.utils.translation import gettext_lazy as _

HOTLINE = "hotline"
VETTING = "vetting"
CASEWORKER = "caseworker"
COORDINATOR = "coordinator"
SHELTER = "shelter"
LOGISTICS = "logistics"
LEGAL = "legal"
SUPPORT = "support"
TRANSLATOR = "translator"
RESEARCHER = "researcher"
LIAISON = "liaison"
DPO = "dpo"
ADMIN = "admin"

CHOICES = [
    (HOTLINE, _("Hotline operator")),
    (VETTING, _("Vetting officer")),
    (CASEWORKER, _("Caseworker")),
    (COORDINATOR, _("Coordinator")),
    (SHELTER, _("Shelter coordinator")),
    (LOGISTICS, _("Logistics")),
    (LEGAL, _("Legal adviser")),
    (SUPPORT, _("Medical or psychological support")),
    (TRANSLATOR, _("Translator")),
    (RESEARCHER, _("Documentation researcher")),
    (LIAISON, _("Partner liaison")),
    (DPO, _("Data protection officer")),
    (ADMIN, _("Organisation admin")),
]
CODES = [code for code, _label in CHOICES]
LABELS = dict(CHOICES)
