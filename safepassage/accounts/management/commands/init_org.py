import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from safepassage.accounts import actions


class Command(BaseCommand):
    help = ("Create an organisation, its first coordinator (who is also its admin) and its recovery key. "
            "The recovery code is printed once and never stored: print it on paper and lock it away.")

    def add_arguments(self, parser):
        parser.add_argument("name", help="the organisation's name")
        parser.add_argument("username", help="the first coordinator's username")
        parser.add_argument("--display-name", default="")
        parser.add_argument("--password-file", help="read the password from this file instead of asking")

    def handle(self, *args, name, username, display_name, password_file, **options):
        if password_file:
            with open(password_file) as fh:
                password = fh.read().strip()
        else:
            password = getpass.getpass(_("Password for %(user)s: ") % {"user": username})
            if password != getpass.getpass(_("Again: ")):
                raise CommandError(_("The passwords differ."))
        try:
            org, user, code = actions.init_org(name, username, password, display_name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(_("Organisation created: %(org)s") % {"org": org.name})
        self.stdout.write(_("First coordinator: %(user)s (sets up two-factor login at first sign-in)")
                          % {"user": user.username})
        self.stdout.write("")
        self.stdout.write(_("RECOVERY CODE - shown once, never stored. Write it down or print it, keep it "
                            "offline; two coordinators need it to restore a member who lost their password:"))
        self.stdout.write("")
        self.stdout.write("    " + code)
        self.stdout.write("")
