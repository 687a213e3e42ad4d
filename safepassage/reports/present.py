"""How categories and figures read, in the reader's language: shared by the staff pages, the
charts and the exported files."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import cube

VOCABULARY_OF = {"act_type": "act_type", "perpetrator": "perpetrator_type", "region": "region"}


def language() -> str:
    code = (get_language() or "en").split("-")[0]
    return code if code in ("en", "fr", "ru") else "en"


def dimension_label(dim: str) -> str:
    return {"act_type": _("Act type"), "perpetrator": _("Perpetrator"), "period": _("Period"),
            "region": _("Region")}[dim]


def level_label(dim: str, level: str) -> str:
    return {("period", "year"): _("by year"), ("period", "month"): _("by month"),
            ("region", "country"): _("by country"), ("region", "region"): _("by region")}.get((dim, level), "")


def category_label(labels: dict, dim: str, level: str, value: str) -> str:
    if value == cube.ALL:
        return _("All")
    if value == cube.UNKNOWN:
        return _("Not known")
    if dim in VOCABULARY_OF:
        found = labels.get(f"{VOCABULARY_OF[dim]}:{value}")
        return found[language()] if found else value.upper()
    if value.endswith("-??"):
        return _("%(year)s, month not known") % {"year": value[:4]}
    if level == "month" or len(value) == 7:
        return date_format(date(int(value[:4]), int(value[5:7]), 1), "F Y")
    return value


def qualifier_label(qualifier: str | None) -> str:
    return {"exact": "", "at_least": _("at least"), "about": _("about")}.get(qualifier or "", "")


def notes(payload: dict) -> list[str]:
    hidden = payload["hidden"]
    return [
        _("These are counts of documented acts: the real numbers are likely to be higher."),
        _("A figure is hidden when what the organisation alone knows of it is below %(n)s, or so that such a "
          "figure cannot be worked out from the totals or from an earlier release. A hidden figure may be 0.")
        % {"n": payload["threshold"]},
        _("A figure below %(n)s is shown only when every act it counts stands in a cited public source. Where "
          "only part of a figure does, that part is shown as 'at least', with its sources, and the rest is hidden.")
        % {"n": payload["threshold"]},
        _("Nothing here names a person, a case, a place below the region, a destination or a shelter."),
        # Only the total: saying how many hidden figures are small would let a reader pin them down.
        _("%(cells)s figures hidden.") % {"cells": hidden["cells"]},
    ]
