"""The layers hold (docs/architecture.md), and the contract that says so fails when someone adds
an upward import: `make lint` runs it; here it is tried on a copy of the package with an upward
import planted, and the public site's own imports are checked one by one."""

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"]


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(LINT + ["--config", str(tree / "pyproject.toml")], cwd=tree, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    tree = tmp_path_factory.mktemp("layers")
    shutil.copytree(ROOT / "safepassage", tree / "safepassage", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def plant(copy, module: str, line: str):
    path = copy / (module.replace(".", "/") + ".py")
    original = path.read_text()
    path.write_text(original + "\n" + line + "  # noqa\n")
    return path, original


def test_the_tree_keeps_every_contract(copy):
    result = lint(copy)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module, line, says", [
    ("safepassage.cases.actions.core", "from safepassage.dossiers import erasure", "safepassage.cases is not allowed"),
    ("safepassage.audit.views", "from safepassage.cases import access", "safepassage.audit is not allowed"),
    ("safepassage.accounts.context", "from safepassage.cases import access", "safepassage.accounts is not allowed"),
    ("safepassage.evidence.actions.files", "from safepassage.dossiers import models", "safepassage.evidence is not"),
    ("safepassage.vault.crypto", "from safepassage.accounts import models", "safepassage.vault is not allowed"),
    ("safepassage.public.views", "from safepassage.intake import actions", "safepassage.public is not allowed"),
    # An indirect way in: intake's service must not lead to staff code either.
    ("safepassage.intake.service", "from safepassage.cases import access", "safepassage.public is not allowed"),
])
def test_an_upward_import_breaks_the_build(copy, module, line, says):
    path, original = plant(copy, module, line)
    try:
        result = lint(copy)
    finally:
        path.write_text(original)
    assert result.returncode != 0
    assert says in result.stdout, result.stdout[-2000:]


def test_the_public_site_imports_only_intakes_service_and_shared_helpers():
    graph = grimp.build_graph("safepassage", cache_dir=None)
    public = {m for m in graph.modules if m == "safepassage.public" or m.startswith("safepassage.public.")}
    outside = {imported for m in public for imported in graph.find_modules_directly_imported_by(m)
               if imported.startswith("safepassage") and imported not in public}
    allowed = {"safepassage.intake", "safepassage.intake.service", "safepassage.settings"}
    assert {m for m in outside if not m.startswith("safepassage.lib")} <= allowed, outside
    assert "safepassage.intake.service" in outside
