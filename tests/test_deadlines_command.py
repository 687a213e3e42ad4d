"""`safepassage deadlines EVENT DATE [--rules NAME]`: what a legal adviser reads and checks by hand."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(*args) -> str:
    out = StringIO()
    call_command("deadlines", *args, stdout=out)
    return out.getvalue()


def test_prints_the_due_date_with_its_weekday_the_rule_its_source_and_the_arithmetic():
    out = run("ofpra_decision_notified", "2024-03-01")
    assert ("Rule set: fr-2024 (FR, from 2024-01-28), Loi n° 2024-42 du 26 janvier 2024: "
            "in force on the event date") in out
    assert "Event:    ofpra_decision_notified, OFPRA decision notified, Friday 2024-03-01" in out
    assert "Tuesday 2024-04-02    Appeal to the CNDA" in out
    assert "rule     cnda_appeal" in out
    assert "source   CESEDA art. L.532-1 [anc. L.731-2] (not confirmed by a lawyer)" in out
    assert ("counted  1 month from 2024-03-01 = 2024-04-01 (Monday); moved from Monday 2024-04-01 "
            "(holiday: Easter Monday) to Tuesday 2024-04-02") in out
    # Soonest first: the legal-aid limit comes before the appeal.
    assert out.index("cnda_legal_aid") < out.index("cnda_appeal")


def test_a_weekend_move_is_named():
    out = run("guda_registration", "2024-05-11")
    assert "Monday 2024-06-03" in out
    assert "moved from Saturday 2024-06-01 (weekend) to Monday 2024-06-03" in out


def test_legal_aid_dates_are_options_of_the_ofpra_decision():
    out = run("ofpra_decision_notified", "2024-03-01", "--legal-aid-requested", "2024-03-10",
              "--legal-aid-decided", "2024-05-02")
    assert "Friday 2024-05-24" in out
    assert "legal aid requested 2024-03-10: 22 days were left" in out
    assert ("Facts:    Legal aid requested for the CNDA appeal: 2024-03-10; "
            "Legal-aid decision notified: 2024-05-02") in out


def test_an_awaited_legal_aid_decision_shows_the_appeal_as_suspended():
    out = run("ofpra_decision_notified", "2024-03-01", "--legal-aid-requested", "2024-03-10")
    assert "suspended             Appeal to the CNDA" in out


def test_rules_can_be_forced_and_the_set_in_force_is_still_named():
    out = run("visa_refused_notified", "2023-01-02", "--rules", "fr-2020")
    assert "Rule set: fr-2020" in out and "the set in force on the event date is fr-2023" in out
    assert "2 months from 2023-01-02 = 2023-03-02 (Thursday)" in out


def test_an_event_before_every_rule_set_needs_one_named():
    with pytest.raises(CommandError, match="No rule set for FR is in force on 2018-06-01"):
        run("arrival", "2018-06-01")
    out = run("arrival", "2018-06-01", "--rules", "fr-2019")
    assert "no rule set is in force on the event date" in out and "2018-08-30" in out


def test_procedure_keeps_one_certificate_rule():
    out = run("asylum_certificate_issued", "2024-03-10", "--procedure", "accelerated")
    assert "asylum_certificate_expiry_accelerated" in out and "asylum_certificate_expiry_normal" not in out


def test_list_shows_rule_sets_and_events_and_a_sets_rules():
    out = run("--list")
    for name in ("fr-2019", "fr-2020", "fr-2023", "fr-2024"):
        assert name in out
    assert "ofpra_decision_notified" in out and "--legal-aid-requested" in out
    assert "Rules of" not in out
    out = run("--list", "--rules", "fr-2019")
    assert "Rules of fr-2019:" in out and "visa_refusal_appeal" in out and "2 months" in out


def test_an_unknown_event_lists_the_valid_ones():
    with pytest.raises(CommandError, match="Unknown event 'visa'. Valid events: visa_refused_notified, "):
        run("visa", "2024-03-01")


@pytest.mark.parametrize("bad", ["2024-02-30", "01/03/2024", "2024-W10-1", "tomorrow"])
def test_a_bad_date_is_refused_with_the_format(bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("arrival", bad)


@pytest.mark.parametrize("args, message", [
    ((), "Give EVENT and DATE"),
    (("arrival",), "Give EVENT and DATE"),
    (("arrival", "2024-03-01", "--rules", "fr-1999"), "Unknown rule set 'fr-1999'"),
    (("arrival", "2024-03-01", "--legal-aid-requested", "2024-03-02"), "does not apply to arrival"),
    (("ofpra_decision_notified", "2024-03-01", "--legal-aid-decided", "2024-03-02"), "needs legal_aid_requested"),
    (("legal_aid_requested", "2024-03-01"), "is a fact"),
])
def test_mistakes_get_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_the_console_script_runs_it():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "safepassage"), "deadlines", "ofpra_decision_notified", "2024-03-01"],
        env={**os.environ, "SAFEPASSAGE_ENV": "test"}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Tuesday 2024-04-02" in result.stdout and "cnda_appeal" in result.stdout


def test_manage_py_runs_it_and_fails_cleanly_on_a_bad_event():
    result = subprocess.run([sys.executable, "manage.py", "deadlines", "nope", "2024-03-01"], cwd=ROOT,
                            env={**os.environ, "SAFEPASSAGE_ENV": "test"}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "Valid events:" in result.stderr and "Traceback" not in result.stderr
