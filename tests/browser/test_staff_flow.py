"""The staff site as a new organisation meets it, in a real browser: first sign-in with 2FA
enrolment, a case shared with one colleague and hidden from another, the audit chain checked;
the same with JavaScript off; and every main page on a small phone and a desktop screen."""

import re

import pytest
from playwright.sync_api import expect

from safepassage.accounts import actions, roles
from tests.conftest import PASSWORD, Org, Staff, make_org

from .conftest import DESKTOP, PHONE
from .pages import StaffSite

PSEUDONYM = "Nadia K."
# With a pasted link: what people type must wrap on a phone, not push the page sideways.
SUMMARY = ("Hiding with a cousin since the raid on the newspaper office on 3 March.\n"
           "Needs a safe flat for two adults and a child, and a visa appointment.\n"
           "Lawyer's file: https://files.example.org/shared/2024/appeal-KZ-0043219-hearing-bundle.pdf")


def new_organisation(name="Harbour Aid", username="amina") -> Org:
    """What `safepassage init-org` makes: a coordinator with a password and no authenticator yet."""
    org, user, recovery_code = actions.init_org(name, username, PASSWORD, "Amina Coordinator")
    return Org(org, recovery_code, Staff(user))


def test_sign_in_form_carries_the_sites_origin(page, site_url):
    """Chromium sends `Origin: null` with a form POST from a page whose referrer policy is
    `no-referrer`, and Django's CSRF check then refuses every form. The Django test client
    sends no Origin at all, so only a real browser shows it."""
    make_org()
    page.goto(site_url + "/staff/login/")
    page.get_by_label("Username", exact=True).fill("coord")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Continue", exact=True).click()
    assert posted.value.request.all_headers().get("origin") == site_url
    assert posted.value.status == 302


def test_new_coordinator_enrols_shares_a_case_and_the_audit_chain_holds(staff_site, new_context, site_url):
    team = new_organisation()
    coordinator = staff_site

    coordinator.enter_password("amina", PASSWORD)
    assert coordinator.page.url == site_url + "/staff/2fa/enrol/"
    key = coordinator.read_enrolment_key()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key), key
    backup_codes = coordinator.confirm_enrolment(key)
    assert len(backup_codes) == len(set(backup_codes)) == 10
    coordinator.done_with_backup_codes()

    case_path = coordinator.create_case(PSEUDONYM, SUMMARY)
    expect(coordinator.page.locator(".summary")).to_have_text(SUMMARY)

    worker = team.add("boris", roles.CASEWORKER)
    outsider = team.add("olga", roles.CASEWORKER)
    coordinator.add_member(case_path, "Boris")
    expect(coordinator.page.locator("main table")).to_contain_text("Boris")

    # Boris, in his own browser: password, code, and the case is in his list.
    boris = StaffSite(new_context().new_page(), site_url)
    boris.sign_in(worker)
    boris.open_case_from_list(PSEUDONYM)
    expect(boris.page.locator(".summary")).to_have_text(SUMMARY)

    # Olga works for the same organisation but is not on the case: not even its existence shows.
    olga = StaffSite(new_context().new_page(), site_url)
    olga.sign_in(outsider)
    expect(olga.page.locator("main")).not_to_contain_text(PSEUDONYM)
    response = olga.open(case_path)
    assert response.status == 404
    expect(olga.heading()).to_have_text("Not found")
    expect(olga.page.locator("main")).not_to_contain_text(PSEUDONYM)

    verdict = coordinator.verify_audit_chain()
    assert re.fullmatch(r"Intact: \d+ events verified\.", verdict), verdict
    expect(coordinator.page.locator("main table")).to_contain_text("Member added to case")


def test_staff_pages_work_with_javascript_off(new_context, site_url):
    page = new_context(java_script_enabled=False).new_page()
    # Prove the switch works: a script on a page must not run.
    page.set_content("<p id=state>off</p><script>document.getElementById('state').textContent = 'on'</script>")
    expect(page.locator("#state")).to_have_text("off")

    team = make_org()
    site = StaffSite(page, site_url)
    site.sign_in(team.coordinator)
    case_path = site.create_case(PSEUDONYM, SUMMARY, urgency="Within days")
    expect(page.locator(".summary")).to_have_text(SUMMARY)
    site.add_member(case_path, team.add("boris", roles.CASEWORKER).user.display_name)
    assert site.verify_audit_chain().startswith("Intact:")


# Screenshots for people to judge, with checks a machine can make on each page.

def check_layout(site: StaffSite, width: int) -> None:
    page = site.page
    expect(site.heading()).to_be_visible()
    # The stylesheet is served by the app itself and did load.
    assert page.locator("header.top").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(18, 50, 74)"
    # Nothing makes the page scroll sideways (text would run off a small phone's screen).
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    # Name the culprits: boxes past the edge, or boxes whose own text runs out of them. Inside a
    # chart, shapes and text scale with the SVG's viewBox and have no box of their own to overflow.
    wide = page.evaluate("""w => [...document.querySelectorAll('body *')]
        .filter(e => !(e.parentElement && e.parentElement.closest('svg')))
        .filter(e => e.getBoundingClientRect().right > w + 1 || e.scrollWidth > e.clientWidth + 1)
        .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""", width)
    assert sizes[0] <= sizes[1] == width and not wide, (page.url, sizes, wide)
    # Inputs at 16 px or more: phones zoom into smaller ones on focus and lose the layout.
    small = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && parseFloat(getComputedStyle(e).fontSize) < 16)
        .map(e => e.name)""")
    assert not small, (page.url, small)


def shoot(site: StaffSite, shots_dir, name: str, device: str, width: int) -> None:
    # The picture first: when a check fails, it shows what went wrong.
    site.page.screenshot(path=str(shots_dir / f"{name}-{device}.png"), full_page=True)
    check_layout(site, width)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_main_pages_fit_phone_and_desktop_screens(device, new_context, site_url, shots_dir):
    options = PHONE if device == "phone" else DESKTOP
    width = options["viewport"]["width"]
    site = StaffSite(new_context(**options).new_page(), site_url)
    team = new_organisation()

    site.open("/staff/login/")
    shoot(site, shots_dir, "login", device, width)

    site.enter_password("amina", PASSWORD)
    key = site.read_enrolment_key()
    shoot(site, shots_dir, "enrol", device, width)
    site.confirm_enrolment(key)
    shoot(site, shots_dir, "backup-codes", device, width)
    site.done_with_backup_codes()

    case_path = site.create_case(PSEUDONYM, SUMMARY)
    site.create_case("Ruslan T.", "Released on bail; passport held by the police.", urgency="Within days")
    site.create_case("Family of five", "Waiting for the humanitarian visa decision.", urgency="Not immediate")
    site.open("/staff/cases/")
    expect(site.page.locator("main tbody tr")).to_have_count(3)
    shoot(site, shots_dir, "case-list", device, width)

    site.open(case_path)
    expect(site.page.locator(".summary")).to_have_text(SUMMARY)
    shoot(site, shots_dir, "case-detail", device, width)

    team.add("boris", roles.CASEWORKER)
    team.add("olga", roles.CASEWORKER, roles.TRANSLATOR)
    site.add_member(case_path, "Boris")
    shoot(site, shots_dir, "members", device, width)

    site.verify_audit_chain()
    shoot(site, shots_dir, "audit", device, width)
