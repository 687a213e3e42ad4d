"""How long do dossiers and redaction proposals take? A fresh SQLite database with one case that
has what a visa dossier needs (an account of N paragraphs and M evidence files); times the visa
dossier, the asylum pack, and Presidio's proposals on the account (the first call loads the
French spaCy model), and reports the process's peak memory.

Run: .venv/bin/python bench/dossiers_bench.py [PARAGRAPHS] [FILES]   (default 20 and 10)
"""

import io
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="sp-bench-")
os.environ.update(SAFEPASSAGE_ENV="test", DJANGO_SETTINGS_MODULE="safepassage.settings", SAFEPASSAGE_VAR_DIR=TMP,
                  DATABASE_URL=f"sqlite:///{TMP}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image  # noqa: E402

from safepassage.accounts import actions as account_actions  # noqa: E402
from safepassage.accounts import roles  # noqa: E402
from safepassage.accounts.models import User  # noqa: E402
from safepassage.cases.actions import core, documents, people  # noqa: E402
from safepassage.dossiers.actions import dossiers  # noqa: E402
from safepassage.evidence import redaction  # noqa: E402
from safepassage.evidence.actions import files, testimonies  # noqa: E402
from safepassage.vault import keyring  # noqa: E402

PARAGRAPH = ("Le 3 mars 2017, Ivan Petrov et moi avons été arrêtés à Grozny par des policiers. Ils m'ont détenu "
             "neuf jours, m'ont frappé et ont pris mon téléphone ; on m'a appelé au +7 928 123 45 67. ")


def timed(fn, repeat=5):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main(paragraphs, n_files):
    call_command("migrate", verbosity=0)
    password = "a long benchmark password"
    _org, coordinator, _code = account_actions.init_org("Bench", "bench", password)
    user = account_actions.create_staff(coordinator, "worker", "Worker", [roles.CASEWORKER, roles.TRANSLATOR],
                                        password)
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    secret_c = keyring.unlock(coordinator.keyring, password)
    user.refresh_from_db()
    secret = keyring.unlock(user.keyring, password)
    case = core.create_case(coordinator, "Bench person", "", 1)
    core.add_member(coordinator, secret_c, case, user)
    people.create_person(user, secret, case, role="applicant", name="Ахмед Исмаилов", birth_date=date(1994, 5, 17))
    documents.add_document(user, secret, case, kind="international_passport", status="obtained", reference="75 1")
    account = "\n\n".join(PARAGRAPH for _ in range(paragraphs))
    t = testimonies.record_testimony(user, secret, case, text="…", language="ru", taken_on=date(2017, 5, 2))
    testimonies.record_consent(user, secret, case, t, purpose="dossier", given_on=date(2017, 5, 2))
    tr = testimonies.add_translation(user, secret, case, t, text=account, target_language="fr")
    for i in range(n_files):
        picture = io.BytesIO()
        Image.new("RGB", (640, 480), (i * 20 % 255, 40, 40)).save(picture, format="JPEG")
        files.ingest(user, secret, case=case, upload=SimpleUploadedFile("p.jpg", picture.getvalue()),
                     description=f"photo {i}")
    inputs = {"consulate": "Consulat", "place": "Paris", "date": "2017-05-10", "signatory": "Claire",
              "letterhead": "Org", "testimony": str(t.pk), "translation": str(tr.pk), "nationality": "russe"}
    start = time.perf_counter()
    redaction.propose(account, "fr")
    first = time.perf_counter() - start
    rows = [
        (f"visa dossier ({paragraphs} paragraphs, {n_files} evidence files)",
         timed(lambda: dossiers.make(user, secret, case, "visa", inputs))),
        ("asylum support pack", timed(lambda: dossiers.make(user, secret, case, "asylum_pack", inputs))),
        ("redaction proposals, first call (loads the model)", first),
        (f"redaction proposals, warm ({len(account)} characters)", timed(lambda: redaction.propose(account, "fr"))),
    ]
    for name, seconds in rows:
        print(f"{name:<60} {seconds * 1000:8.0f} ms")
    print(f"{'peak memory of the process':<60} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20, int(sys.argv[2]) if len(sys.argv) > 2 else 10)
