"""Shelters, stays and documents in a real browser, on a small phone and a desktop screen: a
shelter coordinator adds a shelter and places a case, two coordinators release the address, a
caseworker then reads it and keeps the documents register."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safepassage.accounts import roles
from tests.conftest import make_org
from tests.test_shelters_support import make_case

from .conftest import DESKTOP, PHONE
from .pages import StaffSite

ADDRESS = "Flat 4, 12 Linden Lane\nŽvėrynas, Vilnius"


def fits(site: StaffSite, width: int, scope: str) -> None:
    """Nothing scrolls sideways; every control in `scope` is readable without zooming (16 px or more)."""
    page = site.page
    expect(site.heading()).to_be_visible()
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate("""w => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > w + 1)
        .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""", width)
    assert sizes[0] <= sizes[1] == width and not wide, (page.url, sizes, wide)
    small = page.evaluate("""s => [...document.querySelectorAll(s)].flatMap(
        e => [...e.querySelectorAll('input, select, textarea')])
        .filter(e => e.type !== 'hidden' && parseFloat(getComputedStyle(e).fontSize) < 16)
        .map(e => e.name)""", scope)
    assert not small, (page.url, small)


def shoot(site, shots_dir, name, device, width):
    site.page.screenshot(path=str(shots_dir / f"shelters-{name}-{device}.png"), full_page=True)
    # On the case page, only this domain's sections: the others are checked by their own tests.
    fits(site, width, "#stays, #documents" if name.startswith("case-") else "main")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_shelter_stay_release_and_documents_on_phone_and_desktop(device, new_context, site_url, shots_dir):
    options = PHONE if device == "phone" else DESKTOP
    width = options["viewport"]["width"]
    org = make_org()
    shelter_co = org.add("sasha", roles.SHELTER)
    second = org.add("marta", roles.COORDINATOR)
    worker = org.add("boris", roles.CASEWORKER)
    case = make_case(org.coordinator, shelter_co, second, worker, pseudonym="Aslan B.")
    case_path = f"/staff/cases/{case.pk}/"

    def person(staff) -> StaffSite:
        site = StaffSite(new_context(**options).new_page(), site_url)
        site.enter_password(staff.user.username, staff.password)
        site.page.get_by_label("Code", exact=True).fill(staff.code())
        site.submit("Sign in")
        expect(site.page.locator("header.top nav")).to_be_visible()
        return site

    # The shelter coordinator adds a shelter.
    sasha = person(shelter_co)
    sasha.page.get_by_role("link", name="Shelters", exact=True).click()
    expect(sasha.heading()).to_have_text("Shelters")
    sasha.page.get_by_role("link", name="New shelter", exact=True).click()
    sasha.page.get_by_label("Name", exact=True).fill("Linden flat")
    sasha.page.get_by_label("Address", exact=True).fill(ADDRESS)
    sasha.page.get_by_label("Capacity (people)", exact=True).fill("3")
    shoot(sasha, shots_dir, "new", device, width)
    sasha.submit("Save")
    expect(sasha.heading()).to_have_text("Linden flat")
    shoot(sasha, shots_dir, "detail", device, width)
    sasha.open("/staff/shelters/")
    shoot(sasha, shots_dir, "registry", device, width)

    # ...and places the case there; too many people first.
    sasha.open(case_path)
    sasha.page.get_by_role("link", name="Place in a shelter", exact=True).click()
    sasha.page.get_by_label("Shelter", exact=True).select_option(label="Linden flat — 3 of 3 free")
    sasha.page.get_by_label("People", exact=True).fill("5")
    sasha.submit("Save")
    expect(sasha.page.locator(".error")).to_contain_text("Not enough room")
    shoot(sasha, shots_dir, "place-error", device, width)
    sasha.page.get_by_label("People", exact=True).fill("2")
    sasha.submit("Save")
    expect(sasha.page.locator("#stays")).to_contain_text("Linden flat")
    expect(sasha.page.locator("#stays")).not_to_contain_text("Linden Lane")

    # The coordinator asks for the release; a second coordinator approves.
    amina = person(org.coordinator)
    amina.open(case_path)
    expect(amina.page.locator("#stays")).not_to_contain_text("Linden flat")
    amina.page.get_by_role("link", name="Ask to release the address", exact=True).click()
    shoot(amina, shots_dir, "release-confirm", device, width)
    amina.submit("Ask a second coordinator")
    shoot(amina, shots_dir, "case-release-asked", device, width)

    marta = person(second)
    marta.open(case_path)
    marta.submit("Approve")
    expect(marta.page.locator("#stays")).to_contain_text("Release approved")

    # Marta holds no shelter key: the shelter coordinator on the case hands the address over.
    sasha.open(case_path)
    shoot(sasha, shots_dir, "case-hand-over", device, width)
    sasha.submit("Hand over the address")
    expect(sasha.page.locator("#stays .summary")).to_have_text(ADDRESS)

    # The caseworker reads it, and keeps the documents register.
    boris = person(worker)
    boris.open(case_path)
    expect(boris.page.locator("#stays .summary")).to_have_text(ADDRESS)
    today = timezone.localdate()
    for kind, reference, issued, expires in [
        ("Visa", "FRA D 0043219", today - timedelta(days=80), today + timedelta(days=9)),
        ("Internal passport", "96 04 512337", today - timedelta(days=3000), today - timedelta(days=2)),
        ("NGO attestation", "", today - timedelta(days=5), None),
    ]:
        boris.open(case_path)
        boris.page.get_by_role("link", name="Add a document", exact=True).click()
        boris.page.get_by_label("Document", exact=True).select_option(label=kind)
        boris.page.get_by_label("Status", exact=True).select_option(label="Obtained")
        boris.page.get_by_label("Number or reference", exact=True).fill(reference)
        boris.page.get_by_label("Issued on", exact=True).fill(str(issued))
        if expires:
            boris.page.get_by_label("Expires on", exact=True).fill(str(expires))
        if kind == "Visa":
            boris.page.get_by_label("Expires on", exact=True).fill(str(issued - timedelta(days=1)))
            boris.submit("Save")
            expect(boris.page.locator(".error")).to_contain_text("cannot be before the issue date")
            shoot(boris, shots_dir, "document-error", device, width)
            boris.page.get_by_label("Expires on", exact=True).fill(str(expires))
        boris.submit("Save")
        expect(boris.page.locator(".messages")).to_contain_text("Document added to the register.")
    expect(boris.page.locator("#documents .expiry-expired")).to_have_count(1)
    expect(boris.page.locator("#documents .expiry-soon")).to_contain_text("expires in 9 days")
    shoot(boris, shots_dir, "case-member", device, width)
