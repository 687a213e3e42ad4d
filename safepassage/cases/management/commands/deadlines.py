"""`safepassage deadlines EVENT DATE [--rules NAME]`: what falls due after an event, which rule
produced each date and how it was counted, for a legal adviser to check by hand.

    safepassage deadlines ofpra_decision_notified 2024-03-01
    safepassage deadlines ofpra_decision_notified 2024-03-01 --legal-aid-requested 2024-03-10
    safepassage deadlines --list [--rules fr-2024]"""

import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from safepassage.cases import deadlines
from safepassage.cases.rules import EVENTS, PROCEDURES

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DUE_WIDTH = 22


def parse_date(value: str, what: str) -> date:
    # Only YYYY-MM-DD: fromisoformat also takes week dates and compact forms that are easy to mistype.
    try:
        if ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise CommandError(_("%(what)s: %(value)r is not a date; write it as YYYY-MM-DD, e.g. 2024-03-01.") % {
        "what": what, "value": value})


def long_date(day: date) -> str:
    return f"{deadlines.weekday(day)} {day}"


class Command(BaseCommand):
    help = "Print what falls due after EVENT on DATE, with the rule, its source and the arithmetic."

    def add_arguments(self, parser):
        parser.add_argument("event", nargs="?", help="an event code; --list shows them")
        parser.add_argument("date", nargs="?", help="the date of the event, YYYY-MM-DD")
        parser.add_argument("--rules", metavar="NAME", help="use this rule set instead of the one in force on DATE")
        parser.add_argument("--list", action="store_true", help="list rule sets and events (and the rules of --rules)")
        parser.add_argument("--legal-aid-requested", metavar="DATE",
                            help="ofpra_decision_notified: the day legal aid was requested")
        parser.add_argument("--legal-aid-decided", metavar="DATE",
                            help="ofpra_decision_notified: the day the legal-aid decision was notified (the later "
                                 "of the notifications to the person and to the lawyer)")
        parser.add_argument("--procedure", choices=sorted(PROCEDURES),
                            help="asylum_certificate_issued: show only this procedure's certificate")

    def handle(self, *args, **options):
        try:
            if options["list"]:
                return self.list(options["rules"])
            if not options["event"] or not options["date"]:
                raise CommandError(_("Give EVENT and DATE (or --list). Valid events: %(known)s.") % {
                    "known": ", ".join(code for code, _label in deadlines.events(include_facts=False))})
            self.show(options)
        except deadlines.DeadlineError as error:
            raise CommandError(str(error)) from error

    def show(self, options):
        event_date = parse_date(options["date"], "DATE")
        facts = {"procedure": options["procedure"]}
        for name in ("legal_aid_requested", "legal_aid_decided"):
            if options[name]:
                facts[name] = parse_date(options[name], "--" + name.replace("_", "-"))
        in_force = self.in_force(event_date)
        ruleset = deadlines.get_ruleset(options["rules"]) if options["rules"] else in_force
        found = deadlines.compute(options["event"], event_date, ruleset, **facts)

        write = self.stdout.write
        if ruleset is in_force:
            chosen = _("in force on the event date")
        elif in_force is None:
            chosen = _("named with --rules; no rule set is in force on the event date")
        else:
            chosen = _("named with --rules; the set in force on the event date is %(name)s") % {"name": in_force.name}
        write(_("Rule set: %(name)s (%(jurisdiction)s, from %(start)s), %(law)s: %(chosen)s") % {
            "name": ruleset.name, "jurisdiction": ruleset.jurisdiction, "start": ruleset.effective_from,
            "law": ruleset.law, "chosen": chosen})
        write(_("Event:    %(code)s, %(label)s, %(date)s") % {
            "code": options["event"], "label": EVENTS[options["event"]].label, "date": long_date(event_date)})
        given = [f"{EVENTS[name].label}: {value}" for name, value in facts.items() if name in EVENTS]
        if options["procedure"]:
            given.append(str(PROCEDURES[options["procedure"]]))
        if given:
            write(_("Facts:    %(facts)s") % {"facts": "; ".join(given)})
        write("")
        if not found:
            write(_("Nothing falls due after this event in %(name)s.") % {"name": ruleset.name})
            return
        for deadline in found:
            due = long_date(deadline.due) if deadline.due else _("suspended")
            write(f"{due:<{DUE_WIDTH}}{deadline.rule.label}")
            self.detail(_("rule"), deadline.rule.code)
            self.detail(_("source"), deadline.rule.citation)
            self.detail(_("counted"), deadline.explanation)
            if deadline.rule.note:
                self.detail(_("note"), deadline.rule.note)
            write("")
        if any(not d.rule.confirmed for d in found):
            write(_("Rules marked \"not confirmed by a lawyer\" must be checked against the cited text before "
                    "anyone relies on them. Where the law can be read two ways, the earlier date is shown."))

    def detail(self, name, text):
        self.stdout.write(f"    {name:<9}{text}")

    @staticmethod
    def in_force(event_date):
        try:
            return deadlines.ruleset_for("FR", event_date)
        except deadlines.NoRuleSetInForce:
            return None

    def list(self, name):
        write = self.stdout.write
        write(_("Rule sets (chosen by the date of the event):"))
        for rs in deadlines.rulesets():
            write(f"  {rs.name:<10}{rs.jurisdiction}  {rs.effective_from}  {rs.law}")
            if rs.changes:
                self.detail(_("changes"), rs.changes)
            if rs.note:
                self.detail(_("note"), rs.note)
        write("")
        write(_("Events:"))
        for event in EVENTS.values():
            if not event.fact:
                write(f"  {event.code:<28}{event.label}")
        write(_("Facts (options of an event):"))
        for event in EVENTS.values():
            if event.fact:
                write(f"  --{event.code.replace('_', '-'):<26}{event.label}")
        if name:
            ruleset = deadlines.get_ruleset(name)
            write("")
            write(_("Rules of %(name)s:") % {"name": ruleset.name})
            for rule in ruleset.rules:
                write(f"  {rule.code:<38}{rule.event:<28}{rule.period.describe()}")
                self.detail(_("what"), rule.label)
                self.detail(_("source"), rule.citation)
