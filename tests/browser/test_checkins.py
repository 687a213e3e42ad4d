"""Vetting, check-ins, tasks and notes in a real browser, on a small phone and a desktop screen:
a missed check-in shows in red at once and a check-in recorded from the case page clears it;
the vetting checklist is saved; the infiltration flag explains what it freezes before it is
raised. Screenshots go to the shots folder for people to look at."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safepassage.accounts import roles
from safepassage.cases import actions
from safepassage.cases.actions import vetting as vetting_actions
from safepassage.cases.actions import work
from safepassage.cases.models import Alert, Case
from tests.conftest import make_org

from .conftest import DESKTOP, PHONE

PSEUDONYM = "Islam D."


def sign_in(page, site_url, staff):
    page.goto(site_url + "/staff/login/")
    page.get_by_label("Username", exact=True).fill(staff.user.username)
    page.get_by_label("Password", exact=True).fill(staff.password)
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label("Code", exact=True).fill(staff.code())
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("link", name="My cases", exact=True)).to_be_visible()


def a_case_in_trouble():
    """A case in vetting, expected to check in every 48 hours, last heard of 53 hours ago, with
    tasks (one overdue), notes and a corroboration."""
    org = make_org("Harbour Aid", "amina")
    coordinator = org.coordinator
    worker = org.add("boris", roles.CASEWORKER)
    user, secret = coordinator.user, coordinator.secret
    case = actions.create_case(user, PSEUDONYM, "Hiding with a cousin since the raid.", 1)
    actions.add_member(user, secret, case, worker.user)
    Case.objects.filter(pk=case.pk).update(state="vetting", checkin_every_hours=48,
                                           created_at=timezone.now() - timedelta(days=5))
    work.record_checkin(user, secret, case, "Phone call, scared but safe.", timezone.now() - timedelta(hours=53))
    today = timezone.localdate()
    work.add_task(user, secret, case, "Find a lawyer who speaks Chechen", today - timedelta(days=2), worker.user)
    work.add_task(user, secret, case, "Buy a SIM card that is not in his name", today + timedelta(days=3))
    work.add_note(user, secret, case, "His brother knows. Do not call the family number: "
                                      "https://files.example.org/shared/2024/a-very-long-link-that-must-wrap.pdf")
    work.add_note(worker.user, worker.secret, case, "Moved to the second flat on Tuesday.")
    vetting_actions.add_corroboration(user, secret, case, "NGO field worker in Grozny",
                                      "Confirms the raid on 3 March.", True)
    return coordinator, worker, Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_missed_checkin_shows_in_red_and_a_checkin_from_the_case_page_clears_it(
        new_context, site_url, shots_dir, screen):
    coordinator, _worker, case = a_case_in_trouble()
    page = new_context(**(PHONE if screen == "phone" else DESKTOP)).new_page()
    sign_in(page, site_url, coordinator)
    page.goto(f"{site_url}/staff/cases/{case.pk}/")
    banner = page.locator("#checkins .messages li.error")
    expect(banner).to_contain_text("Check-in missed.")
    expect(banner).to_contain_text("5 hours overdue")
    expect(page.locator("#alerts")).to_contain_text("Missed check-in")
    expect(page.locator("#tasks")).to_contain_text("overdue since")
    page.locator("#checkins").screenshot(path=str(shots_dir / f"work-checkins-missed-{screen}.png"))
    page.screenshot(path=str(shots_dir / f"work-case-page-{screen}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    page.get_by_label("How are they? (optional)").fill("Reached him by Signal. Safe.")
    page.get_by_role("button", name="Record a check-in", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Check-in recorded.")
    expect(page.locator("#checkins")).not_to_contain_text("Check-in missed.")
    expect(page.locator("#checkins")).to_contain_text("Next due:")
    assert not Alert.objects.filter(case=case, kind="missed_checkin", resolved_at__isnull=True).exists()

    page.goto(f"{site_url}/staff/cases/{case.pk}/checkins/")
    expect(page.locator("main")).to_contain_text("Reached him by Signal. Safe.")
    page.screenshot(path=str(shots_dir / f"work-checkins-page-{screen}.png"), full_page=True)
    page.goto(f"{site_url}/staff/cases/{case.pk}/tasks/")
    page.screenshot(path=str(shots_dir / f"work-tasks-page-{screen}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_vetting_checklist_is_saved_and_the_flag_explains_what_it_freezes(
        new_context, site_url, shots_dir, screen):
    coordinator, _worker, case = a_case_in_trouble()
    page = new_context(**(PHONE if screen == "phone" else DESKTOP)).new_page()
    sign_in(page, site_url, coordinator)
    page.goto(f"{site_url}/staff/cases/{case.pk}/")
    page.get_by_role("link", name="Edit vetting", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Vetting: {PSEUDONYM}")
    page.get_by_label("Referrer", exact=True).fill("Ruslan, support chat admin")
    page.get_by_label("How far we trust the referrer").select_option(label="Medium")
    for item in ("Identity checked", "Referrer checked", "Story corroborated by an independent source",
                 "Checked against other cases (duplicates)"):
        page.get_by_label(item, exact=True).check()
    page.get_by_role("button", name="Save vetting", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Vetting saved.")
    page.screenshot(path=str(shots_dir / f"vetting-page-{screen}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert Case.objects.get(pk=case.pk).vetting.complete

    page.get_by_role("link", name="Raise an infiltration flag", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise an infiltration flag?")
    expect(page.locator("main")).to_contain_text("no shelter address is released")
    page.screenshot(path=str(shots_dir / f"vetting-flag-{screen}.png"), full_page=True)
    page.get_by_role("button", name="Raise the flag", exact=True).click()
    expect(page.locator("main")).to_contain_text("Infiltration is suspected")
    assert Case.objects.get(pk=case.pk).state == "suspected_infiltration"
    page.locator("#vetting").screenshot(path=str(shots_dir / f"vetting-section-flagged-{screen}.png"))
