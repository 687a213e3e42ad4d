"""Dates with a precision (HURIDOCS): "2 April 2017", "April 2017", "spring 2017", "2017" or
unknown. A date is stored as the first day of its period, so it sorts and groups in SQL."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# A season starts in the month given here; winter is the one that starts in December.
SEASON_START = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}
SEASON_OF_MONTH = {m: start for start in SEASON_START for m in (start, start % 12 + 1, (start + 1) % 12 + 1)}


def normalise(day: date | None, precision: str) -> date | None:
    """The first day of the period that `day` falls in, at this precision."""
    if precision == "unknown" or day is None:
        return None
    if precision == "month":
        return day.replace(day=1)
    if precision == "season":
        start = SEASON_OF_MONTH[day.month]
        year = day.year - 1 if start == 12 and day.month < 12 else day.year
        return date(year, start, 1)
    if precision == "year":
        return date(day.year, 1, 1)
    return day


def describe(day: date | None, precision: str) -> str:
    if day is None or precision == "unknown":
        return _("date unknown")
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return date_format(day, "F Y")
    if precision == "season":
        names = {"spring": pgettext("season", "spring %(year)s"), "summer": pgettext("season", "summer %(year)s"),
                 "autumn": pgettext("season", "autumn %(year)s"),
                 "winter": pgettext("season", "winter %(year)s")}
        return names[SEASON_START[day.month]] % {"year": day.year}
    return date_format(day, "j F Y")
