from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional demo organisation (`safepassage demo`, `demo-totp`). The one app that may
    compose every other: it seeds them all through their own actions."""

    name = "safepassage.demo"
    label = "demo"
