"""The Back button on a shared or seized phone. Every public form is answered by a redirect (303)
to a plain page, so the tab's history holds addresses only, never a form to send again: the form
pages themselves (shown empty: nothing typed comes back) and the token addresses of a receipt page,
a refused form and a conversation. Back, and Reload, must neither show the receipt again, nor send
the request a second time (a second receipt for a frightened person to choose from, and a duplicate
in the queue), nor reopen the conversation for whoever holds the phone once the person has left it."""

from playwright.sync_api import expect

from safepassage.intake import actions
from safepassage.intake.models import Message, Thread
from tests.conftest import make_org

from .conftest import PHONE
from .public_pages import RUSSIAN_PHONE, PublicSite, quick_exit_url, receipt_words

STORY = "Меня ищут, прячусь у знакомых."
CONTACT = "Сигнал 8 900 555 12 34"
REPLY = "Мы получили ваше сообщение и ответим завтра утром."
ANSWER = "Спасибо, жду звонка."


def phone_with_quick_exit(new_context):
    """The quick exit leads off the site; these machines have no Internet, so its page is faked."""
    context = new_context(**PHONE, **RUSSIAN_PHONE)
    context.route(quick_exit_url() + "**", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body="<title>Wikipedia</title><h1>Wikipedia</h1>"))
    return context


def back_and_reload(page) -> None:
    """What someone holding the phone does: Back, then Reload. No page in the history answered a
    POST, so Chromium never asks to "Confirm form resubmission" (it would fail with ERR_CACHE_MISS)."""
    page.go_back()
    page.reload()


def what_the_page_shows(site: PublicSite, secrets: dict[str, str]) -> list[str]:
    """The secrets on the page, or typed back into one of its fields."""
    body = site.page.locator("body").inner_text()
    values = " ".join(field.input_value() for field in site.page.locator("textarea, input:not([type=hidden])").all())
    return [name for name, text in secrets.items() if text in body or text in values]


def back_through_the_whole_history(site: PublicSite, secrets: dict[str, str]) -> dict[str, list[str]]:
    """Back to the first page, one step at a time, reloading each: {address: what it showed}."""
    shown, steps = {}, 0
    while steps < 30:
        # Two entries in a row may land on the same address: two visits of a conversation that
        # is gone both lead to the one "expired" page.
        if site.page.go_back() is None or site.page.url == "about:blank":
            break
        steps += 1
        for step in ("back", "reload"):
            if step == "reload":
                site.page.reload()
            if found := what_the_page_shows(site, secrets):
                shown[f"{step} ({steps}): {site.path()}"] = found
    assert steps >= 3, f"only {steps} steps back"
    return shown


def ask_and_learn_the_receipt(site: PublicSite) -> str:
    """Sent once without an answer to "how urgent" (the form comes back with what was typed), then
    right; the receipt learnt; "I have memorised it"."""
    site.open_home()
    site.start_request()
    site.page.get_by_label(site.t("What is happening?"), exact=True).fill(STORY)
    site.page.get_by_label(site.t("A safe way to reach you (optional)"), exact=True).fill(CONTACT)
    site.submit("Send my request")
    expect(site.page.get_by_label(site.t("What is happening?"), exact=True)).to_have_value(STORY)
    site.fill_request(STORY, contact=CONTACT)
    receipt = site.send_request()
    site.memorised()
    return receipt


def test_back_after_quick_exit_does_not_reopen_the_conversation(new_context, site_url):
    team = make_org()
    site = PublicSite(phone_with_quick_exit(new_context).new_page(), site_url, "ru")
    site.open_home()
    site.start_request()
    site.fill_request(STORY)
    receipt = site.send_request()
    actions.reply(team.coordinator.user, team.coordinator.secret, Thread.objects.get(), REPLY)

    site.open_follow_up()
    site.open_conversation(receipt)
    site.quick_exit().click()
    expect(site.page).to_have_title("Wikipedia")

    back_and_reload(site.page)
    main = site.page.locator("body")
    expect(main).not_to_contain_text(REPLY)
    expect(main).not_to_contain_text(STORY)


def test_back_after_closing_the_conversation_does_not_reopen_it(new_context, site_url):
    team = make_org()
    site = PublicSite(new_context(**PHONE, **RUSSIAN_PHONE).new_page(), site_url, "ru")
    receipt = ask_and_learn_the_receipt(site)
    actions.reply(team.coordinator.user, team.coordinator.secret, Thread.objects.get(), REPLY)
    site.open_follow_up()
    site.open_conversation(receipt)
    site.send_message(ANSWER)
    site.close_conversation()

    back_and_reload(site.page)
    site.expect_heading("This page has expired")
    assert site.path() == "/ru/follow-up/?problem=expired", site.page.url
    secrets = {"story": STORY, "contact": CONTACT, "reply": REPLY, "answer": ANSWER, "receipt": receipt,
               **receipt_words(receipt)}
    assert back_through_the_whole_history(site, secrets) == {}
    assert Message.objects.filter(from_applicant=True).count() == 1, "a message was sent again"


def test_back_to_the_receipt_does_not_send_the_request_again(new_context, site_url):
    make_org()
    site = PublicSite(new_context(**PHONE, **RUSSIAN_PHONE).new_page(), site_url, "ru")
    receipt = ask_and_learn_the_receipt(site)

    # Back alone: the receipt page is asked for again (it is not kept), and it has been shown once.
    site.page.go_back()
    site.expect_heading("This page has expired")
    expect(site.page.locator("body")).not_to_contain_text(next(iter(receipt_words(receipt).values())))
    site.page.go_forward()
    site.expect_heading("Ask for help safely")

    back_and_reload(site.page)
    assert Thread.objects.count() == 1, "the request was sent a second time"
    expect(site.page.locator("body")).not_to_contain_text(receipt)
    # Further back: the refused form and the empty one, neither with what was typed.
    secrets = {"story": STORY, "contact": CONTACT, "receipt": receipt, **receipt_words(receipt)}
    assert back_through_the_whole_history(site, secrets) == {}
    assert Thread.objects.count() == 1, "the request was sent a second time"
