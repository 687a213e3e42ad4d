from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "safepassage.intake"
    label = "intake"

    def ready(self):
        from safepassage.accounts import navigation, revocation
        from safepassage.cases import registry
        from safepassage.vault import datakeys
        from safepassage.vault.models import DataKey

        from . import access
        from .erasure import erase_thread_of_case
        from .models import Thread
        from .views import case_section

        navigation.register("intake_staff:queue", _("Intake"), 30, access.can_work_intake)
        # The conversation with the applicant, first on the case page.
        registry.add_section(case_section, 5)
        # A case's members hold the key of the request it came from, and lose it with the case's.
        registry.add_linked_keys(lambda case: DataKey.objects.filter(thread__case=case))
        registry.add_erasure_step(erase_thread_of_case)
        registry.add_identifiers(lambda case: Thread.objects.filter(case=case).values_list("pk", flat=True))
        datakeys.register_extra(Thread, "receipt_wrapped_key", "receipt")
        revocation.register(_take_waiting_requests)


def _take_waiting_requests(user, removed) -> int:
    """Someone who left the intake team loses the requests still waiting (those that became cases
    belong to the case's members)."""
    from safepassage.vault import datakeys

    from .models import Thread
    from .team import INTAKE_ROLES

    if user.has_role(*INTAKE_ROLES):
        return 0
    rows = Thread.objects.filter(organisation_id=user.organisation_id, case__isnull=True).select_related("data_key")
    return datakeys.revoke_from(user, [t.data_key for t in rows])
