from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "safepassage.evidence"
    label = "evidence"

    def ready(self):
        from safepassage.accounts import navigation, revocation
        from safepassage.cases import access, registry

        from . import case_urls
        from .actions import files, shares
        from .models import Consent, EvidenceFile, Testimony, Translation
        from .views import files as file_views
        from .views import testimonies

        navigation.register("evidence:home", _("Evidence"), 70, access.can_use_evidence_base)
        navigation.register("vocabularies:list", _("Vocabularies"), 85, access.can_edit_vocabularies)
        registry.add_section(testimonies.section, 70)
        registry.add_section(file_views.section, 80)
        registry.add_urls(case_urls.urlpatterns)
        for model, path in [(Testimony, "case"), (Consent, "testimony__case"), (Translation, "testimony__case"),
                            # each file's own key is a sealed field: its content needs no re-encryption
                            (EvidenceFile, "case")]:
            registry.add_sealed(model, path)
        registry.add_erasure_step(shares.withdraw_for_erasure)
        registry.add_erasure_step(files.delete_blobs_of_case)
        revocation.register(_take_evidence_key)


def _take_evidence_key(user, removed) -> int:
    """Someone who is no longer a documentation researcher loses the evidence base key."""
    from safepassage.accounts import roles
    from safepassage.vault import datakeys

    from .models import EvidenceKey

    if user.has_role(roles.RESEARCHER):
        return 0
    rows = EvidenceKey.objects.filter(organisation_id=user.organisation_id).select_related("data_key")
    return datakeys.revoke_from(user, [r.data_key for r in rows])
