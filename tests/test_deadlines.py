"""The deadline engine, with worked examples a legal adviser can redo with a paper calendar.

Conventions (docs/deadlines.md): the event day is not counted; months are calendar months clamped
to the end of a shorter month; a time limit ending on a Saturday, Sunday or public holiday runs
to the next working day unless its rule says otherwise."""

import calendar
from datetime import date, datetime, timedelta

import pytest
from django.utils import translation
from django.utils.functional import Promise
from hypothesis import given
from hypothesis import strategies as st

from safepassage.cases import deadlines, holidays
from safepassage.cases.deadlines import add_months, add_working_days, compute, for_events, ruleset_for
from safepassage.cases.rules import EVENTS, RULESETS, Unit


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def due(event, day, code, ruleset=None, **facts):
    return next(d for d in compute(event, day, ruleset, **facts) if d.rule.code == code)


# Calendar months

def test_31_january_plus_one_month_is_28_february_in_a_common_year():
    # 2023 is not a leap year: February has 28 days, so the 31st clamps to the 28th.
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)


def test_31_january_plus_one_month_is_29_february_in_a_leap_year():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_30_january_plus_one_month_in_a_leap_year_is_29_february():
    assert add_months(date(2024, 1, 30), 1) == date(2024, 2, 29)


def test_2100_is_not_a_leap_year():
    # Divisible by 100 and not by 400.
    assert add_months(date(2100, 1, 31), 1) == date(2100, 2, 28)


def test_months_cross_the_end_of_the_year_and_keep_the_day_when_it_exists():
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2024, 12, 15), 2) == date(2025, 2, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_a_cnda_appeal_from_31_january_ends_on_the_last_day_of_february():
    # 31 Jan 2023 + 1 month = Tuesday 28 Feb 2023, a working day: no move.
    deadline = due("ofpra_decision_notified", date(2023, 1, 31), "cnda_appeal")
    assert deadline.raw == deadline.due == date(2023, 2, 28)
    # 31 Jan 2024 + 1 month = Thursday 29 Feb 2024.
    assert due("ofpra_decision_notified", date(2024, 1, 31), "cnda_appeal").due == date(2024, 2, 29)


# Public holidays

@pytest.mark.parametrize("year, easter", [
    (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2000, date(2000, 4, 23)),
    (2038, date(2038, 4, 25)), (2019, date(2019, 4, 21)), (1818, date(1818, 3, 22)), (1943, date(1943, 4, 25)),
])
def test_easter_sunday_by_the_anonymous_gregorian_algorithm(year, easter):
    assert holidays.easter_sunday(year) == easter


def test_the_eleven_national_holidays_of_2024():
    days = holidays.holidays(2024)
    assert {day: h.code for day, h in days.items()} == {
        date(2024, 1, 1): "new_year", date(2024, 4, 1): "easter_monday", date(2024, 5, 1): "labour_day",
        date(2024, 5, 8): "victory_day", date(2024, 5, 9): "ascension", date(2024, 5, 20): "whit_monday",
        date(2024, 7, 14): "national_day", date(2024, 8, 15): "assumption", date(2024, 11, 1): "all_saints",
        date(2024, 11, 11): "armistice", date(2024, 12, 25): "christmas"}


def test_alsace_moselle_days_only_on_request():
    assert holidays.holiday(date(2024, 3, 29)) is None  # Good Friday
    assert holidays.holiday(date(2024, 12, 26)) is None
    assert holidays.holiday(date(2024, 3, 29), alsace_moselle=True).code == "good_friday"
    assert holidays.holiday(date(2024, 12, 26), alsace_moselle=True).code == "st_stephen"


# Moving to the next working day

@pytest.mark.parametrize("event_day, raw, expected, reason", [
    # 11 May + 21 days = Saturday 1 June 2024 -> Monday 3 June.
    (date(2024, 5, 11), date(2024, 6, 1), date(2024, 6, 3), "weekend"),
    # 19 May + 21 days = Sunday 9 June 2024 -> Monday 10 June.
    (date(2024, 5, 19), date(2024, 6, 9), date(2024, 6, 10), "weekend"),
    # 23 June + 21 days = Sunday 14 July 2024 (weekend and holiday) -> Monday 15 July.
    (date(2024, 6, 23), date(2024, 7, 14), date(2024, 7, 15), "holiday: National Day (14 July)"),
    # 10 April + 21 days = Thursday 1 May 2025 -> Friday 2 May.
    (date(2025, 4, 10), date(2025, 5, 1), date(2025, 5, 2), "holiday: Labour Day"),
    # 18 April + 21 days = Thursday 9 May 2024, Ascension -> Friday 10 May.
    (date(2024, 4, 18), date(2024, 5, 9), date(2024, 5, 10), "holiday: Ascension Day"),
    # 11 October + 21 days = Friday 1 November 2024, then a weekend -> Monday 4 November.
    (date(2024, 10, 11), date(2024, 11, 1), date(2024, 11, 4), "holiday: All Saints' Day"),
    # 4 December + 21 days = Wednesday 25 December 2024 -> Thursday 26 (Alsace-Moselle's holiday is not used).
    (date(2024, 12, 4), date(2024, 12, 25), date(2024, 12, 26), "holiday: Christmas Day"),
])
def test_a_21_day_period_ending_on_a_closed_day_moves_to_the_next_working_day(event_day, raw, expected, reason):
    deadline = due("guda_registration", event_day, "ofpra_application")
    assert (deadline.raw, deadline.due, deadline.closed_reason) == (raw, expected, reason)
    assert f"moved from {deadline.raw.strftime('%A')} {raw} ({reason}) to {expected.strftime('%A')} {expected}" in (
        deadline.explanation)


def test_one_month_ending_on_easter_monday_2024_moves_to_tuesday():
    # 1 March + 1 month = Monday 1 April 2024, Easter Monday -> Tuesday 2 April.
    deadline = due("ofpra_decision_notified", date(2024, 3, 1), "cnda_appeal")
    assert (deadline.raw, deadline.due) == (date(2024, 4, 1), date(2024, 4, 2))


def test_one_month_ending_on_whit_monday_2024_moves_to_tuesday():
    # 20 April + 1 month = Monday 20 May 2024, Whit Monday -> Tuesday 21 May.
    assert due("ofpra_decision_notified", date(2024, 4, 20), "cnda_appeal").due == date(2024, 5, 21)


def test_the_explanation_writes_out_the_arithmetic():
    deadline = due("guda_registration", date(2024, 3, 1), "ofpra_application")
    assert deadline.explanation == "21 days from 2024-03-01 = 2024-03-22 (Friday)"
    assert not deadline.moved


def test_an_expiry_is_not_moved_but_the_explanation_says_it_falls_on_a_closed_day():
    # A Dublin certificate issued 14 June 2024 + 1 month = Sunday 14 July: an expiry stays where it is.
    deadline = due("asylum_certificate_issued", date(2024, 6, 14), "asylum_certificate_expiry_dublin")
    assert deadline.due == deadline.raw == date(2024, 7, 14)
    assert "is not a working day (holiday: National Day (14 July)); this rule does not move it" in deadline.explanation


# Working days

def test_three_working_days_from_a_friday_skip_the_weekend():
    # Friday 1 March 2024: Monday 4 (1), Tuesday 5 (2), Wednesday 6 (3).
    deadline = due("asylum_request_presented", date(2024, 3, 1), "guda_registration_due")
    assert deadline.due == date(2024, 3, 6)


def test_working_days_skip_public_holidays_and_name_them():
    # Tuesday 7 May 2024: 8 May (holiday), 9 May (Ascension), Friday 10 (1), Monday 13 (2), Tuesday 14 (3).
    deadline = due("asylum_request_presented", date(2024, 5, 7), "guda_registration_due")
    assert deadline.due == date(2024, 5, 14)
    assert deadline.explanation == ("3 working days from 2024-05-07 = 2024-05-14 (Tuesday); not counted: "
                                    "Victory in Europe Day 2024-05-08, Ascension Day 2024-05-09")


def test_ten_working_days_when_busy_skip_whit_monday():
    # 10, 13, 14, 15, 16, 17, (20 Whit Monday), 21, 22, 23, 24 May 2024.
    assert due("asylum_request_presented", date(2024, 5, 7), "guda_registration_due_busy").due == date(2024, 5, 24)


def test_add_working_days_reports_only_holidays_not_weekends():
    day, skipped = add_working_days(date(2024, 10, 31), 1)  # Thursday; Friday 1 Nov is All Saints
    assert day == date(2024, 11, 4)
    assert [d for d, _h in skipped] == [date(2024, 11, 1)]


# "Less than nine months"

def test_reopening_must_be_asked_for_before_the_nine_month_date():
    # Closed 10 March 2024 + 9 months = 10 December; "less than" -> Monday 9 December.
    deadline = due("ofpra_file_closed", date(2024, 3, 10), "ofpra_reopening")
    assert (deadline.counted, deadline.due) == (date(2024, 12, 10), date(2024, 12, 9))
    assert '"less than" 9 months: last day 2024-12-09 (Monday)' in deadline.explanation


def test_reopening_is_never_moved_later_past_a_weekend():
    # Closed 16 March 2024 -> 16 December -> last day Sunday 15 December, kept (moving it would reach 9 months).
    deadline = due("ofpra_file_closed", date(2024, 3, 16), "ofpra_reopening")
    assert deadline.due == date(2024, 12, 15)


# Rule sets

@pytest.mark.parametrize("day, name", [
    (date(2019, 1, 1), "fr-2019"), (date(2020, 5, 10), "fr-2019"), (date(2020, 5, 11), "fr-2020"),
    (date(2022, 12, 31), "fr-2020"), (date(2023, 1, 1), "fr-2023"), (date(2024, 1, 27), "fr-2023"),
    (date(2024, 1, 28), "fr-2024"), (date(2030, 6, 1), "fr-2024"),
])
def test_the_rule_set_in_force_on_the_event_date_is_chosen(day, name):
    assert ruleset_for("FR", day).name == name
    assert compute("ofpra_decision_notified", day)[0].ruleset.name == name


def test_no_rule_set_before_the_first_one():
    with pytest.raises(deadlines.NoRuleSetInForce, match="2019-01-01"):
        compute("arrival", date(2018, 12, 31))


def test_a_rule_set_can_be_forced_by_name_or_object():
    assert compute("arrival", date(2018, 12, 31), "fr-2019")[0].ruleset.name == "fr-2019"
    fr_2019 = deadlines.get_ruleset("fr-2019")
    assert compute("arrival", date(2024, 6, 3), fr_2019)[0].ruleset is fr_2019
    with pytest.raises(deadlines.UnknownRuleSet, match="fr-2019, fr-2020, fr-2023, fr-2024"):
        compute("arrival", date(2024, 6, 3), "fr-1999")


def test_the_visa_appeal_is_two_months_until_2022_and_30_days_from_2023():
    # Notified Saturday 31 December 2022 + 2 months = Tuesday 28 February 2023.
    assert due("visa_refused_notified", date(2022, 12, 31), "visa_refusal_appeal").due == date(2023, 2, 28)
    # Notified Monday 2 January 2023 + 30 days = Wednesday 1 February 2023.
    assert due("visa_refused_notified", date(2023, 1, 2), "visa_refusal_appeal").due == date(2023, 2, 1)


def test_the_first_asylum_certificate_is_one_month_before_11_may_2020_and_by_procedure_after():
    before = compute("asylum_certificate_issued", date(2020, 5, 4))
    assert [(d.rule.code, d.due) for d in before] == [("asylum_certificate_expiry", date(2020, 6, 4))]
    after = compute("asylum_certificate_issued", date(2020, 5, 11))
    assert [(d.rule.code, d.due) for d in after] == [
        ("asylum_certificate_expiry_dublin", date(2020, 6, 11)),
        ("asylum_certificate_expiry_accelerated", date(2020, 11, 11)),
        ("asylum_certificate_expiry_normal", date(2021, 3, 11))]
    only = compute("asylum_certificate_issued", date(2020, 5, 11), procedure="normal")
    assert [d.rule.code for d in only] == ["asylum_certificate_expiry_normal"]


def test_the_2024_reform_changed_no_period_in_the_table():
    # docs/deadlines.md: we know of no period that loi 2024-42 changed; if one did, this test must change too.
    before, after = deadlines.get_ruleset("fr-2023"), deadlines.get_ruleset("fr-2024")
    assert before.codes == after.codes
    for rule in before.rules:
        other = after.rule(rule.code)
        assert (rule.event, rule.period, rule.moves_to_working_day, rule.strictly_within) == (
            other.event, other.period, other.moves_to_working_day, other.strictly_within)


def test_every_rule_cites_a_source_and_is_marked_until_a_lawyer_confirms_it():
    for ruleset in RULESETS:
        for rule in ruleset.rules:
            assert rule.source.strip(), rule.code
            assert rule.event in EVENTS and not EVENTS[rule.event].fact, rule.code
            assert isinstance(rule.label, Promise), rule.code
            assert ("not confirmed by a lawyer" in rule.citation) is not rule.confirmed


def test_rule_sets_have_unique_names_and_increasing_dates():
    names = [rs.name for rs in RULESETS]
    assert len(set(names)) == len(names)
    starts = [rs.effective_from for rs in RULESETS]
    assert starts == sorted(set(starts))


def test_events_are_listed_for_forms():
    codes = [code for code, _label in deadlines.events()]
    assert "ofpra_decision_notified" in codes and "legal_aid_requested" in codes
    assert "legal_aid_requested" not in [code for code, _label in deadlines.events(include_facts=False)]
    assert all(len(code) <= 40 for code in codes)  # CaseEvent.code


def test_unknown_events_and_facts_used_as_events_are_refused_with_the_valid_list():
    with pytest.raises(deadlines.UnknownEvent, match="Valid events: visa_refused_notified"):
        compute("visa_refused", date(2024, 3, 1))
    with pytest.raises(deadlines.UnknownEvent, match="is a fact"):
        compute("legal_aid_requested", date(2024, 3, 1))


def test_a_datetime_is_not_taken_for_a_date():
    with pytest.raises(TypeError):
        compute("arrival", datetime(2024, 3, 1, 12, 0))


# The 15-day legal-aid suspension of the CNDA appeal

def test_without_legal_aid_the_cnda_appeal_is_one_month():
    found = compute("ofpra_decision_notified", date(2024, 3, 4))
    # Monday 4 March + 15 days = Tuesday 19 March (legal aid); + 1 month = Thursday 4 April (appeal).
    assert [(d.rule.code, d.due) for d in found] == [("cnda_legal_aid", date(2024, 3, 19)),
                                                     ("cnda_appeal", date(2024, 4, 4))]


def test_legal_aid_within_15_days_suspends_and_the_remainder_runs_from_the_decision():
    # Notified Friday 1 March 2024; the month would end Monday 1 April.
    # Legal aid requested Sunday 10 March: 1 April - 10 March = 22 days left.
    # Decision notified Thursday 2 May: 2 May + 22 days = Friday 24 May 2024.
    deadline = due("ofpra_decision_notified", date(2024, 3, 1), "cnda_appeal",
                   legal_aid_requested=date(2024, 3, 10), legal_aid_decided=date(2024, 5, 2))
    assert deadline.legal_aid.remaining_days == 22
    assert deadline.due == date(2024, 5, 24)
    assert "22 days were left; legal-aid decision notified 2024-05-02 + 22 days = 2024-05-24 (Friday)" in (
        deadline.explanation)


def test_a_request_on_the_15th_day_still_suspends():
    # 1 March + 15 days = Saturday 16 March: a request that day leaves 1 April - 16 March = 16 days.
    # Decision notified Wednesday 10 April + 16 days = Friday 26 April.
    deadline = due("ofpra_decision_notified", date(2024, 3, 1), "cnda_appeal",
                   legal_aid_requested=date(2024, 3, 16), legal_aid_decided=date(2024, 4, 10))
    assert (deadline.legal_aid.remaining_days, deadline.due) == (16, date(2024, 4, 26))


def test_a_request_on_the_16th_day_does_not_suspend():
    # Sunday 17 March is after the 15th day even though the 15th was a Saturday: the earlier reading.
    deadline = due("ofpra_decision_notified", date(2024, 3, 1), "cnda_appeal",
                   legal_aid_requested=date(2024, 3, 17), legal_aid_decided=date(2024, 4, 10))
    assert deadline.due == date(2024, 4, 2)  # the plain month, moved past Easter Monday
    assert "after the last day to suspend (2024-03-16): no suspension" in deadline.explanation


def test_while_the_decision_is_awaited_the_appeal_has_no_date_and_comes_last():
    found = compute("ofpra_decision_notified", date(2024, 3, 1), legal_aid_requested=date(2024, 3, 10))
    assert [d.rule.code for d in found] == ["cnda_legal_aid", "cnda_appeal"]
    appeal = found[-1]
    assert appeal.is_suspended and appeal.due is None and appeal.days_left(date(2024, 3, 20)) is None
    assert "suspended with 22 days left" in appeal.explanation


def test_the_resumed_period_moves_off_a_weekend():
    # Decision notified Saturday 4 May 2024 + 22 days = Sunday 26 May -> Monday 27 May.
    deadline = due("ofpra_decision_notified", date(2024, 3, 1), "cnda_appeal",
                   legal_aid_requested=date(2024, 3, 10), legal_aid_decided=date(2024, 5, 4))
    assert (deadline.raw, deadline.due) == (date(2024, 5, 26), date(2024, 5, 27))


@pytest.mark.parametrize("facts, message", [
    ({"legal_aid_decided": date(2024, 4, 1)}, "needs legal_aid_requested"),
    ({"legal_aid_requested": date(2024, 2, 28)}, "before the event"),
    ({"legal_aid_requested": date(2024, 3, 10), "legal_aid_decided": date(2024, 3, 9)}, "before legal_aid_requested"),
    ({"legal_aid": date(2024, 3, 10)}, "does not apply"),
    ({"procedure": "fast"}, "Unknown procedure"),
])
def test_inconsistent_facts_are_refused(facts, message):
    with pytest.raises(deadlines.BadFacts, match=message):
        compute("ofpra_decision_notified", date(2024, 3, 1), **facts)


def test_legal_aid_facts_do_not_apply_to_other_events_and_none_is_ignored():
    with pytest.raises(deadlines.BadFacts, match="does not apply to guda_registration"):
        compute("guda_registration", date(2024, 3, 1), legal_aid_requested=date(2024, 3, 2))
    assert compute("guda_registration", date(2024, 3, 1), legal_aid_requested=None, legal_aid_decided=None)


def test_a_cases_recorded_events_give_the_same_dates_with_facts_folded_in():
    recorded = [("ofpra_decision_notified", date(2024, 3, 1)), ("legal_aid_decided", date(2024, 5, 2)),
                ("legal_aid_requested", date(2024, 3, 10)), ("guda_registration", date(2023, 11, 6)),
                ("not_a_legal_event", date(2024, 1, 1))]
    found = for_events(recorded)
    codes = [(d.rule.code, d.due) for d in found]
    assert ("cnda_appeal", date(2024, 5, 24)) in codes
    assert ("ofpra_application", date(2023, 11, 27)) in codes
    assert [d.due for d in found] == sorted(d.due for d in found)


def test_facts_go_to_the_latest_decision_before_them():
    recorded = [("ofpra_decision_notified", date(2024, 3, 1)), ("ofpra_decision_notified", date(2024, 9, 2)),
                ("legal_aid_requested", date(2024, 9, 5))]
    appeals = [d for d in for_events(recorded) if d.rule.code == "cnda_appeal"]
    assert [(d.event_date, d.is_suspended) for d in appeals] == [(date(2024, 3, 1), False), (date(2024, 9, 2), True)]


# Properties

DAYS = st.dates(min_value=date(2019, 1, 1), max_value=date(2045, 12, 31))
RULES = [(rs, rule) for rs in RULESETS for rule in rs.rules]


@given(DAYS, st.sampled_from(RULES))
def test_a_moving_deadline_is_never_on_a_weekend_or_holiday_and_never_before_its_raw_date(day, pair):
    ruleset, rule = pair
    deadline = next(d for d in compute(rule.event, day, ruleset) if d.rule is rule)
    assert deadline.due >= deadline.raw > day
    if rule.moves_to_working_day:
        assert holidays.is_working_day(deadline.due)
        # ...and it is the FIRST working day from the raw date on.
        gap = (deadline.due - deadline.raw).days
        assert not any(holidays.is_working_day(deadline.raw + timedelta(days=n)) for n in range(gap))
    else:
        assert deadline.due == deadline.raw


@given(DAYS, st.integers(min_value=0, max_value=240))
def test_month_arithmetic_is_exact_and_only_ever_clamps_to_the_end_of_a_month(day, n):
    result = add_months(day, n)
    assert (result.year - day.year) * 12 + result.month - day.month == n
    assert result.day <= day.day
    if result.day < day.day:
        assert result.day == calendar.monthrange(result.year, result.month)[1]


@given(DAYS, st.integers(min_value=1, max_value=30))
def test_a_working_day_period_counts_exactly_n_working_days(day, n):
    result, skipped = add_working_days(day, n)
    span = [day + timedelta(days=k) for k in range(1, (result - day).days + 1)]
    assert holidays.is_working_day(result)
    assert sum(holidays.is_working_day(d) for d in span) == n
    assert [d for d, _h in skipped] == [d for d in span if holidays.holiday(d) and not holidays.is_weekend(d)]


@given(DAYS, st.integers(min_value=0, max_value=15), st.integers(min_value=0, max_value=200))
def test_a_suspended_appeal_keeps_exactly_the_days_that_remained(day, asked_after, decided_after):
    requested = day + timedelta(days=asked_after)
    decided = requested + timedelta(days=decided_after)
    deadline = due("ofpra_decision_notified", day, "cnda_appeal",
                   legal_aid_requested=requested, legal_aid_decided=decided)
    original = add_months(day, 1)
    assert (deadline.raw - decided) == (original - requested)
    assert deadline.due >= deadline.raw and holidays.is_working_day(deadline.due)


@given(st.integers(min_value=1583, max_value=4099))
def test_easter_is_a_sunday_between_22_march_and_25_april(year):
    easter = holidays.easter_sunday(year)
    assert easter.weekday() == 6
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)


def test_period_units_are_the_three_the_law_uses():
    assert {rule.period.unit for _rs, rule in RULES} == set(Unit)


def test_a_case_event_that_cannot_be_computed_is_reported_not_dropped():
    # 2017: before every rule set. The founding case's arrival must not hide the other deadlines.
    recorded = [("arrival", date(2017, 6, 1)), ("guda_registration", date(2024, 3, 1))]
    with pytest.raises(deadlines.NoRuleSetInForce):
        for_events(recorded)
    errors = []
    found = for_events(recorded, errors=errors)
    assert [d.rule.code for d in found] == ["ofpra_application"]
    assert errors == [("arrival", date(2017, 6, 1), errors[0][2])] and "2019-01-01" in errors[0][2]
