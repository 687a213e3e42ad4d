"""The rule tables, one module per version of the law, each amending the one before.

To add a version: write a module that amends the latest set (see france_2024.py), list it in
RULESETS and in docs/deadlines.md. Rule sets are chosen by the date of the event."""

from .base import NOT_CONFIRMED, Period, Rule, RuleSet, Suspension, Unit
from .events import EVENTS, PROCEDURES, Event
from .france_2019 import FR_2019
from .france_2020 import FR_2020
from .france_2023 import FR_2023
from .france_2024 import FR_2024

RULESETS = (FR_2019, FR_2020, FR_2023, FR_2024)

__all__ = ["EVENTS", "NOT_CONFIRMED", "PROCEDURES", "RULESETS", "Event", "Period", "Rule", "RuleSet", "Suspension",
           "Unit"]
