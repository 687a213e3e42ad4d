"""The public site as a person in danger meets it: a cheap phone, JavaScript off, Russian. They ask
for help without giving a contact, keep only the receipt in their head, and come back later from
another browser to read the team's answer and write back; a coordinator reads and answers in
between. And every page they see speaks Russian."""

import re

from playwright.sync_api import BrowserContext, expect

from safepassage.intake import phrases
from tests.conftest import make_org

from .conftest import PHONE
from .public_pages import CYRILLIC, RUSSIAN_PHONE, PublicSite, StaffIntake, t

# Written as a person would, on two lines; no contact, nothing that names anyone.
STORY = ("Меня ищут после того, как соседи узнали обо мне и моём друге.\n"
         "Вчера приходили к матери и спрашивали, где я. Прячусь у знакомых, нужен безопасный выезд.")
REPLY = "Мы прочитали ваше сообщение. Сможете ли вы завтра добраться до Владикавказа?"
ANSWER = "Да, смогу к вечеру. Со мной будет только рюкзак."


def russian_phone(new_context) -> tuple[BrowserContext, list[str]]:
    """A new browser on a Russian-speaking phone with JavaScript off, and the list of responses
    that tried to set a cookie in it (there must be none)."""
    context = new_context(**PHONE, **RUSSIAN_PHONE)
    set_cookie = []
    context.on("response", lambda r: r.headers.get("set-cookie") and set_cookie.append(r.url))
    return context, set_cookie


def another_receipt(receipt: str) -> str:
    """Seven real words that are not this receipt: the last word changed."""
    words = receipt.split()
    spare = next(w for w in phrases.wordlist("ru") if w not in words)
    return " ".join([*words[:-1], spare])


def test_the_address_opens_the_site_in_the_browsers_language(new_context, site_url):
    make_org()
    for locale, language in [("ru-RU", "ru"), ("fr-FR", "fr"), ("en-GB", "en"), ("de-DE", "en")]:
        page = new_context(**PHONE, locale=locale, java_script_enabled=False).new_page()
        page.goto(site_url + "/")
        expect(page).to_have_url(f"{site_url}/{language}/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_text(t("Ask for help safely", language))


def test_a_person_in_danger_asks_for_help_and_reads_the_answer_later(new_context, site_url):
    team = make_org()

    # The phone: JavaScript off, Russian. Proof the switch works: a script must not run.
    phone, set_cookie = russian_phone(new_context)
    page = phone.new_page()
    page.set_content("<p id=state>off</p><script>document.getElementById('state').textContent = 'on'</script>")
    expect(page.locator("#state")).to_have_text("off")

    applicant = PublicSite(page, site_url, "ru")
    applicant.open_home()
    expect(applicant.quick_exit()).to_be_visible()
    applicant.start_request()
    applicant.fill_request(STORY, urgency="I am in danger now", region="Chechnya", contact="")
    receipt = applicant.send_request()

    words = receipt.split()
    assert len(words) == 7, receipt
    assert all(CYRILLIC.search(w) for w in words), f"a Russian speaker gets Russian words: {receipt}"
    # Nothing on the receipt page repeats what they wrote.
    expect(page.locator("main")).not_to_contain_text(STORY.split("\n")[0])
    applicant.memorised()
    assert phone.cookies() == [] and set_cookie == [], set_cookie
    typed = {"story": STORY.split("\n")[0], "receipt": receipt}
    assert applicant.urls_holding(typed) == {}, "typed text in an address"
    phone.close()  # they close the browser; the receipt is only in their head now

    # A coordinator, at the office: the request is first in the queue, in Cyrillic, no contact.
    coordinator = StaffIntake(new_context(java_script_enabled=False).new_page(), site_url)
    coordinator.sign_in(team.coordinator)
    coordinator.open_request("In danger now")
    expect(coordinator.page.locator(".card .summary").first).to_have_text(STORY)
    expect(coordinator.page.locator("main")).to_contain_text("Chechnya")
    expect(coordinator.page.locator("main")).to_contain_text("Safe way to reach them: none given")
    coordinator.reply(REPLY)

    # A day later, another browser (a friend's phone, or the same one after a restart).
    phone, set_cookie = russian_phone(new_context)
    applicant = PublicSite(phone.new_page(), site_url, "ru")
    applicant.open_follow_up()

    # A wrong word: an error, the field emptied (the words are not echoed back), nothing opened.
    response = applicant.type_receipt(another_receipt(receipt))
    assert response.status == 200
    assert applicant.path() == "/ru/follow-up/?failed=1", applicant.page.url
    applicant.expect_heading("Read our answer")
    assert t("We could not open a conversation with these words. Check each word and try again.", "ru") \
        in applicant.alerts()
    expect(applicant.page.get_by_label(t("Your receipt", "ru"), exact=True)).to_have_value("")
    expect(applicant.page.locator("main")).not_to_contain_text(REPLY)

    # Typed in capitals, as a phone's keyboard may do: it still opens.
    applicant.open_conversation(receipt.upper())
    assert applicant.messages() == [(t("Your request", "ru"), STORY), (t("Our team", "ru"), REPLY)]
    main = applicant.page.locator("main")
    for name in [team.coordinator.user.display_name, team.coordinator.user.username]:
        expect(main).not_to_contain_text(name)
    # The words were checked and forgotten: the conversation opened under a token, and they are
    # neither on the page nor in a hidden field.
    for typed in [receipt, receipt.upper()]:
        expect(main).not_to_contain_text(typed)
    assert applicant.page.locator("input[name=receipt]").count() == 0

    applicant.send_message(ANSWER)
    assert applicant.messages()[-1] == (t("You", "ru"), ANSWER)
    assert phone.cookies() == [] and set_cookie == [], set_cookie
    # Reload: the address was used up when the page was shown. It opens nothing now, resends
    # nothing, and asks for the receipt again.
    applicant.page.reload()
    applicant.expect_heading("This page has expired")
    assert applicant.path() == "/ru/follow-up/?problem=expired", applicant.page.url
    assert applicant.messages() == []
    applicant.open_follow_up()
    applicant.open_conversation(receipt)
    assert [m[1] for m in applicant.messages()] == [STORY, REPLY, ANSWER]  # the answer was sent once
    applicant.close_conversation()

    # And with hyphens between the words, capitals and stray spaces: the same conversation.
    applicant.open_follow_up()
    applicant.open_conversation("  " + "-".join(w.capitalize() for w in words) + " ")
    assert [m[1] for m in applicant.messages()] == [STORY, REPLY, ANSWER]

    # No address this browser asked for holds anything that was typed.
    typed = {"answer": ANSWER, "receipt": receipt, **{f"receipt word {i + 1}": w for i, w in enumerate(words)}}
    assert applicant.urls_holding(typed) == {}

    # The coordinator sees the answer, from "Applicant".
    coordinator.open_request("In danger now")
    expect(coordinator.page.locator("main")).to_contain_text(ANSWER)
    expect(coordinator.page.locator("main")).to_contain_text("Applicant")


def test_every_public_page_speaks_russian(new_context, site_url):
    """What a Russian speaker would still read in English, page by page (empty when the
    catalogue covers the public site)."""
    make_org()
    site = PublicSite(russian_phone(new_context)[0].new_page(), site_url, "ru")
    english = {}

    def collect(name):
        expect(site.page.locator("html")).to_have_attribute("lang", "ru")
        if found := site.untranslated():
            english[name] = found

    site.open_home()
    collect("home")
    site.start_request()
    collect("request")
    site.submit("Send my request")
    collect("request with errors")
    site.fill_request(STORY, region="Chechnya")
    receipt = site.send_request()
    collect("receipt")
    site.open_follow_up()
    collect("follow-up")
    site.type_receipt("неверные слова")
    collect("follow-up with an error")
    site.open_conversation(receipt)
    collect("conversation")
    site.send_message("Спасибо.")
    collect("conversation, message sent")
    site.close_conversation()
    site.page.go_back()
    site.expect_heading("This page has expired")
    collect("expired")

    # "Open" on the follow-up button is the verb (open my conversation), not the staff site's
    # status "Open" (Открыто = "is open") that shares its msgid.
    button = site.t("Open")
    assert not re.fullmatch(r"Открыт[оаы]?", button), f"follow-up button reads {button!r} ('is open')"
    assert not english, english
