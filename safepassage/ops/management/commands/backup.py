from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.ops import backup


class Command(BaseCommand):
    help = ("Write one encrypted backup file (database, sealed files, keystore) to PATH, for the age public keys "
            "in SAFEPASSAGE_BACKUP_RECIPIENTS or given with --recipient. Opens with `safepassage restore` or `age -d`.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--recipient", action="append", default=[], help="an age public key (age1…); repeatable")

    def handle(self, *args, path, recipient, **options):
        try:
            made = backup.make(path, backup.recipients_from(recipient or settings.BACKUP_RECIPIENTS))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        record("backup.made", details={"rows": made.rows, "files": made.files})
        self.stdout.write(_("Backup written to %(path)s: %(rows)s rows, %(files)s files, %(mb).1f MB, encrypted.")
                          % {"path": made.path, "rows": made.rows, "files": made.files, "mb": made.bytes / 1e6})
