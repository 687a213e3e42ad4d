"""Names as comparable keys: Cyrillic to Latin, then spelling variants folded together.

The same man is written "Ахмед Исмаилов" in his internal passport, "Akhmed Ismailov" in his
international one and "Ahmed Ismailov" by a journalist. A blind index can only find him twice
if all three become the same key before they are hashed, so `name_parts` does, in this order:

1. Unicode NFC, then casefold ("Ё" and "ё", "ß" and "ss" compare equal).
2. Cyrillic to Latin with one fixed table, close to ICAO Doc 9303 (Russian passports since
   2013): х→kh, ж→zh, ц→ts, ч→ch, ш→sh, щ→shch, й→i, ы→y, ю→iu, я→ia, е/ё/э→e; ь and ъ are
   dropped; Ukrainian, Belarusian and Chechen letters are covered too (і, ї, є, ґ, ў, palochka).
3. Accents stripped (é→e, ç→c) and a few Latin letters that do not decompose mapped (ł→l,
   ø→o, ı→i); anything that is not a letter a–z separates words.
4. Each word folded (`fold_word`), so that the usual Latin spellings of one Cyrillic name meet:
   - shch, sch → sh; tsch, tch → ch            (Shchukin, Schukin)
   - dzh, dj → zh                              (Dzhamal, Djamal)
   - kh → h                                    (Akhmed, Ahmed; Khasan, Hasan)
   - tz → ts; x → ks; w → v                    (Aleksandr, Alexandr; Wladimir, Vladimir)
   - ou → u                                    (French: Youssoupov, Yusupov)
   - y → i; j → i                              (Yusupov, Iusupov, Jusupov; Mariya, Marija)
   - "ie" at the start of a word → e           (Yevgeny, Evgeny; Yelena, Elena)
   - a letter written twice → once             (Hassan, Hasan; Mariia, Maria; Evgenii, Evgeni)

Folding makes some different names equal ("Zhanna" and "Dzhanna"); that is acceptable, since a
blind-index hit is only ever shown as a *possible* match for a coordinator to check. What it does
not fold, on purpose: g/h (Magomed is not Mahomed: the h-spelling is Ukrainian and rare in the
North Caucasus), French "j" for ж (Jamal stays apart from Dzhamal), gendered endings (Ismailov
and Ismailova are different people), and scripts other than Latin and Cyrillic (dropped).
"""

import re
import unicodedata

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    # Ukrainian and Belarusian
    "і": "i", "ї": "i", "є": "ie", "ґ": "g", "ў": "u",
    # Chechen and other Caucasian alphabets: the palochka marks a sound Latin spellings skip
    "\u04cf": "",  # ӏ (U+04C0 Ӏ casefolds to it)
}

# Latin letters that NFKD does not split into a base letter and an accent.
LATIN_EXTRA = {"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}

# (pattern, replacement), applied to one word in this order.
FOLDS = [
    (re.compile(r"shch|sch"), "sh"),
    (re.compile(r"tsch|tch"), "ch"),
    (re.compile(r"dzh|dj"), "zh"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"tz"), "ts"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"^ie"), "e"),
    (re.compile(r"([a-z])\1+"), r"\1"),
]

_NOT_LETTERS = re.compile(r"[^a-z]+")


def to_latin(text: str) -> str:
    """Lower-case Latin letters and separators: Cyrillic transliterated, accents removed."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = "".join(CYRILLIC.get(ch, ch) for ch in text)
    text = "".join(LATIN_EXTRA.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_word(word: str) -> str:
    """One lower-case Latin word with its spelling variants folded (see the module docstring)."""
    for pattern, replacement in FOLDS:
        word = pattern.sub(replacement, word)
    return word


def name_parts(name: str) -> list[str]:
    """The folded words of a name, in the order written; empty when nothing comparable is left."""
    words = _NOT_LETTERS.split(to_latin(name))
    return [folded for folded in (fold_word(w) for w in words if w) if folded]
