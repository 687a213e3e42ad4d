import os
from pathlib import Path

import pyrage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = ("Make a new backup key pair: the secret half goes to FILE (mode 600; keep it offline, on paper or a "
            "removable disk), the public half is printed for SAFEPASSAGE_BACKUP_RECIPIENTS.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the secret half; refused if it exists")

    def handle(self, *args, file, **options):
        identity = pyrage.x25519.Identity.generate()
        public = str(identity.to_public())
        try:
            fd = os.open(Path(file), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise CommandError(_("%(path)s already exists.") % {"path": file}) from exc
        with os.fdopen(fd, "w") as out:
            out.write(f"# public key: {public}\n{identity}\n")  # the layout of age-keygen
        self.stdout.write(public)
