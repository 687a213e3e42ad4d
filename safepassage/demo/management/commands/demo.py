"""Seed a fictional demo organisation. Refused outside demo mode: it prints passwords."""

import base64
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.accounts import actions, roles
from safepassage.accounts.models import Organisation, SealedTOTPDevice, User
from safepassage.cases import actions as case_actions
from safepassage.cases.actions import events as event_actions
from safepassage.cases.actions import people, shelters
from safepassage.dossiers import demo as dossier_demo
from safepassage.evidence import demo as evidence_demo
from safepassage.intake import threads as intake_threads
from safepassage.vault import keyring

ORG_NAME = "Example Relief Network (FICTIONAL DEMO)"
DEMO_REQUESTS = [
    ("ВЫМЫШЛЕННЫЙ ПРИМЕР. Меня ищут, нужна помощь.", 1, "ru"),
    ("FICTIONAL EXAMPLE. A friend was detained and had my number in his phone.", 2, "en"),
]
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
            device = SealedTOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
            actions.regenerate_backup_codes(user)
            secret = base64.b32encode(device.bin_key).decode()
            lines.append(f"{user.username:<24} {pw:<28} {secret}")
        self.seed_work(org, first, keyring.unlock(first.keyring, password), dict(people))
        lines += ["", "Current codes: safepassage demo-totp USERNAME  (or any authenticator app with the secret)",
                  "Public site: http://127.0.0.1:8000/   Staff site: http://127.0.0.1:8000/staff/"]
        return lines

    def seed_work(self, org, first, secret, passwords):
        """Fictional cases with members who can show the whole pipeline: a second coordinator
        for approvals, a shelter, linked people, dated events, and two waiting requests."""
        staff = {u.username: u for u in User.objects.filter(organisation=org)}
        team = [staff[n] for n in ("demo-coordinator2", "demo-caseworker", "demo-vetting", "demo-shelter",
                                   "demo-legal")]
        cases = []
        for pseudonym, summary, urgency in DEMO_CASES:
            case = case_actions.create_case(first, pseudonym, summary, urgency)
            for member in team:
                case_actions.add_member(first, secret, case, member)
            cases.append(case)
        alpha, bravo, _charlie = cases
        a, _ = people.create_person(first, secret, alpha, role="applicant", name="Demo Alpha Fictional",
                                    phone="+7 900 000 00 01", birth_date=date(1995, 6, 1))
        b, _ = people.create_person(first, secret, bravo, role="applicant", name="Demo Bravo Fictional")
        people.link_people(first, secret, a, b, "friend", "FICTIONAL: Bravo's photo is in Alpha's phone")
        shelter_user = staff["demo-shelter"]
        shelters.create_shelter(shelter_user, "Fictional Safe Flat A", "FICTIONAL 1 Example Street, Nowhere", 4)
        event_actions.record_event(first, bravo, "guda_registration", timezone.localdate() - timedelta(days=10))
        worker, researcher = staff["demo-caseworker"], staff["demo-researcher"]
        worker_secret = keyring.unlock(worker.keyring, passwords[worker])
        evidence_demo.seed(org, worker, worker_secret, researcher,
                           keyring.unlock(researcher.keyring, passwords[researcher]), cases)
        translator = staff["demo-translator"]
        dossier_demo.seed(first, secret, translator, keyring.unlock(translator.keyring, passwords[translator]),
                          worker, worker_secret, alpha)
        for story, urgency, language in DEMO_REQUESTS:
            intake_threads.submit(org, intake_threads.Request(story=story, urgency=urgency, region="", contact="",
                                                              referrer="", language=language))

