"""The blind index's cost and its truncation, with the production parameters (settings.INDEX_ARGON2):
what one tag costs staff (about four per person added or edited), what a dictionary sweep costs
someone holding the index key and a copy of the database, how many plausible values stay behind
each tag, and the measured rate of chance matches between different values.

Run: .venv/bin/python bench/blind_index_bench.py [SAMPLES]
"""

import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SAFEPASSAGE_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()

from safepassage.vault import blind, crypto  # noqa: E402

PRODUCTION = {"opslimit": 2, "memlimit": 16 * 1024 * 1024}  # settings.INDEX_ARGON2 outside test mode
# Plausible values of each kind an attacker would sweep (and the reasoning, for the docs).
SPACES = {
    "phone": (10 ** 9, "Russian mobile numbers: 9XX XXX XX XX"),
    "birth_date": (36_525, "every date in a century"),
    "name": (100_000, "a generous list of name words in every transliteration"),
    "full_name": (10 ** 8, "pairs of common first and family names"),
}


def main(samples: int):
    key = crypto.random_key()
    settings.INDEX_ARGON2 = PRODUCTION
    runs = []
    for i in range(samples):
        start = time.perf_counter()
        blind.digest(key, "phone", f"9{i:09d}")
        runs.append(time.perf_counter() - start)
    per_tag = statistics.median(runs)
    print(f"one tag, production Argon2id (2 passes, 16 MiB): median {per_tag * 1000:.1f} ms over {samples}")
    print(f"a person (about 4 tags) added or edited: {4 * per_tag * 1000:.0f} ms")
    print("\nA sweep with the index key (one core; divide by the cores an attacker has):")
    for kind, (space, what) in SPACES.items():
        bits = blind.BITS[kind]
        seconds = space * per_tag
        print(f"  {kind:<10} {bits:>2} bits, {what}: {space:.3g} values, {seconds / 3600:,.1f} core-hours;"
              f" about {space / 2 ** bits:,.0f} values share each tag")

    settings.INDEX_ARGON2 = {"opslimit": 1, "memlimit": 8192}  # the rate does not depend on the cost
    print("\nChance matches between different values (measured):")
    for kind in blind.BITS:
        n = min(4000, 2 ** (blind.BITS[kind] // 2 + 4))
        tags = Counter(blind.digest(key, kind, f"value-{i}") for i in range(n))
        pairs = sum(c * (c - 1) // 2 for c in tags.values())
        total = n * (n - 1) // 2
        print(f"  {kind:<10} {pairs} of {total} pairs = {pairs / total:.2e} (2^-{blind.BITS[kind]} = "
              f"{2 ** -blind.BITS[kind]:.2e})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
