from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from safepassage.audit.chain import verify


class Command(BaseCommand):
    help = ("Audit chain tools. `audit verify` exits 0 on an intact chain (keyed hashes, the head row and the "
            "checkpoint outside the database all agree), 1 naming the first bad event. Copy the head hash it prints "
            "off the server from time to time.")

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args, **options):
        verdict = verify()
        if not verdict.ok:
            raise CommandError(
                _("Audit chain BROKEN at event %(seq)s: %(reason)s (%(count)s events verified before it).")
                % {"seq": verdict.bad_seq, "reason": verdict.reason, "count": verdict.count}
            )
        self.stdout.write(
            _("Audit chain intact: %(count)s events. Head hash: %(head)s") % {"count": verdict.count,
                                                                              "head": verdict.head}
        )
        if verdict.checkpoint:
            self.stdout.write(_("The checkpoint outside the database (event %(seq)s) matches.")
                              % {"seq": verdict.checkpoint[0]})
        else:
            self.stdout.write(_("No checkpoint outside the database yet."))
