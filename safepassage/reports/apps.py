from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "safepassage.reports"
    label = "reports"

    def ready(self):
        from safepassage.accounts import navigation
        from safepassage.cases import access

        navigation.register("statistics:overview", _("Statistics"), 80, access.can_use_evidence_base)
