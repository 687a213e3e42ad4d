"""Every public page on a cheap phone (360 x 740) and an office screen (1280 x 900), JavaScript off,
in Russian: a screenshot for people to judge (<shots>/public-<page>-<device>.png), and the checks a
machine can make: no sideways scroll, inputs at 16 px or more, targets a thumb can hit, and the
quick exit on the first screen.

The measurements run in the very page the person sees, scripts off: Playwright evaluates over the
DevTools protocol, which the page's "no JavaScript" switch (like its CSP) does not block."""

import pytest
from playwright.sync_api import expect

from safepassage.intake import actions, phrases
from safepassage.intake.models import Thread
from tests.conftest import make_org

from .conftest import DESKTOP, PHONE
from .public_pages import RUSSIAN_PHONE, TOUCH_MIN, PublicSite, layout_problems, quick_exit_url

# With a pasted link and a long word: what people type must wrap, not push the page sideways.
STORY = ("Меня ищут после того, как соседи узнали обо мне и моём друге. Вчера приходили к матери.\n"
         "Мой адвокат выложил документы: https://files.example.org/shared/2024/appeal-KZ-0043219-hearing.pdf\n"
         "Нужен безопасный выезд для меня и младшей сестры, паспорта есть, денег почти нет.")
REPLY = ("Здравствуйте. Мы прочитали ваше сообщение и хотим помочь. Напишите, сможете ли вы завтра "
         "добраться до Владикавказа, и есть ли у сестры загранпаспорт.")
DEVICES = {"phone": PHONE, "desktop": DESKTOP}


def check(site: PublicSite, shots_dir, name: str, device: str, small_targets: dict) -> dict:
    """The picture first (when a check fails, it shows what went wrong), then the checks. Targets
    too small for a thumb are collected in `small_targets`, to be judged after every page is shot."""
    page = site.page
    page.wait_for_load_state()
    page.screenshot(path=str(shots_dir / f"public-{name}-{device}.png"), full_page=True)
    expect(site.heading()).to_be_visible()
    # The stylesheet is served by the app itself and did load.
    assert page.locator(".bar").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(234, 230, 221)"
    found = layout_problems(page)
    width = DEVICES[device]["viewport"]["width"]
    assert found["scroll"] == [width, width] and not found["wide"], (name, found["scroll"], found["wide"])
    assert not found["small_inputs"], (name, found["small_inputs"])
    if found["small_targets"]:
        small_targets[name] = found["small_targets"]
    # Language links are secondary and spaced apart: WCAG 2.5.8's 24 px minimum, not TOUCH_MIN.
    assert all(w >= 24 and h >= 24 for _text, w, h in found["lang_links"]), (name, found["lang_links"])
    # The quick exit: on the first screen without scrolling, big enough, to a harmless site.
    exit_ = found["exit"]
    assert exit_ and exit_["first_screen"] and exit_["href"] == quick_exit_url(), (name, exit_)
    assert exit_["height"] >= TOUCH_MIN and exit_["width"] >= TOUCH_MIN, (name, exit_)
    return found


@pytest.mark.parametrize("device", list(DEVICES))
def test_public_pages_fit_a_small_phone_and_a_desktop(device, new_context, site_url, shots_dir):
    team = make_org()
    context = new_context(**DEVICES[device], **RUSSIAN_PHONE)
    site = PublicSite(context.new_page(), site_url, "ru")
    small = {}

    site.open_home()
    check(site, shots_dir, "home", device, small)

    site.start_request()
    check(site, shots_dir, "request", device, small)

    # Sent empty: each missing answer says so next to its question, and nothing is lost.
    assert site.submit("Send my request").status == 200
    site.expect_heading("Ask for help")
    alerts = site.alerts()
    assert site.t("Please tell us what is happening.") in alerts, alerts
    assert site.t("Please choose how urgent it is.") in alerts, alerts
    check(site, shots_dir, "request-errors", device, small)

    site.fill_request(STORY, urgency="I am in danger now", region="Chechnya")
    receipt = site.send_request()
    found = check(site, shots_dir, "receipt", device, small)
    # The receipt is on the first screen of a phone, whole, without scrolling.
    box = site.page.locator(".receipt").bounding_box()
    assert box["y"] + box["height"] <= DEVICES[device]["viewport"]["height"], (box, found)

    thread = Thread.objects.get()
    actions.reply(team.coordinator.user, team.coordinator.secret, thread, REPLY)

    site.open_follow_up()
    check(site, shots_dir, "follow-up", device, small)

    site.type_receipt("не те слова")
    assert site.alerts(), "a wrong receipt says so"
    check(site, shots_dir, "follow-up-error", device, small)

    site.open_conversation(receipt)
    assert [body for _who, body in site.messages()] == [STORY, REPLY]
    check(site, shots_dir, "conversation", device, small)

    # Done: closed, and Back shows that the conversation's page has expired.
    site.close_conversation()
    site.page.go_back()
    site.expect_heading("This page has expired")
    check(site, shots_dir, "expired", device, small)
    assert not small, f"targets under {TOUCH_MIN} px: {small}"


def ask_for_a_receipt_in(site: PublicSite, language: str) -> str:
    """Send a request whose answers (and so the receipt) are to be in `language`; the receipt."""
    site.open_home()
    site.start_request()
    site.fill_request(STORY)
    site.page.get_by_label(site.t("Which language should we write in?"), exact=True).select_option(language)
    return site.send_request()


def widest_words(site: PublicSite, words: tuple[str, ...]) -> list[str]:
    """The receipt's worst case: the words that take the most room in the receipt's own font and
    box, measured on the receipt page shown (each word written into its first item in turn)."""
    widths = site.page.evaluate("""words => {
        const item = document.querySelector('ol.receipt li'), range = document.createRange(), out = {};
        for (const word of words) {
            item.textContent = word;
            range.selectNodeContents(item);
            out[word] = range.getBoundingClientRect().width;
        }
        return out;
    }""", list(words))
    return sorted(words, key=lambda word: -widths[word])[:phrases.WORDS]


@pytest.mark.parametrize("language", ["ru", "fr", "en"])
def test_the_widest_receipt_fits_the_first_phone_screen_one_word_a_line(language, new_context, site_url,
                                                                       monkeypatch):
    """The receipt is drawn at random: whatever words it gets, on a Russian page (the longest text
    above it), it is whole on the first screen of a small phone, each number on the line of its
    word, each item in one column."""
    make_org()
    site = PublicSite(new_context(**PHONE, **RUSSIAN_PHONE).new_page(), site_url, "ru")
    ask_for_a_receipt_in(site, language)
    widest = widest_words(site, phrases.wordlist(language))
    monkeypatch.setattr(phrases, "new_phrase", lambda _language: " ".join(widest))
    assert ask_for_a_receipt_in(site, language) == " ".join(widest)

    box = site.page.locator(".receipt").bounding_box()
    assert box["y"] + box["height"] <= PHONE["viewport"]["height"], (widest, box)
    items = site.page.evaluate("""() => [...document.querySelectorAll('ol.receipt li')].map(e => {
        const style = getComputedStyle(e);
        const text = e.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
        return [e.textContent, Math.round(text / parseFloat(style.lineHeight)), e.getClientRects().length];
    })""")
    assert [(word, 1, 1) for word in widest] == [tuple(item) for item in items], "[word, lines, columns]"
    assert not layout_problems(site.page)["wide"]
