from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "safepassage.dossiers"
    label = "dossiers"
