"""The evidence issue's "done when", in a real browser on a small phone and a desktop screen: a
caseworker shares a redacted, consented testimony; a researcher who has never used the evidence
base enters the founding case's public reports, finds and merges the duplicate, records the acts
the testimony reports, sees the deduplicated counts and charts, and prepares a public release
whose files show the public figures with their sources and hide the small confidential ones and
every person. Screenshots go to the shots folder; every page is checked for sideways scrolling."""

import json
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from safepassage.accounts import roles
from safepassage.evidence import vocabularies
from tests.conftest import make_org
from tests.test_shelters_support import make_case

from .conftest import DESKTOP, PHONE
from .test_people import sign_in
from .test_staff_flow import check_layout

STORY = "Zaur Qsecretname was held at the Qcheckpoint for nine days; they beat him and took his phone."
REDACTED = "A man was held for nine days; they beat him and took his phone."


def shoot(page, shots_dir, name, screen):
    page.screenshot(path=str(shots_dir / f"evidence-{name}-{screen}.png"), full_page=True)
    check_layout(SimpleNamespace(page=page, heading=lambda: page.get_by_role("heading", level=1)),
                 page.viewport_size["width"])


def submit(page, button):
    page.get_by_role("button", name=button, exact=True).click()


def record_source(page, site_url, title, publisher, published, kind, reliability):
    page.goto(site_url + "/staff/evidence/sources/")
    page.get_by_role("link", name="Record a source", exact=True).click()
    page.get_by_label("Kind of source").select_option(label=kind)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Author or publisher").fill(publisher)
    page.get_by_label("Published on").fill(published)
    page.get_by_label("Published: may be cited in public statistics").check()
    page.get_by_label("Reliability of the source").select_option(value=reliability)
    submit(page, "Save")
    expect(page.locator(".messages")).to_contain_text("Source recorded.")


def record_act(page, source_title, act, perpetrator, count=None, victim=False, event=None):
    if event:
        page.get_by_label("Event", exact=True).select_option(label=event)
    page.get_by_label("Reported by").select_option(label=source_title)
    page.get_by_label("How far this source's account of the act is borne out").select_option(value="2")
    page.get_by_label("What was done").select_option(label=act)
    page.get_by_label("By whom").select_option(label=perpetrator)
    if count:
        page.get_by_label("How many").fill(str(count))
        page.get_by_label("The number is").select_option(label="at least")
    if not victim:
        page.get_by_label("To whom").select_option(index=0)
    submit(page, "Save")
    expect(page.locator(".messages")).to_contain_text("Act recorded.")


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_researcher_documents_the_founding_case_and_publishes_safe_statistics(new_context, site_url, shots_dir,
                                                                             screen):
    org = make_org("Harbour Aid", "amina")
    vocabularies.ensure_seeded(org.org)
    worker = org.add("marat", roles.CASEWORKER)
    researcher = org.add("lena", roles.RESEARCHER)
    case = make_case(org.coordinator, worker, pseudonym="Qcasepseudonym")
    size = PHONE if screen == "phone" else DESKTOP

    # The caseworker records the testimony, the consent to public advocacy, and shares a redacted copy.
    page = new_context(**size).new_page()
    sign_in(page, site_url, worker)
    page.goto(f"{site_url}/staff/cases/{case.pk}/testimonies/new/")
    page.get_by_label("Testimony", exact=True).fill(STORY)
    page.get_by_label("Language of the testimony").fill("ru")
    submit(page, "Save")
    page.get_by_role("link", name="Record a consent", exact=True).click()
    page.get_by_label("Consent for").select_option(label="Public advocacy")
    submit(page, "Save")
    page.get_by_role("link", name="Share a redacted copy", exact=True).click()
    page.get_by_label("Redacted text for the researchers").fill(REDACTED)
    shoot(page, shots_dir, "share", screen)
    submit(page, "Share this redacted copy")
    expect(page.locator(".messages")).to_contain_text("A redacted copy was given to the documentation researchers.")

    # The researcher's first visit: the evidence base is empty and says what to do.
    page = new_context(**size).new_page()
    sign_in(page, site_url, researcher)
    page.get_by_role("link", name="Evidence", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence base")
    shoot(page, shots_dir, "home", screen)
    record_source(page, site_url, "Murder of honour", "Novaya Gazeta", "2017-04-01", "Media report", "B")
    record_source(page, site_url, "They Have Long Arms and They Can Find Me", "Human Rights Watch", "2017-05-26",
                  "NGO report", "A")
    page.get_by_role("link", name="Events and acts", exact=True).click()
    page.get_by_role("link", name="Record an event", exact=True).click()
    page.get_by_label("What happened").fill("Detentions of men suspected of being gay")
    page.get_by_label("Date", exact=True).fill("2017-03-15")
    page.get_by_label("Precision of the date").select_option(label="Season")
    page.get_by_label("Region").select_option(label="Chechnya")
    page.get_by_label("Place, in more detail").fill("Qsecretplace")
    submit(page, "Save")
    expect(page.locator("h1")).to_have_text("Detentions of men suspected of being gay")
    event_url = page.url
    for source in ("Murder of honour (Media report)", "They Have Long Arms and They Can Find Me (NGO report)"):
        page.goto(event_url)
        page.get_by_role("link", name="Record an act", exact=True).click()
        record_act(page, source, "Arbitrary detention", "Police or security forces", count=100)
    page.goto(event_url)
    page.get_by_role("link", name="Record an act", exact=True).click()
    record_act(page, "They Have Long Arms and They Can Find Me (NGO report)", 'Killing by relatives ("honour" killing)',
               "Relatives", count=2)
    shoot(page, shots_dir, "event", screen)

    # Both reports count the same detentions: the researcher merges them.
    page.get_by_role("link", name="Duplicates", exact=True).click()
    page.get_by_role("link", name="Compare and merge").first.click()
    page.get_by_label("Why they are the same").fill("The same wave of detentions in both reports.")
    submit(page, "Merge")
    expect(page.locator(".messages")).to_contain_text("counted once")

    # The shared testimony becomes a source; the acts it reports are recorded against its teller.
    page.get_by_role("link", name="Shared testimonies", exact=True).click()
    page.locator("table a.row-link").first.click()
    expect(page.locator(".summary")).to_have_text(REDACTED)
    assert "Qcasepseudonym" not in page.content() and str(case.pk)[:8] not in page.content()
    submit(page, "Use as a source")
    act_from_testimony = page.url  # the new-act form, with the testimony and its teller chosen
    for act in ("Torture or ill-treatment", "Phone seizure and surveillance"):
        page.goto(act_from_testimony)
        source = page.get_by_label("Reported by").locator("option:checked").inner_text()
        record_act(page, source, act, "Police or security forces", victim=True,
                   event="Detentions of men suspected of being gay (spring 2017)")

    # The exact counts, merged once, with their charts.
    page.goto(site_url + "/staff/statistics/")
    chart = page.get_by_role("img", name="Act type")  # the one drawn for this screen
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("at least 100")  # two reports, counted once
    shoot(page, shots_dir, "statistics", screen)

    # A public release: public figures with their sources, small confidential ones hidden.
    page.get_by_role("link", name="Prepare a public release", exact=True).click()
    page.get_by_label("Count by").select_option(label="Act type")
    page.get_by_label("And by (optional)").select_option(label="Year")
    submit(page, "Prepare")
    expect(page.locator(".messages")).to_contain_text("Release ready.")
    shoot(page, shots_dir, "release", screen)
    link = page.get_by_role("link", name="data.json", exact=True).get_attribute("href")
    published = page.request.get(site_url + link).text()  # the browser's own session downloads it
    figures = {(f["categories"]["act_type"], f["categories"]["period"]): f for f in json.loads(published)["figures"]}
    assert figures[("arbitrary_detention", "*")]["count"] == 100
    assert figures[("killing_by_relatives", "*")]["status"] == "public"
    assert figures[("torture", "*")]["count"] is None
    assert figures[("phone_seizure", "*")]["count"] is None
    for secret in ("Qsecretname", "Qcheckpoint", "Qsecretplace", "Qcasepseudonym", "nine days", "marat", "lena"):
        assert secret not in published
