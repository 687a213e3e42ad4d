"""Seed a fictional demo organisation. Refused outside demo mode: it prints passwords."""

import base64
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.accounts import actions, roles
from safepassage.accounts.models import Organisation, User
from safepassage.cases import actions as case_actions
from safepassage.vault import keyring

ORG_NAME = "Example Relief Network (FICTIONAL DEMO)"
# Obviously fictional people: the demo must never look like a real case.
DEMO_CASES = [
    ("Demo Person Alpha", "FICTIONAL. Asks for help leaving Example Region after a friend's phone was taken.", 1),
    ("Demo Person Bravo", "FICTIONAL. Was told by a relative that he is being looked for.", 2),
    ("Demo Person Charlie", "FICTIONAL. Wants advice about a visa; not in immediate danger.", 3),
]


class Command(BaseCommand):
    help = "Demo mode only: create a fictional organisation with one user per role and print their logins."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(_("Refused: the demo prints passwords. Run it only with SAFEPASSAGE_ENV=demo."))
        if Organisation.objects.exists():
            raise CommandError(_("This database already holds an organisation; the demo needs an empty one."))
        lines = self.seed()
        out = Path(settings.VAR_DIR) / "demo-credentials.txt"
        out.write_text("\n".join(lines) + "\n")
        out.chmod(0o600)
        self.stdout.write("\n".join(lines))
        self.stdout.write(_("(Also written to %(path)s)") % {"path": out})

    @transaction.atomic
    def seed(self):
        password = actions.temporary_password()
        org, first, code = actions.init_org(ORG_NAME, "demo-coordinator", password, "Coordinator Demo-One")
        people = [(first, password)]
        extra = [("demo-coordinator2", "Coordinator Demo-Two", [roles.COORDINATOR])]
        extra += [(f"demo-{r}", f"{roles.LABELS[r]} (demo)", [r]) for r in roles.CODES if r != roles.COORDINATOR]
        for username, name, role_codes in extra:
            pw = actions.temporary_password()
            user = actions.create_staff(first, username, name, role_codes, pw)
            User.objects.filter(pk=user.pk).update(must_change_password=False)
            people.append((user, pw))
        lines = [f"Demo organisation: {org.name}", f"Recovery code: {code}", "",
                 "username                 password                     TOTP secret (base32)"]
        for user, pw in people:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
            actions.regenerate_backup_codes(user)
            secret = base64.b32encode(device.bin_key).decode()
            lines.append(f"{user.username:<24} {pw:<28} {secret}")
        caseworker = User.objects.get(username="demo-caseworker")
        secret = keyring.unlock(first.keyring, password)
        for pseudonym, summary, urgency in DEMO_CASES:
            case = case_actions.create_case(first, pseudonym, summary, urgency)
            case_actions.add_member(first, secret, case, caseworker)
        lines += ["", "Current codes: safepassage demo-totp USERNAME  (or any authenticator app with the secret)"]
        return lines

