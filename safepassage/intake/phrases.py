"""Receipt phrases: random words from a bundled list in the applicant's language.

The lists are the BIP-39 word lists shipped inside the `mnemonic` package (2048 words each in
English, French and Russian, chosen to be unambiguous by their first letters). A few words that
would frighten or mislead someone in danger are left out."""

import math
import secrets
from functools import cache

from mnemonic import Mnemonic

from safepassage.vault.receipts import normalise

WORDS = 7
LANGUAGES = {"en": "english", "fr": "french", "ru": "russian"}
# Not in a receipt for someone hiding from police.
AVOID = {
    "en": {"police", "arrest", "prison", "jail", "agent", "spy", "weapon", "gun", "bomb", "kill", "dead",
           "death", "victim", "enemy", "betray", "danger", "army", "soldier", "attack", "blood", "bullet", "rifle",
           "pistol", "knife", "riot", "suspect", "crime", "witness", "judge", "hunt", "trap", "chase", "escape",
           "border", "abuse", "injury", "panic", "siren"},
    "fr": {"police", "prison", "agent", "arme", "bombe", "tuer", "victime", "ennemi", "danger", "armee",
           "soldat", "attaque", "sang", "otage", "espion", "couteau", "combat", "bataille", "canon", "fuite",
           "cachette", "suspect"},
    "ru": {"агент", "арест", "армия", "атака", "бомба", "враг", "жертва", "кровь", "оружие", "полиция",
           "солдат", "тюрьма", "убийца", "шпион", "опасный", "милиция", "обыск", "розыск", "донос", "засада",
           "пуля", "патрон", "снаряд", "взрыв", "война", "штык", "пушка", "ракета", "топор", "бандит", "угроза",
           "кража", "удар", "кулак", "косяк"},
}


@cache
def wordlist(language: str) -> tuple[str, ...]:
    words = Mnemonic(LANGUAGES.get(language, "english")).wordlist
    avoid = AVOID.get(language, AVOID["en"])
    return tuple(w for w in words if normalise(w) not in avoid)


def bits(language: str) -> float:
    return WORDS * math.log2(len(wordlist(language)))


def new_phrase(language: str) -> str:
    words = wordlist(language)
    return " ".join(secrets.choice(words) for _ in range(WORDS))
