"""The console commands: init-org, demo (refused outside demo mode), check --deploy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safepassage.accounts.models import Organisation, User
from safepassage.vault import recovery

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_init_org_creates_org_coordinator_and_prints_recovery_code_once(tmp_path, capsys):
    pw = tmp_path / "pw"
    pw.write_text("a long enough first password\n")
    call_command("init_org", "Helpers", "firstcoord", "--password-file", str(pw))
    out = capsys.readouterr().out
    org = Organisation.objects.get(name="Helpers")
    user = User.objects.get(username="firstcoord")
    assert user.role_codes == {"coordinator", "admin"}
    code = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    recovery.secret_from_code(code, bytes(org.recovery_public_key))
    # Never stored: not in any column of the organisation.
    assert code not in str(Organisation.objects.values().get())


@pytest.mark.django_db
def test_init_org_refuses_a_weak_password(tmp_path):
    pw = tmp_path / "pw"
    pw.write_text("short")
    with pytest.raises(CommandError):
        call_command("init_org", "Helpers", "firstcoord", "--password-file", str(pw))
    assert not Organisation.objects.exists()


def test_demo_is_refused_outside_demo_mode():
    with pytest.raises(CommandError, match="Refused"):
        call_command("demo")


def run(*args, **env):
    full = {k: v for k, v in os.environ.items()
            if not k.startswith(("SAFEPASSAGE", "DJANGO_")) and k != "DATABASE_URL"}
    full.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    result = run("check")
    assert result.returncode != 0 and "SAFEPASSAGE_SECRET_KEY" in result.stderr


def test_production_mode_passes_check_deploy_with_no_warnings(tmp_path):
    key = tmp_path / "key"
    key.write_text(secrets.token_urlsafe(50))
    result = run("check", "--deploy", "--fail-level", "WARNING", SAFEPASSAGE_SECRET_KEY_FILE=str(key),
                 SAFEPASSAGE_ALLOWED_HOSTS="help.example.org", SAFEPASSAGE_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_console_script_maps_dashes_to_commands():
    result = subprocess.run([str(Path(sys.executable).parent / "safepassage"), "init-org", "--help"],
                            env={**os.environ, "SAFEPASSAGE_ENV": "test"}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and "recovery" in result.stdout


def test_demo_seeds_a_fictional_organisation_in_demo_mode(tmp_path):
    env = {"SAFEPASSAGE_ENV": "demo", "SAFEPASSAGE_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/demo.sqlite3"}
    assert run("migrate", "-v0", **env).returncode == 0
    result = run("demo", **env)
    assert result.returncode == 0, result.stderr
    assert "FICTIONAL" in result.stdout and "demo-coordinator2" in result.stdout
    assert (tmp_path / "demo-credentials.txt").stat().st_mode & 0o077 == 0
    again = run("demo", **env)
    assert again.returncode != 0 and "already" in again.stderr
    code = run("demo_totp", "demo-coordinator", **env)
    assert code.returncode == 0 and code.stdout.strip().isdigit()
