"""Vault costs that shape the user's experience: sign-in (Argon2id), opening a page of cases
(sealed-box opens + AEAD opens), and the audit chain's append rate.

Run: SAFEPASSAGE_ENV=test .venv/bin/python bench/vault_bench.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SAFEPASSAGE_ENV", "test")

from safepassage.vault import crypto  # noqa: E402

PRODUCTION_ARGON2 = {"opslimit": 2, "memlimit": 64 * 1024 * 1024}
PRODUCTION_RECEIPT = {"opslimit": 3, "memlimit": 64 * 1024 * 1024}


def timed(fn, repeat):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main():
    salt = crypto.random_bytes(crypto.SALT_BYTES)
    unlock = timed(lambda: crypto.derive_key("a passphrase of five words", salt, **PRODUCTION_ARGON2), 5)
    receipt = timed(lambda: crypto.derive_key("seven words of a receipt phrase here", salt, **PRODUCTION_RECEIPT), 5)

    public, secret = crypto.new_keypair()
    case_keys = [crypto.random_key() for _ in range(25)]
    grants = [crypto.seal_to(public, k) for k in case_keys]
    fields = [crypto.aead_seal(k, b"Pseudonym Example", b"aad") for k in case_keys]

    def open_page():
        for g, f in zip(grants, fields, strict=True):
            crypto.aead_open(crypto.open_sealed(secret, g), f, b"aad")

    page = timed(open_page, 50)
    text = ("x" * 20000).encode()
    key = crypto.random_key()
    seal_20k = timed(lambda: crypto.aead_seal(key, text, b"aad"), 200)

    rows = [
        ("sign-in key derivation (Argon2id, 2 passes, 64 MiB)", f"{unlock * 1000:.0f} ms"),
        ("one receipt derivation (Argon2id, 3 passes, 64 MiB; a follow-up costs two)", f"{receipt * 1000:.0f} ms"),
        ("open one page of 25 cases (25 sealed boxes + 25 fields)", f"{page * 1000:.2f} ms"),
        ("seal a 20 kB summary (XChaCha20-Poly1305)", f"{seal_20k * 1e6:.0f} µs"),
    ]
    print("| measurement | median |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
