"""The staff site speaks English, French and Russian, and the catalogues stay complete.

The catalogue tests read safepassage/locale/<lang>/LC_MESSAGES/django.po with a small parser (no
extra dependency). When one fails after you add a string: run `makemessages` (see the Makefile),
translate the new entries, then `make messages` to compile them.
"""

import ast
import gettext
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from .conftest import sign_in

LOCALE_DIR = Path(__file__).resolve().parent.parent / "safepassage" / "locale"
LANGUAGES = {"fr": 2, "ru": 3}  # language -> nplurals
# %(name)s, %(n)d ... and bare %s / %d; "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?([sdifgeExXorc])")


# --- a tiny .po parser --------------------------------------------------------------------------

@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") first; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def finish():
        nonlocal entry, target
        if entry is not None and (entry.msgid or entry.msgstr):
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        after_msgstr = target is not None and target[0] == "msgstr"
        if entry is None or (after_msgstr and line.startswith(("#", "msgid", "msgctxt"))):
            finish()
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif line.startswith("#"):
            continue
        elif match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line):
            keyword, index, text = match.groups()
            target = (keyword, int(index or 0))
            _append(entry, target, ast.literal_eval(text))
        elif line.startswith('"') and target is not None:
            _append(entry, target, ast.literal_eval(line))
        else:
            raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
    finish()
    return entries


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    keyword, index = target
    if keyword == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    else:
        setattr(entry, keyword, (getattr(entry, keyword) or "") + text)


def placeholders(text: str) -> list[str]:
    text = text.replace("%%", "")
    return sorted(name or conversion for name, conversion in PLACEHOLDER.findall(text))


def catalogue(lang: str) -> tuple[Entry, list[Entry]]:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run makemessages -l {lang} inside safepassage/"
    entries = parse_po(path)
    assert entries and entries[0].msgid == "", f"{path} has no header entry"
    return entries[0], entries[1:]


def headers(header: Entry) -> dict[str, str]:
    lines = header.msgstr.get(0, "").splitlines()
    return {key.strip(): value.strip() for key, value in (line.split(":", 1) for line in lines if ":" in line)}


# --- catalogue completeness ---------------------------------------------------------------------

def test_the_parser_reads_plurals_continuations_and_flags(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: xx\\n"\n\n'
        '#, fuzzy, python-format\nmsgid ""\n"%(n)s long "\n"line"\nmsgstr "%(n)s ligne"\n\n'
        'msgid "One"\nmsgid_plural "Many"\nmsgstr[0] "Un"\nmsgstr[1] ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n',
        encoding="utf-8",
    )
    header, first, second = parse_po(po)
    assert headers(header) == {"Language": "xx"}
    assert (first.msgid, first.msgstr) == ("%(n)s long line", {0: "%(n)s ligne"})
    assert first.flags == {"fuzzy", "python-format"}
    assert (second.msgid_plural, second.msgstr) == ("Many", {0: "Un", 1: ""})
    assert placeholders("%(a)s and %(b)d, 100%% and %s") == ["a", "b", "s"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_header_is_complete_and_plural_forms_are_right(lang):
    header, _ = catalogue(lang)
    assert "fuzzy" not in header.flags, f"{lang}: remove '#, fuzzy' from the header once it is filled in"
    fields = headers(header)
    assert fields.get("Language") == lang
    assert fields.get("Content-Type") == "text/plain; charset=UTF-8"
    assert fields.get("Plural-Forms", "").startswith(f"nplurals={LANGUAGES[lang]};"), fields.get("Plural-Forms")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(lang):
    _, entries = catalogue(lang)
    assert entries, f"{lang}: the catalogue is empty"
    untranslated, fuzzy, wrong_forms = [], [], []
    for entry in entries:
        if "fuzzy" in entry.flags:
            fuzzy.append(entry.label)
        expected = range(LANGUAGES[lang]) if entry.msgid_plural is not None else range(1)
        if sorted(entry.msgstr) != list(expected):
            wrong_forms.append(f"{entry.label} has forms {sorted(entry.msgstr)}, expected {list(expected)}")
        if any(not entry.msgstr.get(i, "").strip() for i in expected):
            untranslated.append(entry.label)
    assert not untranslated, f"{lang}: untranslated entries:\n" + "\n".join(untranslated)
    assert not fuzzy, f"{lang}: fuzzy entries (check the translation, then remove the flag):\n" + "\n".join(fuzzy)
    assert not wrong_forms, f"{lang}: wrong number of plural forms:\n" + "\n".join(wrong_forms)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_every_placeholder(lang):
    _, entries = catalogue(lang)
    problems = []
    for entry in entries:
        if "python-format" not in entry.flags:
            continue
        wanted = set(placeholders(entry.msgid))
        allowed = wanted | set(placeholders(entry.msgid_plural or ""))
        for index, text in sorted(entry.msgstr.items()):
            found = set(placeholders(text))
            # Every placeholder of the msgid must survive; an unknown one would raise KeyError at runtime.
            if not wanted <= found or not found <= allowed:
                problems.append(f"{entry.label} msgstr[{index}] {text!r}: has {sorted(found)}, "
                                f"needs {sorted(wanted)} (may also use {sorted(allowed - wanted)})")
    assert not problems, f"{lang}: placeholders lost or invented:\n" + "\n".join(problems)


def test_russian_translations_are_in_russian():
    _, entries = catalogue("ru")
    copied = [e.label for e in entries if any(not re.search("[а-яё]", s, re.I) for s in e.msgstr.values())]
    assert not copied, "ru: entries without any Cyrillic (copied from English?):\n" + "\n".join(copied)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(lang):
    mo = LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    _, entries = catalogue(lang)
    stale = []
    for entry in entries:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        for index, text in entry.msgstr.items():
            got = compiled._catalog.get((key, index) if entry.msgid_plural is not None else key)
            if got != text:
                stale.append(entry.label)
    assert not stale, f"{lang}: django.mo is older than django.po; run `make messages`:\n" + "\n".join(stale)


# --- the site in each language ------------------------------------------------------------------

def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("accept", "lang", "expected", "absent"),
    [
        (None, "en", ["Staff sign-in", "After your password you will be asked"], []),
        ("de-DE,de;q=0.9", "en", ["Staff sign-in"], []),
        ("fr-FR,fr;q=0.9,en;q=0.5", "fr", ["Connexion du personnel", "Nom d'utilisateur", "Mot de passe",
                                           "Continuer"], ["Staff sign-in"]),
        ("ru", "ru", ["Вход для сотрудников", "Имя пользователя", "Пароль", "Продолжить"], ["Staff sign-in"]),
    ],
)
def test_login_page_follows_accept_language(db, accept, lang, expected, absent):
    client = Client(headers={"accept-language": accept} if accept else {})
    text = page(client, "/staff/login/")
    assert f'<html lang="{lang}">' in text
    for phrase in expected:
        assert phrase in text
    for phrase in absent:
        assert phrase not in text


@pytest.mark.parametrize(
    ("lang", "error"),
    [("fr", "Nom d'utilisateur ou mot de passe incorrect"), ("ru", "Неверное имя пользователя или пароль")],
)
def test_form_errors_are_translated(db, lang, error):
    client = Client(headers={"accept-language": lang})
    response = client.post("/staff/login/", {"username": "nobody-here", "password": "whatever it is"})
    assert error in html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        ("fr", ["Mes dossiers", "Se déconnecter", "Mot de passe", "Pseudonyme", "Urgence",
                "Vous n'êtes membre d'aucun dossier."], ["My cases", "Sign out"]),
        ("ru", ["Мои дела", "Выйти", "Пароль", "Псевдоним", "Срочность",
                "Вы не участвуете ни в одном деле."], ["My cases", "Sign out"]),
    ],
)
def test_signed_in_pages_follow_accept_language(org, lang, expected, absent):
    client = sign_in(org.coordinator, Client(headers={"accept-language": lang}))
    text = page(client, "/staff/cases/")
    assert f'<html lang="{lang}">' in text
    for phrase in expected:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase


# The CLDR rules: French uses the singular for 0 and 1; Russian has one/few/many (1, 21 / 2-4, 22 / 0, 5-20, 11-14).
PLURAL_INDEX = {
    "fr": {0: 0, 1: 0, 2: 1, 5: 1, 100: 1},
    "ru": {0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 14: 2, 20: 2, 21: 0, 22: 1, 25: 2, 101: 0, 111: 2, 112: 2},
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_choose_the_right_form(lang):
    _, entries = catalogue(lang)
    plurals = [entry for entry in entries if entry.msgid_plural is not None]
    assert plurals, "no plural entry to check"
    with translation.override(lang):
        for entry in plurals:
            for n, index in PLURAL_INDEX[lang].items():
                assert translation.ngettext(entry.msgid, entry.msgid_plural, n) == entry.msgstr[index], (entry.label, n)
