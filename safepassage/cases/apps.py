from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "safepassage.cases"
    label = "cases"

    def ready(self):
        from safepassage.accounts import navigation, revocation

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
        revocation.register(_take_case_keys)


def _take_case_keys(user, removed) -> int:
    """Losing the shelter role takes the shelters' keys; no longer vetting or coordinating takes the
    blind-index key (cases/access.py INDEX_ROLES)."""
    from safepassage.accounts import roles
    from safepassage.vault import datakeys

    from . import access
    from .models import IndexKey, Shelter

    keys = []
    if not user.has_role(roles.SHELTER):
        keys += [s.data_key for s in Shelter.objects.filter(organisation_id=user.organisation_id)
                 .select_related("data_key")]
    if not user.has_role(*access.INDEX_ROLES):
        keys += [i.data_key for i in IndexKey.objects.filter(organisation_id=user.organisation_id)
                 .select_related("data_key")]
    return datakeys.revoke_from(user, keys) if keys else 0
