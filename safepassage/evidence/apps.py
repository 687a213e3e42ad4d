from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "safepassage.evidence"
    label = "evidence"
