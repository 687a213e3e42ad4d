"""French public holidays (jours fériés, Code du travail art. L.3133-1), computed for any year.

Computed rather than listed by year so that no table runs out in some future January. The
moveable feasts hang off Easter Sunday, found with the anonymous Gregorian algorithm.

Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle) adds Good Friday and 26 December. The deadline
engine does not use them: the offices it counts towards (OFPRA, the CNDA, the visa appeals
commission in Nantes) follow the national calendar, and leaving out two local holidays can only
make a date earlier, never later. Pass `alsace_moselle=True` where a local calendar is wanted.
Overseas departments' abolition-of-slavery days are not included either."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

SATURDAY = 5


@dataclass(frozen=True)
class Holiday:
    code: str
    label: str  # lazy: translated where it is shown


def easter_sunday(year: int) -> date:
    """The anonymous Gregorian algorithm (Meeus/Jones/Butcher), valid for every Gregorian year."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=512)
def holidays(year: int, alsace_moselle: bool = False) -> MappingProxyType:
    """{date: Holiday} for one year; read-only because the result is cached and shared."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): Holiday("new_year", _("New Year's Day")),
        easter + timedelta(days=1): Holiday("easter_monday", _("Easter Monday")),
        date(year, 5, 1): Holiday("labour_day", _("Labour Day")),
        date(year, 5, 8): Holiday("victory_day", _("Victory in Europe Day")),
        easter + timedelta(days=39): Holiday("ascension", _("Ascension Day")),
        easter + timedelta(days=50): Holiday("whit_monday", _("Whit Monday")),
        date(year, 7, 14): Holiday("national_day", _("National Day (14 July)")),
        date(year, 8, 15): Holiday("assumption", _("Assumption Day")),
        date(year, 11, 1): Holiday("all_saints", _("All Saints' Day")),
        date(year, 11, 11): Holiday("armistice", _("Armistice Day")),
        date(year, 12, 25): Holiday("christmas", _("Christmas Day")),
    }
    if alsace_moselle:
        days[easter - timedelta(days=2)] = Holiday("good_friday", _("Good Friday"))
        days[date(year, 12, 26)] = Holiday("st_stephen", _("St Stephen's Day (26 December)"))
    return MappingProxyType(days)


def holiday(day: date, alsace_moselle: bool = False) -> Holiday | None:
    return holidays(day.year, alsace_moselle).get(day)


def is_weekend(day: date) -> bool:
    return day.weekday() >= SATURDAY


def is_working_day(day: date, alsace_moselle: bool = False) -> bool:
    """A jour ouvré: Monday to Friday and not a public holiday."""
    return not is_weekend(day) and holiday(day, alsace_moselle) is None


def next_working_day(day: date, alsace_moselle: bool = False) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, alsace_moselle):
        day += timedelta(days=1)
    return day
