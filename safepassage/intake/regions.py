"""Coarse regions a person may give for themselves: plain codes, so triage and statistics work
without decrypting anything, and coarse enough not to point at anyone."""

from django.utils.translation import gettext_lazy as _

CHOICES = [
    ("RU-CE", _("Chechnya")),
    ("RU-DA", _("Dagestan")),
    ("RU-IN", _("Ingushetia")),
    ("RU-NC", _("Elsewhere in the North Caucasus")),
    ("RU-MOW", _("Moscow")),
    ("RU-SPE", _("Saint Petersburg")),
    ("RU-OTHER", _("Elsewhere in Russia")),
    ("ABROAD", _("Outside Russia")),
    ("", _("I prefer not to say")),
]
LABELS = dict(CHOICES)
