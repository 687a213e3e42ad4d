"""Delete what expired and used-up share links still hold on disk (the rows stay, for the
disclosure log). A link that is opened after it expired is emptied at once anyway; run this from
cron so that one nobody opens again is emptied too."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from safepassage.dossiers.actions import disclosures


class Command(BaseCommand):
    help = "Delete the files of share links that expired or were used up (for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="print nothing when nothing was deleted")

    def handle(self, *args, quiet=False, **options):
        n = disclosures.purge_expired()
        if n or not quiet:
            self.stdout.write(_("%(n)s expired link(s) emptied.") % {"n": n})
