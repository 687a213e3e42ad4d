from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "safepassage.dossiers"
    label = "dossiers"

    def ready(self):
        # Registers the "export" approval kind and the suspicion hook with the cases pipeline,
        # whatever entry point (web, command, test) loaded Django.
        from .actions import disclosures  # noqa: F401
