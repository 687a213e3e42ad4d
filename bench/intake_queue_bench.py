"""Does a flood of requests slow the staff pages? Fills a fresh SQLite database with N anonymous
requests (test-mode Argon2 so filling is quick; the queue page itself does no key derivation),
then times the intake queue page and the request page for a signed-in coordinator.

Run: .venv/bin/python bench/intake_queue_bench.py [N]   (default 5000)
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
os.environ.update(SAFEPASSAGE_ENV="test", DJANGO_SETTINGS_MODULE="safepassage.settings",
                  SAFEPASSAGE_VAR_DIR=TMP, DATABASE_URL=f"sqlite:///{TMP}/bench.sqlite3",
                  SAFEPASSAGE_ALLOWED_HOSTS="testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp.oath import totp  # noqa: E402

from safepassage.accounts import actions as account_actions  # noqa: E402
from safepassage.accounts.models import SealedTOTPDevice  # noqa: E402
from safepassage.intake import threads  # noqa: E402
from safepassage.intake.models import Thread  # noqa: E402


def timed(fn, repeat=20):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main(n):
    call_command("migrate", verbosity=0)
    password = "a long benchmark password"
    org, user, _code = account_actions.init_org("Bench", "bench", password)
    device = SealedTOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    start = time.perf_counter()
    for i in range(n):
        threads.submit(org, threads.Request(story=f"Request number {i}", urgency=1 + i % 3, region="RU-CE",
                                            contact="", referrer="", language="ru"))
    fill = time.perf_counter() - start
    client = Client()
    client.post("/staff/login/", {"username": "bench", "password": password})
    client.post("/staff/2fa/", {"token": f"{totp(device.bin_key):06d}"})
    assert client.get("/staff/intake/").status_code == 200
    first = timed(lambda: client.get("/staff/intake/"))
    last_page = (n + 49) // 50
    last = timed(lambda: client.get(f"/staff/intake/?page={last_page}"))
    thread = Thread.objects.first()
    one = timed(lambda: client.get(f"/staff/intake/{thread.pk}/"))
    print(f"| requests in the database | {n} |\n|---|---|")
    print(f"| fill rate (test-mode Argon2, SQLite) | {n / fill:.0f} requests/s |")
    print(f"| queue page 1, median | {first * 1000:.1f} ms |")
    print(f"| queue last page ({last_page}), median | {last * 1000:.1f} ms |")
    print(f"| open one request (decrypt + audit), median | {one * 1000:.1f} ms |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
