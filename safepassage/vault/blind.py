"""Blind indexes: equality search over encrypted fields without decrypting them.

A digest is HMAC-SHA256(organisation index key, kind + ":" + normalised token), in hex. The index
key is a DataKey sealed to staff like a case key, so digests are computed only inside an unlocked
staff session, and a copy of the database (digests, no key) does not allow testing guesses.

Tokens, by kind:
- "name": every folded word of the name of two letters or more, and, when there are several,
  the whole name as its words sorted and joined by one space (so "Ismailov Akhmed" and
  "Akhmed Ismailov" meet). Words come already transliterated and folded (cases/translit.py:
  the vault stays free of language rules).
- "phone": digits only; an 11-digit number starting with 8 is a Russian trunk prefix and
  becomes 7; then the last 10 digits. "+7 (928) 123-45-67", "8 928 123 45 67" and
  "9281234567" meet. Fewer than 6 digits give no token (too short to mean anything).
  International and national forms meet only where the national number has 10 digits.
- "birth_date": ISO 8601, YYYY-MM-DD.
"""

import datetime
import hashlib
import hmac
import re

MIN_WORD = 2
MIN_PHONE_DIGITS = 6
PHONE_DIGITS = 10

_DIGITS = re.compile(r"\d")


def digest(key: bytes, kind: str, token: str) -> str:
    if ":" in kind or not token:
        raise ValueError("a kind without ':' and a non-empty token")
    return hmac.new(key, f"{kind}:{token}".encode(), hashlib.sha256).hexdigest()


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
        found.add(("name", whole))
    if (p := phone_token(phone)) is not None:
        found.add(("phone", p))
    if (d := date_token(birth_date)) is not None:
        found.add(("birth_date", d))
    return found


def digests(key: bytes, found: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """(kind, digest) for each (kind, token)."""
    return {(kind, digest(key, kind, token)) for kind, token in found}
