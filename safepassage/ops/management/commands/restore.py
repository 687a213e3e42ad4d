from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.cases.actions.core import erase_again as erase_case_again
from safepassage.cases.models import Case
from safepassage.intake.erasure import erase_thread
from safepassage.intake.models import Thread
from safepassage.ops import backup
from safepassage.vault import datakeys


def erase_again(data_key) -> None:
    """What a shredded key protected goes again, whole: a case with everything on it, a request."""
    case = Case.objects.filter(data_key=data_key).first()
    if case is not None:
        erase_case_again(case)
        return
    thread = Thread.objects.filter(data_key=data_key).first()
    if thread is not None:
        erase_thread(thread)
        return
    datakeys.shred(data_key)


class Command(BaseCommand):
    help = ("Restore a backup made by `safepassage backup` into an empty, migrated database, then erase again "
            "everything the erasure ledger shredded after the backup was made. Checks the whole file first; "
            "changes nothing when refused.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--identity", required=True, help="the age identity file (AGE-SECRET-KEY-…) kept offline")
        parser.add_argument("--ledger", help="the erasure ledger kept outside the backup "
                                             "(default: SAFEPASSAGE_ERASURE_LEDGER)")

    def handle(self, *args, path, identity, ledger, **options):
        if ledger:
            settings.ERASURE_LEDGER = Path(ledger)
        try:
            done = backup.restore(Path(path), backup.identity_from(Path(identity)), erase_again)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        record("backup.restored", details={"made_at": done.made_at, "rows": done.rows, "files": done.files,
                                           "erased_again": done.erased_again})
        self.stdout.write(_("Restored the backup of %(when)s: %(rows)s rows, %(files)s files; %(erased)s erased again "
                            "from the erasure ledger.") % {"when": done.made_at, "rows": done.rows,
                                                           "files": done.files, "erased": done.erased_again})
