"""People, links, matches and exposure alerts in a real browser, on a small phone and a desktop
screen: a coordinator adds a person by typing, links them to someone in another case in two
steps without JavaScript, sees a possible match in a case they are not a member of (reference
only), records an exposure, and the linked case shows the alert. Screenshots go to the shots
folder for people to look at; every page is checked for sideways scrolling and small inputs."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from safepassage.accounts import roles
from safepassage.cases import actions
from safepassage.cases.actions import people
from safepassage.cases.models import Alert, Case
from tests.conftest import make_org

from .conftest import DESKTOP, PHONE
from .test_staff_flow import check_layout


def sign_in(page, site_url, staff):
    page.goto(site_url + "/staff/login/")
    page.get_by_label("Username", exact=True).fill(staff.user.username)
    page.get_by_label("Password", exact=True).fill(staff.password)
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label("Code", exact=True).fill(staff.code())
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("link", name="My cases", exact=True)).to_be_visible()


def a_network():
    """Amina coordinates "Islam D." and "Zelim's family"; Boris (coordinator) alone holds
    "Khava's case", where the same man is recorded in Cyrillic with the same phone."""
    org = make_org("Harbour Aid", "amina")
    amina = org.coordinator
    boris = org.add("boris", roles.COORDINATOR)
    mine = actions.create_case(amina.user, "Islam D.", "Hiding with a cousin since the raid.", 2)
    family = actions.create_case(amina.user, "Zelim's family", "Mother and two sisters in Argun.", 3)
    hidden = actions.create_case(boris.user, "Khava's case", "Must stay closed to non-members.", 2)
    people.create_person(boris.user, boris.secret, hidden, role="partner", name="Исмаилов Ахмед",
                         phone="8 (928) 123-45-67", notes="Boris's notes")
    zelim, _ = people.create_person(amina.user, amina.secret, family, role="applicant",
                                    name="Zelimkhan Bakaev-Abdurakhmanov", phone="+7 928 000 11 22")
    return amina, mine, family, hidden, zelim


def shoot(page, shots_dir, name, screen):
    """The picture first (it shows what went wrong when a check fails), then the layout checks
    every staff page gets: no sideways scrolling, inputs at 16 px or more."""
    page.screenshot(path=str(shots_dir / f"people-{name}-{screen}.png"), full_page=True)
    site = SimpleNamespace(page=page, heading=lambda: page.get_by_role("heading", level=1))
    check_layout(site, page.viewport_size["width"])


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_people_links_matches_and_an_exposure_alert_on_phone_and_desktop(new_context, site_url, shots_dir,
                                                                          screen):
    amina, mine, family, hidden, zelim = a_network()
    page = new_context(**(PHONE if screen == "phone" else DESKTOP)).new_page()
    sign_in(page, site_url, amina)

    # A typing mistake first: a clear error, nothing saved.
    page.goto(f"{site_url}/staff/cases/{mine.pk}/people/new/")
    page.get_by_label("Name", exact=True).fill("Akhmed Ismailov")
    page.get_by_label("Phone number", exact=True).fill("call him")
    page.get_by_label("Birth date", exact=True).fill("31.02.1990")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".field.invalid")).to_have_count(2)
    shoot(page, shots_dir, "form-errors", screen)

    page.get_by_label("Phone number", exact=True).fill("+7 (928) 123-45-67")
    page.get_by_label("Birth date", exact=True).fill("03.04.1990")
    page.get_by_label("Notes", exact=True).fill("Reach him only through his cousin's Signal; never call "
                                                "the family landline. https://files.example.org/shared/2024/"
                                                "a-very-long-link-that-must-wrap-on-a-phone.pdf")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages").first).to_contain_text("checked against the other cases")
    expect(page.get_by_role("heading", level=1)).to_have_text("Akhmed Ismailov")
    matches = page.locator("#matches")
    expect(matches).to_contain_text("Full name, Phone number")
    expect(matches).to_contain_text(f"a case you are not a member of {hidden.short_ref}")
    expect(page.locator("main")).not_to_contain_text("Khava")
    expect(page.locator("main")).not_to_contain_text("Boris's notes")

    # Link to Zelim, in another case Amina is a member of: two steps, plain forms.
    page.get_by_role("link", name="Link to another person", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Link Akhmed Ismailov to another person")
    shoot(page, shots_dir, "link-step1", screen)
    page.get_by_label("The other person is in", exact=True).select_option(label=f"Zelim's family · {family.short_ref}")
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_label("Person", exact=True).select_option(label="Zelimkhan Bakaev-Abdurakhmanov (Applicant)")
    page.get_by_label("How they are connected", exact=True).select_option(label="Friend")
    page.get_by_label("What exposes them", exact=True).fill("Zelim's number and photos are in Akhmed's phone.")
    shoot(page, shots_dir, "link-step2", screen)
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator("#links")).to_contain_text("Zelimkhan Bakaev-Abdurakhmanov")
    shoot(page, shots_dir, "person", screen)

    # Akhmed's phone is seized: both cases are alerted and in danger now.
    page.get_by_role("link", name="Record an exposure", exact=True).click()
    expect(page.locator("main")).to_contain_text("on this case and on 1 linked case")
    page.get_by_label("What happened", exact=True).select_option(label="Phone seized")
    page.get_by_label("Note", exact=True).fill("Taken at a checkpoint in Grozny.")
    shoot(page, shots_dir, "exposure", screen)
    page.get_by_role("button", name="Record and alert", exact=True).click()
    expect(page.locator(".messages").first).to_contain_text("2 cases now show an alert")
    assert set(Case.objects.filter(urgency=1).values_list("pk", flat=True)) == {mine.pk, family.pk}

    page.goto(f"{site_url}/staff/cases/{family.pk}/")
    expect(page.locator("#people")).to_contain_text("Linked person exposed: Phone seized")
    page.locator("#people").screenshot(path=str(shots_dir / f"people-section-{screen}.png"))
    # The rest of the case page belongs to other sections: check only this one for overflow.
    overflow = page.evaluate("""() => [...document.querySelectorAll('#people, #people *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 || e.scrollWidth > e.clientWidth + 1)
        .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""")
    assert not overflow, overflow

    page.goto(f"{site_url}/staff/cases/{family.pk}/people/")
    expect(page.locator("#exposure-alerts")).to_contain_text(f"Recorded in case {mine.short_ref}")
    shoot(page, shots_dir, "list", screen)
    page.get_by_role("button", name="Mark as dealt with", exact=True).click()
    expect(page.locator(".messages").first).to_contain_text("Alert resolved.")
    assert not Alert.objects.filter(case=family, kind="exposure", resolved_at__isnull=True).exists()

    page.goto(f"{site_url}/staff/cases/{family.pk}/people/{zelim.pk}/")
    page.get_by_role("link", name="Remove this link", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this link of Zelimkhan Bakaev-Abdurakhmanov?")
    shoot(page, shots_dir, "unlink", screen)
    page.goto(f"{site_url}/staff/cases/{family.pk}/people/{zelim.pk}/delete/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete Zelimkhan Bakaev-Abdurakhmanov?")
    expect(page.locator("main")).to_contain_text("Their 1 link to another person is deleted too")
    shoot(page, shots_dir, "delete", screen)


def test_people_pages_work_with_javascript_off(new_context, site_url):
    amina, mine, family, _hidden, zelim = a_network()
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, site_url, amina)
    page.goto(f"{site_url}/staff/cases/{mine.pk}/people/new/")
    page.get_by_label("Name", exact=True).fill("Ruslan")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Link to another person", exact=True).click()
    page.get_by_label("The other person is in", exact=True).select_option(label=f"Zelim's family · {family.short_ref}")
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_label("Person", exact=True).select_option(value=str(zelim.pk))
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator("#links")).to_contain_text("Zelimkhan")
