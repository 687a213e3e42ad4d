from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running an installation: serving the site. It stands above every app (it starts them),
    and no app imports it."""

    name = "safepassage.ops"
    label = "ops"
