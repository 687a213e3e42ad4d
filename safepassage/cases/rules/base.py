"""The shapes of the rule tables: a Rule is data (what triggers it, how long, what falls due, and
the text that says so), a RuleSet is the rules in force from one date in one jurisdiction.

Nothing here computes a date; the engine in cases/deadlines.py does. Keeping the tables free of
code means a legal adviser can review a rule set module line by line against the law."""

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

NOT_CONFIRMED = _("not confirmed by a lawyer")


class Unit(StrEnum):
    DAYS = "days"                  # calendar days: every day counts
    WORKING_DAYS = "working_days"  # jours ouvrés: Monday to Friday, public holidays excluded
    MONTHS = "months"              # calendar months, clamped to the end of a shorter month


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit

    def __post_init__(self):
        if self.amount < 1:
            raise ValueError("A period is at least 1.")

    def describe(self) -> str:
        n = self.amount
        if self.unit is Unit.MONTHS:
            return ngettext("%(n)d month", "%(n)d months", n) % {"n": n}
        if self.unit is Unit.WORKING_DAYS:
            return ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n}
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def days(n: int) -> Period:
    return Period(n, Unit.DAYS)


def working_days(n: int) -> Period:
    return Period(n, Unit.WORKING_DAYS)


def months(n: int) -> Period:
    return Period(n, Unit.MONTHS)


@dataclass(frozen=True)
class Suspension:
    """A request made within `request_within` of the event stops the clock; it runs again, for
    the days that remained, from the notification of the decision on that request. The two
    dates are facts passed to compute() under `requested_fact` and `decided_fact`."""

    request_within: Period
    requested_fact: str
    decided_fact: str
    source: str


@dataclass(frozen=True)
class Rule:
    code: str
    event: str            # the event code that starts the period (rules/events.py)
    period: Period
    label: str            # what falls due (lazy translation)
    source: str           # the legal text, cited so it can be looked up; never translated
    confirmed: bool = False  # True only once a lawyer has checked this rule against the text
    # French procedural law: a time limit ending on a Saturday, Sunday or public holiday runs to
    # the next working day. False for dates that are not time limits to act (an expiry, the end
    # of a right), and where moving later could be wrong; the note says why.
    moves_to_working_day: bool = True
    # "within less than N": the last day is the day before the date reached by counting.
    strictly_within: bool = False
    procedure: str | None = None  # only for this asylum procedure (fact `procedure`); None = any
    suspension: Suspension | None = None
    note: str = ""        # what a legal adviser should know or check (lazy translation)

    @property
    def citation(self) -> str:
        return self.source if self.confirmed else f"{self.source} ({NOT_CONFIRMED})"


@dataclass(frozen=True)
class RuleSet:
    name: str
    jurisdiction: str
    effective_from: date
    law: str              # the text that brought this set in; never translated
    rules: tuple[Rule, ...]
    changes: str = ""     # what differs from the previous set (lazy translation)
    note: str = ""        # doubts about the set itself, e.g. its effective date
    codes: frozenset = field(init=False, repr=False)

    def __post_init__(self):
        codes = [rule.code for rule in self.rules]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.name}: duplicate rule codes")
        object.__setattr__(self, "codes", frozenset(codes))

    def rule(self, code: str) -> Rule:
        return next(rule for rule in self.rules if rule.code == code)

    def for_event(self, event: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.event == event)


def amend(base: RuleSet, *, name: str, effective_from: date, law: str, changes: str, note: str = "",
          replace_rules: tuple[Rule, ...] = (), add: tuple[Rule, ...] = (), remove: tuple[str, ...] = ()) -> RuleSet:
    """A new rule set that differs from `base` only where it says so, which makes the difference
    between two versions of the law readable in one place. Unknown codes raise, to catch typos."""
    by_code = {rule.code: rule for rule in base.rules}
    for rule in replace_rules:
        if rule.code not in by_code:
            raise ValueError(f"{name}: cannot replace unknown rule {rule.code}")
        by_code[rule.code] = rule
    for code in remove:
        if by_code.pop(code, None) is None:
            raise ValueError(f"{name}: cannot remove unknown rule {code}")
    for rule in add:
        if rule.code in by_code:
            raise ValueError(f"{name}: rule {rule.code} already exists")
        by_code[rule.code] = rule
    return replace(base, name=name, effective_from=effective_from, law=law, changes=changes, note=note,
                   rules=tuple(by_code.values()))
