"""The dossiers issue's "done when", in a real browser on a small phone and a desktop screen: a
caseworker makes a visa dossier a consular officer could read, asks to send it to a French
consulate, a second coordinator approves after seeing what would leave, the caseworker makes a
link, the consulate downloads the PDF from a fresh browser without any account, and the
disclosure log shows exactly what left, to whom, why, on which consent and who approved it."""

import hashlib
import io
from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from safepassage.accounts import roles
from safepassage.cases.actions import documents, people
from safepassage.evidence.actions import testimonies
from tests.conftest import make_org
from tests.test_shelters_support import make_case

from .conftest import DESKTOP, PHONE
from .test_people import sign_in
from .test_staff_flow import check_layout

ACCOUNT = ("J'ai été arrêté en mars 2017 à un poste de contrôle, puis détenu neuf jours dans un sous-sol. "
           "Ils m'ont frappé et ont pris mon téléphone.")


def shoot(page, shots_dir, name, screen):
    page.screenshot(path=str(shots_dir / f"dossier-{name}-{screen}.png"), full_page=True)
    check_layout(SimpleNamespace(page=page, heading=lambda: page.get_by_role("heading", level=1)),
                 page.viewport_size["width"])


def a_case_ready_for_a_dossier():
    org = make_org("Harbour Aid", "amina")
    worker = org.add("marat", roles.CASEWORKER, roles.TRANSLATOR)
    second = org.add("zara", roles.COORDINATOR)
    case = make_case(org.coordinator, worker, second, pseudonym="Islam D.")
    u, s = worker.user, worker.secret
    people.create_person(u, s, case, role="applicant", name="Ислам Дудаев (Islam Dudaev)", phone="+7 928 555 01 02",
                         birth_date=date(1995, 6, 1))
    documents.add_document(u, s, case, kind="international_passport", status="obtained", reference="75 7654321")
    testimony = testimonies.record_testimony(u, s, case, text="Меня задержали в марте.", language="ru",
                                             taken_on=date(2017, 5, 2))
    testimonies.record_consent(u, s, case, testimony, purpose="dossier", given_on=date(2017, 5, 2))
    testimonies.add_translation(u, s, case, testimony, text=ACCOUNT, target_language="fr")
    return case, worker, second


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_visa_dossier_leaves_only_through_an_approved_link_and_the_log_says_so(new_context, site_url, shots_dir,
                                                                                screen):
    case, worker, second = a_case_ready_for_a_dossier()
    size = PHONE if screen == "phone" else DESKTOP
    case_url = f"{site_url}/staff/cases/{case.pk}/"

    page = new_context(**size).new_page()
    sign_in(page, site_url, worker)
    page.goto(case_url)
    page.get_by_role("link", name="Make a visa dossier", exact=True).click()
    page.get_by_role("button", name="Make the dossier", exact=True).click()  # nothing typed yet
    expect(page.locator(".errors")).to_contain_text("Name the consulate the letter is addressed to.")
    shoot(page, shots_dir, "missing", screen)
    page.get_by_label("Consulate (as on the envelope)").fill("Consulat général de France à Moscou")
    page.get_by_label("Signed at (town)").fill("Paris")
    page.get_by_label("Signed by").fill("Claire Martin")
    page.get_by_label("Organisation's letterhead").fill("Harbour Aid\n1 rue Exemple, 75001 Paris")
    page.get_by_role("button", name="Make the dossier", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Dossier made.")
    sha256 = page.locator("dd.mono").last.inner_text()
    shoot(page, shots_dir, "made", screen)

    page.get_by_role("link", name="Ask to send it outside", exact=True).click()
    page.get_by_label("Recipient", exact=True).fill("Consulat général de France à Moscou, service des visas")
    page.get_by_label("Kind of recipient").select_option(label="Consulate or embassy")
    page.get_by_label("Country the recipient belongs to").fill("FR")
    page.get_by_label("Purpose", exact=True).select_option(label="Visa or asylum dossier")
    page.get_by_label("The person's consent it relies on").select_option(index=1)
    shoot(page, shots_dir, "ask", screen)
    page.get_by_role("button", name="Ask for approval", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("A second coordinator")
    disclosure_url = page.url
    expect(page.get_by_role("button", name="Make a link", exact=True)).to_have_count(0)  # not approved yet

    # The second coordinator sees what would leave, and approves.
    other = new_context(**size).new_page()
    sign_in(other, site_url, second)
    other.goto(case_url)
    other.get_by_role("link", name="See what would leave, and decide").click()
    expect(other.locator("td.mono")).to_have_text(sha256)
    shoot(other, shots_dir, "review", screen)
    other.get_by_role("button", name="Approve this disclosure", exact=True).click()
    expect(other.locator(".messages")).to_contain_text("Approved.")

    page.goto(disclosure_url)
    page.get_by_label("Downloads allowed").fill("1")
    page.get_by_role("button", name="Make a link", exact=True).click()
    address = page.locator("p.secret").inner_text()
    shoot(page, shots_dir, "link", screen)

    # The consulate: a fresh browser, no account, and no JavaScript (the page needs none).
    consulate = new_context(**size, java_script_enabled=False).new_page()
    consulate.goto(address)
    expect(consulate.get_by_role("heading", level=1)).to_have_text("A document was shared with you")
    consulate.screenshot(path=str(shots_dir / f"dossier-recipient-{screen}.png"), full_page=True)
    with consulate.expect_download() as got:
        consulate.get_by_role("link", name="Download", exact=True).click()
    pdf = open(got.value.path(), "rb").read()
    assert hashlib.sha256(pdf).hexdigest() == sha256
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Objet : demande de visa" in text and "Ислам Дудаев" in text and "neuf jours" in text
    assert "+7 928 555 01 02" not in text
    consulate.goto(address)
    expect(consulate.get_by_role("heading", level=1)).to_have_text("This link no longer works")

    # The log: what left, to whom, why, on which consent, who approved, and the download.
    page.goto(case_url)
    page.get_by_role("link", name="Disclosure log", exact=True).click()
    log = page.locator("table")
    for shown in ("Consulat général de France à Moscou", "Visa or asylum dossier", "consent of 2 May 2017", sha256,
                  "Approved", "Zara", "1/1"):
        expect(log).to_contain_text(shown)
    shoot(page, shots_dir, "log", screen)
