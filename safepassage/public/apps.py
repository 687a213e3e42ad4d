from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The anonymous public site: its own URLs, templates, stylesheet and settings module
    (public/settings.py), talking to intake through intake/service.py only."""

    name = "safepassage.public"
    label = "public"
