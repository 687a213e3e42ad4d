"""Every audit action the code writes has a readable, translatable name on the audit page."""

import re
from pathlib import Path

from safepassage.audit.labels import ACTIONS

SOURCE = Path(__file__).resolve().parent.parent / "safepassage"
CODE = re.compile(r'"([a-z0-9_]+\.[a-z0-9_.]+)"')


def written_codes():
    """Audit codes: string literals passed to record() or chosen for it (audit_as=..., x if y else z)."""
    codes = set()
    for path in SOURCE.rglob("*.py"):
        for line in path.read_text().splitlines():
            if "record(" in line or "audit_as" in line or ('"approval.' in line):
                codes.update(c for c in CODE.findall(line) if not c.endswith((".py", ".html")))
    return codes


def test_the_scan_finds_the_known_codes():
    assert {"case.read", "login.failed", "approval.refused"} <= written_codes()


def test_every_written_audit_code_has_a_label():
    missing = sorted(written_codes() - set(ACTIONS))
    assert not missing, missing
