"""Blind indexes: equality search over encrypted fields without decrypting them, in the style of
CipherSweet's slow, truncated blind indexes.

A tag is Argon2id(kind + ":" + normalised token, salt derived from the organisation's index key
and the kind), cut to BITS[kind] bits, in hex. The index key is a DataKey sealed only to the roles
that vet and match, so tags are made inside such a session; a copy of the database (tags, no key)
allows no guessing. With the key as well, each guess costs one Argon2id (INDEX_ARGON2), and the
truncation leaves many plausible values behind every tag on purpose: a phone number's tag is shared
by about a thousand numbers, so even a full sweep of the numbering plan narrows a number down to a
thousand candidates, not to one (docs/security.md gives the measured rates and costs). The price is
deliberate false matches, which the matching page labels and caps.

Tokens, by kind:
- "name": every folded word of the name of two letters or more; "full_name": when there are
  several, the whole name as its words sorted and joined by one space (so "Ismailov Akhmed" and
  "Akhmed Ismailov" meet). Words come already transliterated and folded (cases/translit.py:
  the vault stays free of language rules).
- "phone": digits only; an 11-digit number starting with 8 is a Russian trunk prefix and
  becomes 7; then the last 10 digits. "+7 (928) 123-45-67", "8 928 123 45 67" and
  "9281234567" meet. Fewer than 6 digits give no token (too short to mean anything).
  International and national forms meet only where the national number has 10 digits.
- "birth_date": ISO 8601, YYYY-MM-DD.
"""

import datetime
import re

import nacl.encoding
import nacl.hash
import nacl.pwhash
from django.conf import settings

MIN_WORD = 2
MIN_PHONE_DIGITS = 6
PHONE_DIGITS = 10
# Bits kept of each tag. Fewer bits, more plausible values behind each tag (and more false matches):
# about 2**bits values of a kind share nothing but chance with a given tag, so for a kind with N
# plausible values a tag leaves about N / 2**bits candidates to a sweep with the key.
BITS = {"name": 14, "full_name": 20, "phone": 20, "birth_date": 12}

_DIGITS = re.compile(r"\d")


def _salt(key: bytes, kind: str) -> bytes:
    return nacl.hash.blake2b(key, digest_size=nacl.pwhash.argon2id.SALTBYTES, person=f"sp-idx-{kind}".encode()[:16],
                             encoder=nacl.encoding.RawEncoder)


def digest(key: bytes, kind: str, token: str) -> str:
    """The truncated tag of one token: slow (Argon2id) and short on purpose."""
    if kind not in BITS or not token:
        raise ValueError("a known kind and a non-empty token")
    params = settings.INDEX_ARGON2
    raw = nacl.pwhash.argon2id.kdf(16, f"{kind}:{token}".encode(), _salt(key, kind),
                                   opslimit=params["opslimit"], memlimit=params["memlimit"])
    bits = BITS[kind]
    value = int.from_bytes(raw, "big") >> (128 - bits)
    return f"{value:0{(bits + 3) // 4}x}"


def name_tokens(words: list[str]) -> tuple[str | None, list[str]]:
    """(the whole-name token or None, the single-word tokens) for already folded words."""
    words = [w for w in words if len(w) >= MIN_WORD]
    singles = sorted(set(words))
    whole = " ".join(sorted(words)) if len(words) > 1 else None
    return whole, singles


def phone_token(raw: str) -> str | None:
    digits = "".join(_DIGITS.findall(raw or ""))
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits[-PHONE_DIGITS:]


def date_token(value) -> str | None:
    if not value:
        return None
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value.isoformat()


def tokens(name_words: list[str], phone: str, birth_date) -> set[tuple[str, str]]:
    """Every (kind, token) of one person."""
    whole, singles = name_tokens(name_words)
    found = {("name", w) for w in singles}
    if whole:
        found.add(("full_name", whole))
    if (p := phone_token(phone)) is not None:
        found.add(("phone", p))
    if (d := date_token(birth_date)) is not None:
        found.add(("birth_date", d))
    return found


def digests(key: bytes, found: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """(kind, digest) for each (kind, token)."""
    return {(kind, digest(key, kind, token)) for kind, token in found}
