"""Do the case pages stay fast with many cases? Fills a fresh SQLite database with N cases shared
with one coordinator (test-mode Argon2 for speed; pages do no key derivation), then times the
case list, the triage queue, the dashboard and one case page.

Run: .venv/bin/python bench/case_pages_bench.py [N]   (default 2000)
"""

import os
import statistics
import sys
import tempfile
import time
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
from safepassage.accounts.models import SealedTOTPDevice  # noqa: E402
from safepassage.cases import actions  # noqa: E402
from safepassage.cases.models import CaseEvent  # noqa: E402


def timed(fn, repeat=15):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        assert fn().status_code == 200
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main(n):
    call_command("migrate", verbosity=0)
    password = "a long benchmark password"
    _org, user, _code = account_actions.init_org("Bench", "bench", password)
    device = SealedTOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    cases = [actions.create_case(user, f"Person {i}", "summary " * 20, 1 + i % 3) for i in range(n)]
    CaseEvent.objects.bulk_create(CaseEvent(case=c, code="arrival", happened_on="2024-03-01") for c in cases[::10])
    client = Client()
    client.post("/staff/login/", {"username": "bench", "password": password})
    client.post("/staff/2fa/", {"token": f"{totp(device.bin_key):06d}"})
    rows = [
        ("case list, page 1", timed(lambda: client.get("/staff/cases/"))),
        (f"case list, last page ({(n + 24) // 25})", timed(lambda: client.get(f"/staff/cases/?page={(n + 24) // 25}"))),
        ("triage queue", timed(lambda: client.get("/staff/cases/triage/"))),
        ("dashboard (deadlines of every case)", timed(lambda: client.get("/staff/"))),
        ("one case page", timed(lambda: client.get(f"/staff/cases/{cases[0].pk}/"))),
    ]
    print(f"| {n} cases, one coordinator member of all | median |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds * 1000:.1f} ms |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
