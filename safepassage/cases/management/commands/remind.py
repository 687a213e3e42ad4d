"""`safepassage remind`: raise missed check-in alerts and list the open ones, for cron.

It has no key, so it prints only what is plain in the database: the case's short reference,
how many hours the check-in is overdue and the usernames of the coordinators on the case.
Never a pseudonym, a summary or anything else typed about a person. It sends nothing anywhere;
cron mails its output to whoever the operator chooses."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.cases.actions import work


class Command(BaseCommand):
    help = ("Raise an alert for every case whose check-in is overdue and print the open missed check-ins "
            "(case reference, hours overdue, coordinators). Run it from cron every 15 minutes.")

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true",
                            help="Print nothing unless this run raised a new alert.")

    def handle(self, *args, quiet=False, **options):
        now = timezone.now()
        raised = work.escalate_missed_checkins(now)
        new_ids = {a.pk for a in raised}
        if quiet and not new_ids:
            return
        alerts = list(work.open_missed_alerts())
        if not alerts:
            self.stdout.write(_("No missed check-ins."))
            return
        rows = []
        for alert in alerts:
            status = work.checkin_status(alert.case, now)
            hours = status.hours_overdue if status.missed else alert.details.get("hours_overdue", 0)
            rows.append((alert.pk in new_ids, hours, alert.case))
        for is_new, hours, case in sorted(rows, key=lambda r: (not r[0], -r[1], r[2].short_ref)):
            who = ", ".join(work.coordinators_on(case)) or _("none: add a coordinator to this case")
            values = {"ref": case.short_ref, "hours": hours, "who": who}
            if is_new:
                line = _("NEW   case %(ref)s: check-in missed, %(hours)s h overdue; coordinators: %(who)s") % values
            else:
                line = _("OPEN  case %(ref)s: check-in missed, %(hours)s h overdue; coordinators: %(who)s") % values
            self.stdout.write(line)
