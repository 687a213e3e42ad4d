"""The catalogues cover every string in the code: makemessages, run on a copy of the package,
finds nothing untranslated. (test_i18n.py checks the entries the catalogues already have.)"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "safepassage"


def untranslated(po: Path) -> list[str]:
    """msgids whose translation is empty or marked fuzzy. A tiny .po reader: entries are separated
    by blank lines; a field's text is its quoted pieces joined."""
    missing = []
    for entry in po.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = [line for line in entry.splitlines() if not line.startswith("#~")]
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            key = re.match(r"^(msgid_plural|msgid|msgstr(?:\[\d\])?) ", line)
            if key:
                current = key.group(1)
                fields[current] = ""
                line = line[len(current) + 1:]
            if current and line.startswith('"'):
                fields[current] += line[1:-1]
        if not fields.get("msgid"):
            continue  # the header, or an obsolete entry
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        empty = any(not text for key, text in fields.items() if key.startswith("msgstr"))
        if fuzzy or empty:
            missing.append(fields["msgid"])
    return missing


def test_every_string_in_the_code_is_translated(tmp_path):
    copy = tmp_path / "safepassage"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "SAFEPASSAGE_ENV": "test", "DJANGO_SETTINGS_MODULE": "safepassage.settings"}
    manage = [sys.executable, "-m", "django", "makemessages", "-l", "fr", "-l", "ru", "--no-location"]
    result = subprocess.run(manage, cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    problems = {lang: untranslated(copy / "locale" / lang / "LC_MESSAGES" / "django.po") for lang in ("fr", "ru")}
    assert problems == {"fr": [], "ru": []}, problems
