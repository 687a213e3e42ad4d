from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "safepassage.cases"
    label = "cases"

    def ready(self):
        from safepassage.accounts import navigation

        from . import access, registry, sealed
        from .actions import shelters
        from .views import deadlines, documents, people, stays, vetting, work

        navigation.register("staff_home", _("My work"), 10)
        navigation.register("cases:list", _("My cases"), 20)
        navigation.register("shelters:list", _("Shelters"), 40, access.can_manage_shelters)
        # Day-to-day work first: a missed check-in or an open alert must be the first thing a member sees.
        for order, section in enumerate([work.section, vetting.section, people.section, stays.section,
                                         documents.section, deadlines.section], start=1):
            registry.add_section(section, order * 10)
        sealed.register_own()
        registry.add_approval_kind("release_address", shelters.release_address)
