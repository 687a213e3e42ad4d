from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "safepassage.dossiers"
    label = "dossiers"

    def ready(self):
        # Registered with cases whatever entry point (web, command, test) loaded Django.
        from safepassage.cases import registry

        from . import case_urls, erasure, views
        from .actions import disclosures
        from .models import Disclosure, DisclosureItem, Dossier, Redaction

        registry.add_section(views.section, 90)
        registry.add_urls(case_urls.urlpatterns)
        # A dossier's own key is a sealed field, as an evidence file's is.
        for model, path in [(Dossier, "case"), (Redaction, "case"), (Disclosure, "case"),
                            (DisclosureItem, "disclosure__case")]:
            registry.add_sealed(model, path)
        registry.add_erasure_step(erasure.delete_files_of_case)
        # Sending outside is a two-person approval of kind "export", decided on the disclosure's page.
        registry.add_approval_kind("export", disclosures.execute_approved, disclosures.review_page)
        registry.add_on_suspicion(disclosures.stop_links_of_case)
