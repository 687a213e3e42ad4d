"""The deadline engine: what falls due after a dated event, which rule says so, and the
arithmetic, written out so that a legal adviser can check every date by hand.

    compute("ofpra_decision_notified", date(2024, 3, 1))                  -> [Deadline, ...]
    compute("ofpra_decision_notified", date(2024, 3, 1),
            legal_aid_requested=date(2024, 3, 10), legal_aid_decided=date(2024, 5, 2))

The rules are data (cases/rules/), versioned by jurisdiction and effective date; the set in force
on the event date applies unless one is named. Counting follows French practice: the day of the
event is not counted; months are calendar months, clamped to the end of a shorter month
(31 January + 1 month = 28 or 29 February); a time limit ending on a Saturday, Sunday or public
holiday runs to the next working day unless its rule says otherwise. Where the law can be read two
ways the engine takes the reading that gives the earlier date, and the rule's note says so: a
wrong early date costs a day, a wrong late date can cost the case."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from . import holidays
from .rules import EVENTS, PROCEDURES, RULESETS, Period, Rule, RuleSet, Unit


class DeadlineError(ValueError):
    """Input the engine cannot compute from; the message is meant for the person who typed it."""


class UnknownEvent(DeadlineError):
    pass


class UnknownRuleSet(DeadlineError):
    pass


class NoRuleSetInForce(DeadlineError):
    pass


class BadFacts(DeadlineError):
    pass


# Calendar arithmetic (stdlib only)

def add_months(day: date, n: int) -> date:
    """Calendar months; a day the target month lacks becomes its last day (31 Jan + 1 = 28/29 Feb)."""
    year, month0 = divmod(day.month - 1 + n, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_working_days(day: date, n: int) -> tuple[date, tuple]:
    """The n-th working day after `day`, and the public holidays skipped on the way (weekends are
    obvious; holidays are what a person checking by hand is likely to miss)."""
    skipped = []
    while n:
        day += timedelta(days=1)
        if holidays.is_weekend(day):
            continue
        found = holidays.holiday(day)
        if found:
            skipped.append((day, found))
            continue
        n -= 1
    return day, tuple(skipped)


def count(start: date, period: Period) -> tuple[date, tuple]:
    """The date reached by counting `period` from `start` (start itself not counted)."""
    if period.unit is Unit.MONTHS:
        return add_months(start, period.amount), ()
    if period.unit is Unit.WORKING_DAYS:
        return add_working_days(start, period.amount)
    return start + timedelta(days=period.amount), ()


def weekday(day: date) -> str:
    return str(WEEKDAYS[day.weekday()])


def closed_reason(day: date) -> str | None:
    """Why `day` is not a working day, in words; None on a working day."""
    found = holidays.holiday(day)
    if found:
        return _("holiday: %(name)s") % {"name": found.label}
    if holidays.is_weekend(day):
        return _("weekend")
    return None


# Results

@dataclass(frozen=True)
class LegalAid:
    """What the legal-aid facts did to a period (see Rule.suspension)."""

    requested: date
    limit: date               # the last day on which a request suspends the period
    decided: date | None
    suspends: bool
    remaining_days: int       # days of the period left on the day of the request
    original: date            # the last day had there been no request


@dataclass(frozen=True)
class Deadline:
    rule: Rule
    ruleset: RuleSet
    event: str
    event_date: date
    counted: date             # event date + period
    raw: date                 # the last day before any move to a working day
    due: date | None          # None while a suspension waits for its decision
    skipped: tuple = ()       # (date, Holiday) not counted in a working-day period
    legal_aid: LegalAid | None = None

    @property
    def is_suspended(self) -> bool:
        return self.due is None

    @property
    def moved(self) -> bool:
        return self.due is not None and self.due != self.raw

    @property
    def closed_reason(self) -> str | None:
        """Why the raw date is not a working day (whether or not the rule moves it)."""
        return closed_reason(self.raw)

    def days_left(self, today: date) -> int | None:
        return None if self.due is None else (self.due - today).days

    @property
    def explanation(self) -> str:
        """The arithmetic in one line, e.g. "21 days from 2024-03-01 = 2024-03-22 (Friday)"."""
        parts = [_("%(period)s from %(start)s = %(date)s (%(weekday)s)") % {
            "period": self.rule.period.describe(), "start": self.event_date, "date": self.counted,
            "weekday": weekday(self.counted)}]
        if self.skipped:
            parts.append(_("not counted: %(days)s") % {
                "days": ", ".join(f"{found.label} {day}" for day, found in self.skipped)})
        aid = self.legal_aid
        last = aid.original if aid else self.raw
        if self.rule.strictly_within:
            parts.append(_("\"less than\" %(period)s: last day %(date)s (%(weekday)s)") % {
                "period": self.rule.period.describe(), "date": last, "weekday": weekday(last)})
        if aid and not aid.suspends:
            parts.append(_("legal aid requested %(requested)s, after the last day to suspend (%(limit)s): "
                           "no suspension") % {"requested": aid.requested, "limit": aid.limit})
        elif aid and aid.decided is None:
            parts.append(_("legal aid requested %(requested)s: suspended with %(n)d days left, which run again "
                           "from the notification of the legal-aid decision") % {
                "requested": aid.requested, "n": aid.remaining_days})
        elif aid:
            parts.append(_("legal aid requested %(requested)s: %(n)d days were left; legal-aid decision "
                           "notified %(decided)s + %(n)d days = %(date)s (%(weekday)s)") % {
                "requested": aid.requested, "n": aid.remaining_days, "decided": aid.decided, "date": self.raw,
                "weekday": weekday(self.raw)})
        reason = self.closed_reason
        if self.moved:
            parts.append(_("moved from %(weekday)s %(raw)s (%(reason)s) to %(due_weekday)s %(due)s") % {
                "weekday": weekday(self.raw), "raw": self.raw, "reason": reason,
                "due_weekday": weekday(self.due), "due": self.due})
        elif reason and self.due is not None:
            parts.append(_("%(weekday)s %(raw)s is not a working day (%(reason)s); this rule does not move it") % {
                "weekday": weekday(self.raw), "raw": self.raw, "reason": reason})
        return "; ".join(parts)


# Rule sets and events

def rulesets(jurisdiction: str | None = None) -> tuple[RuleSet, ...]:
    return tuple(rs for rs in RULESETS if jurisdiction is None or rs.jurisdiction == jurisdiction.upper())


def get_ruleset(name: str) -> RuleSet:
    for rs in RULESETS:
        if rs.name == name:
            return rs
    raise UnknownRuleSet(_("Unknown rule set %(name)r. Known rule sets: %(known)s.") % {
        "name": name, "known": ", ".join(rs.name for rs in RULESETS)})


def ruleset_for(jurisdiction: str, on: date) -> RuleSet:
    """The set in force on `on`: the latest one whose effective date is not after it."""
    candidates = [rs for rs in rulesets(jurisdiction) if rs.effective_from <= on]
    if not candidates:
        earliest = min((rs.effective_from for rs in rulesets(jurisdiction)), default=None)
        raise NoRuleSetInForce(_("No rule set for %(jurisdiction)s is in force on %(date)s (the earliest starts "
                                 "on %(earliest)s). Name one to use it anyway.") % {
            "jurisdiction": jurisdiction, "date": on, "earliest": earliest or "-"})
    return max(candidates, key=lambda rs: rs.effective_from)


def events(include_facts: bool = True) -> list[tuple[str, str]]:
    """(code, label) pairs for a form's choices, in the order a case meets them."""
    return [(e.code, e.label) for e in EVENTS.values() if include_facts or not e.fact]


def _check_event(code: str) -> None:
    event = EVENTS.get(code)
    if event is None or event.fact:
        known = ", ".join(e.code for e in EVENTS.values() if not e.fact)
        if event is not None:
            raise UnknownEvent(_("%(code)s is a fact, not an event: give it with the event it changes. "
                                 "Valid events: %(known)s.") % {"code": code, "known": known})
        raise UnknownEvent(_("Unknown event %(code)r. Valid events: %(known)s.") % {"code": code, "known": known})


def _check_date(name: str, value) -> date:
    # A datetime is a date too, and would silently carry a time zone into day counting.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    return value


def _check_facts(rules: tuple[Rule, ...], event_code: str, event_date: date, facts: dict) -> dict:
    facts = {name: value for name, value in facts.items() if value is not None}
    allowed = {"procedure"}
    for rule in rules:
        if rule.suspension:
            allowed |= {rule.suspension.requested_fact, rule.suspension.decided_fact}
    unknown = sorted(set(facts) - allowed)
    if unknown:
        raise BadFacts(_("%(facts)s does not apply to %(event)s (it takes: %(allowed)s).") % {
            "facts": ", ".join(unknown), "event": event_code, "allowed": ", ".join(sorted(allowed))})
    if "procedure" in facts and facts["procedure"] not in PROCEDURES:
        raise BadFacts(_("Unknown procedure %(value)r: use one of %(known)s.") % {
            "value": facts["procedure"], "known": ", ".join(PROCEDURES)})
    for rule in rules:
        if not rule.suspension:
            continue
        requested, decided = rule.suspension.requested_fact, rule.suspension.decided_fact
        if decided in facts and requested not in facts:
            raise BadFacts(_("%(decided)s needs %(requested)s.") % {"decided": decided, "requested": requested})
        if requested in facts and _check_date(requested, facts[requested]) < event_date:
            raise BadFacts(_("%(requested)s (%(date)s) is before the event (%(event)s).") % {
                "requested": requested, "date": facts[requested], "event": event_date})
        if decided in facts and _check_date(decided, facts[decided]) < facts[requested]:
            raise BadFacts(_("%(decided)s (%(date)s) is before %(requested)s (%(before)s).") % {
                "decided": decided, "date": facts[decided], "requested": requested, "before": facts[requested]})
    return facts


def _deadline(rule: Rule, ruleset: RuleSet, event_code: str, event_date: date, facts: dict) -> Deadline:
    counted, skipped = count(event_date, rule.period)
    raw = counted - timedelta(days=1) if rule.strictly_within else counted
    aid = None
    if rule.suspension and rule.suspension.requested_fact in facts:
        requested = facts[rule.suspension.requested_fact]
        decided = facts.get(rule.suspension.decided_fact)
        limit, _skipped = count(event_date, rule.suspension.request_within)
        suspends = requested <= limit and requested <= raw
        # The day of the request counts as used: of the two readings it gives the earlier date.
        aid = LegalAid(requested, limit, decided, suspends, max((raw - requested).days, 0), raw)
        if suspends:
            if decided is None:
                return Deadline(rule, ruleset, event_code, event_date, counted, raw, None, skipped, aid)
            raw = decided + timedelta(days=aid.remaining_days)
    due = holidays.next_working_day(raw) if rule.moves_to_working_day else raw
    return Deadline(rule, ruleset, event_code, event_date, counted, raw, due, skipped, aid)


def compute(event_code: str, event_date: date, ruleset: RuleSet | str | None = None, *, jurisdiction: str = "FR",
            **facts) -> list[Deadline]:
    """Everything that falls due after `event_code` on `event_date`, soonest first (a suspended
    period, with no date yet, last). Facts: `legal_aid_requested` and `legal_aid_decided` (dates)
    for an OFPRA decision; `procedure` ("normal", "accelerated", "dublin") to keep only the
    certificate rule of that procedure. None-valued facts are ignored, so a form can pass them all."""
    _check_event(event_code)
    _check_date("event_date", event_date)
    if ruleset is None:
        ruleset = ruleset_for(jurisdiction, event_date)
    elif isinstance(ruleset, str):
        ruleset = get_ruleset(ruleset)
    rules = ruleset.for_event(event_code)
    facts = _check_facts(rules, event_code, event_date, facts)
    if "procedure" in facts:
        rules = tuple(rule for rule in rules if rule.procedure in (None, facts["procedure"]))
    found = [_deadline(rule, ruleset, event_code, event_date, facts) for rule in rules]
    return sorted(found, key=lambda d: (d.due is None, d.due or date.max, d.rule.code))


def for_events(dated_events, ruleset: RuleSet | str | None = None, *, jurisdiction: str = "FR",
               errors: list | None = None) -> list[Deadline]:
    """Deadlines for a case's recorded events, e.g. CaseEvent (code, happened_on) pairs, soonest
    first. Facts recorded as events (a legal-aid request and its decision) go to the latest
    event they can change that is not after them; codes the engine does not know are skipped.

    An event it cannot compute (no rule set in force on its date, inconsistent legal-aid dates)
    raises DeadlineError; pass a list as `errors` to collect (code, date, message) instead and
    get the other deadlines anyway. Show those messages: a missing deadline must not look like
    no deadline."""
    dated_events = sorted(((code, day) for code, day in dated_events), key=lambda pair: pair[1])
    triggers = [(code, day) for code, day in dated_events if code in EVENTS and not EVENTS[code].fact]
    found = []
    for index, (code, day) in enumerate(triggers):
        later = [d for c, d in triggers[index + 1:] if c == code]
        until = later[0] if later else date.max
        try:
            found.extend(_for_event(code, day, until, dated_events, ruleset, jurisdiction))
        except DeadlineError as error:
            if errors is None:
                raise
            errors.append((code, day, str(error)))
    return sorted(found, key=lambda d: (d.due is None, d.due or date.max, d.rule.code))


def _for_event(code, day, until, dated_events, ruleset, jurisdiction) -> list[Deadline]:
    rs = ruleset if ruleset is not None else ruleset_for(jurisdiction, day)
    rs = get_ruleset(rs) if isinstance(rs, str) else rs
    wanted = {fact for rule in rs.for_event(code) if rule.suspension
              for fact in (rule.suspension.requested_fact, rule.suspension.decided_fact)}
    facts = {}
    for fact_code, fact_day in dated_events:
        if fact_code in wanted and day <= fact_day < until:
            facts.setdefault(fact_code, fact_day)
    return compute(code, day, rs, jurisdiction=jurisdiction, **facts)
