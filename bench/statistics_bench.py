"""How long do statistics take with a large evidence base? Fills a fresh SQLite database with N
acts spread over 10 act types, 4 perpetrator types, 36 months and 8 regions (a tenth of them
reported by a public source, a tenth merged into another), then times the researchers' overview
page and public releases at three granularities, each made after the previous ones (so each
is checked together with them).

Run: .venv/bin/python bench/statistics_bench.py [N]   (default 2000)
"""

import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="sp-bench-")
os.environ.update(SAFEPASSAGE_ENV="test", DJANGO_SETTINGS_MODULE="safepassage.settings", SAFEPASSAGE_VAR_DIR=TMP,
                  DATABASE_URL=f"sqlite:///{TMP}/bench.sqlite3", SAFEPASSAGE_ALLOWED_HOSTS="testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp.oath import totp  # noqa: E402

from safepassage.accounts import actions as account_actions  # noqa: E402
from safepassage.accounts import roles  # noqa: E402
from safepassage.accounts.models import SealedTOTPDevice, User  # noqa: E402
from safepassage.evidence import vocabularies  # noqa: E402
from safepassage.evidence.actions import incidents  # noqa: E402
from safepassage.evidence.models import Act, Attestation, Term  # noqa: E402
from safepassage.vault import keyring  # noqa: E402


def fill(user, secret, n):
    rng = random.Random(2017)  # noqa: S311 - reproducible fake data, not secrets
    terms = {v: list(Term.objects.filter(organisation=user.organisation, vocabulary=v))
             for v in ("act_type", "perpetrator_type", "region", "source_type")}
    public = incidents.create_source(user, secret, source_type=terms["source_type"][0], title="report", public=True)
    private = incidents.create_source(user, secret, source_type=terms["source_type"][0], title="note")
    event = incidents.create_event(user, secret, title="bench", date_precision="unknown")
    first = incidents.create_act(user, secret, event, source=private, validity="2",
                                 act_type=terms["act_type"][0], perpetrator_type=terms["perpetrator_type"][0])
    acts = []
    for i in range(n - 1):  # bulk rows: the benchmark is about counting, not about entering
        acts.append(Act(event=event, act_type=rng.choice(terms["act_type"]),
                        perpetrator_type=rng.choice(terms["perpetrator_type"]), region=rng.choice(terms["region"]),
                        occurred_on=date(2015 + rng.randrange(3), 1 + rng.randrange(12), 1), date_precision="month",
                        count=rng.choice([1, 1, 1, 2, 3, 10]), note_sealed=first.note_sealed, created_by=user,
                        merged_into=first if i % 10 == 9 else None))
    Act.objects.bulk_create(acts)
    Attestation.objects.bulk_create(Attestation(act=a, source=public if i % 10 == 0 else private, validity="2",
                                                created_by=user) for i, a in enumerate(acts))


def timed(fn):
    start = time.perf_counter()
    response = fn()
    assert response.status_code in (200, 302), response.content[-500:]
    return time.perf_counter() - start


def main(n):
    call_command("migrate", verbosity=0)
    password = "a long benchmark password"
    org, coordinator, _code = account_actions.init_org("Bench", "bench", password)
    user = account_actions.create_staff(coordinator, "researcher", "Researcher", [roles.RESEARCHER], password)
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    user.refresh_from_db()
    vocabularies.ensure_seeded(org)
    fill(user, keyring.unlock(user.keyring, password), n)
    device = SealedTOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.post("/staff/login/", {"username": "researcher", "password": password})
    client.post("/staff/2fa/", {"token": f"{totp(device.bin_key):06d}"})
    rows = [("overview page (exact counts, 4 charts)", timed(lambda: client.get("/staff/statistics/")))]
    for first, second in (("act_type:code", "period:year"), ("act_type:code", "period:month"),
                          ("perpetrator:code", "region:region")):
        seconds = timed(lambda f=first, s=second: client.post("/staff/statistics/releases/new/", {
            "first": f, "second": s, "unit": "persons", "threshold": 5}))
        rows.append((f"release {first} x {second}", seconds))
    from safepassage.reports.models import Release

    print(f"{n} acts; releases hide {[r.hidden for r in Release.objects.order_by('created_at')]} figures")
    for name, seconds in rows:
        print(f"{name:<50} {seconds * 1000:8.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
