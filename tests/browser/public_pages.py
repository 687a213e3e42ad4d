"""Page objects for the anonymous public site (/ru/, /en/, /fr/), in the spirit of pages.py:
a test says what a person does ("ask for help", "type my receipt"); the selectors live here.

The person reads the site in their own language, so every label, button and heading is looked up
through the app's own catalogue (`t`): a test written for Russian follows a reworded string, and
`untranslated` lists what a Russian speaker would still see in English.

Also here: what a machine can check on every public page (no sideways scroll, inputs big enough
not to zoom, touch targets, the quick exit on the first screen) and what is left in a browser
profile on disk afterwards."""

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus, unquote_plus

from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real
from playwright.sync_api import Page, expect

from .pages import StaffSite

# A person on a phone that speaks Russian: the browser asks for Russian, scripts are off.
RUSSIAN_PHONE = {"locale": "ru-RU", "java_script_enabled": False}
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# Smallest comfortable target for a thumb (WCAG 2.5.5, Apple and Android guidelines: 44-48 px).
TOUCH_MIN = 44


def t(msgid: str, language: str) -> str:
    """What the site says for `msgid` in `language`, from the compiled catalogue it serves."""
    with translation.override(language):
        return translation.gettext(msgid)


def receipt_words(receipt: str, language: str = "ru") -> dict[str, str]:
    """{"receipt word N": word} to look for on a page, leaving out the words the site may say
    anyway: a receipt is made of everyday words, and "окно" or "форма" on a page (its footer, a
    form's help) is no sign of the receipt. The site's words are its whole catalogue for the
    language; a receipt keeps about six of its seven words to look for."""
    said = " ".join(text for msgid, text in trans_real.translation(language)._catalog.items() if msgid)
    return {f"receipt word {i + 1}": w for i, w in enumerate(receipt.split()) if w not in said}


class PublicSite:
    """One person's tab on the public site, in one language."""

    def __init__(self, page: Page, base_url: str, language: str = "ru"):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.language = language
        # Every address the tab asked for, redirects included: typed text must never be in one.
        self.urls: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))

    def t(self, msgid: str) -> str:
        return t(msgid, self.language)

    def open(self, path: str):
        return self.page.goto(self.base_url + path)

    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)

    def heading(self):
        return self.page.get_by_role("heading", level=1)

    def expect_heading(self, msgid: str) -> None:
        expect(self.heading()).to_have_text(self.t(msgid))

    def quick_exit(self):
        return self.page.get_by_role("link", name=self.t("Quick exit"), exact=True)

    def follow(self, link: str) -> None:
        """Tap a link (its msgid) and wait for the whole next page: a heading can show before the
        rest of the page has arrived."""
        self.page.get_by_role("link", name=self.t(link), exact=True).click()
        self.page.wait_for_load_state()

    def submit(self, button: str):
        """Press a form's button (its msgid). The server must answer the POST with a redirect (303,
        empty body, so the tab's history keeps no form to send again): returns the answer to the
        GET of the page it leads to, the page the person sees."""
        def is_form_post(response):
            return response.request.method == "POST" and response.request.is_navigation_request()

        with self.page.expect_response(is_form_post) as posted:
            self.page.get_by_role("button", name=self.t(button), exact=True).click()
        response = posted.value
        assert response.status == 303, f"POST {response.url} answered {response.status}, not 303"
        self.page.wait_for_load_state()
        shown = response.request.redirected_to
        assert shown is not None and shown.method == "GET", shown
        assert shown.url == self.page.url, (shown.url, self.page.url)
        answer = shown.response()
        assert answer is not None and answer.status < 500, f"GET {shown.url} answered {answer and answer.status}"
        return answer

    def alerts(self) -> list[str]:
        return [" ".join(text.split()) for text in self.page.get_by_role("alert").all_inner_texts()]

    # Asking for help

    def open_home(self) -> None:
        """Type the site's address, as someone told it: the server picks the language."""
        self.open("/")
        expect(self.page).to_have_url(f"{self.base_url}/{self.language}/")
        self.expect_heading("Ask for help safely")

    def start_request(self) -> None:
        self.follow("Ask for help")
        self.expect_heading("Ask for help")
        assert self.path() == f"/{self.language}/request/", self.page.url

    def fill_request(self, story: str, urgency: str = "I am in danger now", region: str | None = None,
                     contact: str = "") -> None:
        """`urgency` and `region` are msgids of the choices, as the person reads them."""
        self.page.get_by_label(self.t("What is happening?"), exact=True).fill(story)
        self.page.get_by_label(self.t(urgency), exact=True).check()
        if region is not None:
            self.page.get_by_label(self.t("Where are you now, roughly?"), exact=True).select_option(
                label=self.t(region))
        self.page.get_by_label(self.t("A safe way to reach you (optional)"), exact=True).fill(contact)

    def send_request(self) -> str:
        """Send the form; returns the receipt the next page shows (once: /request/sent/<token>/)."""
        response = self.submit("Send my request")
        assert response.status == 200, response.status
        assert re.fullmatch(rf"/{self.language}/request/sent/[\w-]+/", self.path()), self.page.url
        self.expect_heading("We received your request")
        return self.read_receipt()

    def read_receipt(self) -> str:
        receipt = self.page.locator(".receipt")
        expect(receipt).to_be_visible()
        return " ".join(receipt.inner_text().split())

    def memorised(self) -> None:
        self.follow("I have memorised it")
        self.expect_heading("Ask for help safely")

    # Coming back

    def open_follow_up(self) -> None:
        """From the home page, as the receipt page told them to."""
        self.open(f"/{self.language}/")
        self.follow("I already have a receipt")
        self.expect_heading("Read our answer")

    def type_receipt(self, receipt: str):
        self.page.get_by_label(self.t("Your receipt"), exact=True).fill(receipt)
        return self.submit("Open")

    def open_conversation(self, receipt: str) -> None:
        """Type the receipt: the conversation opens under /follow-up/<token>/ (the words are gone)."""
        response = self.type_receipt(receipt)
        assert response.status == 200, response.status
        assert re.fullmatch(rf"/{self.language}/follow-up/[\w-]+/", self.path()), self.page.url
        self.expect_heading("Your conversation")
        self.next_token()

    def next_token(self) -> str:
        """Where the conversation page leads: its forms (write, close) and language links all carry
        one new token, never the one in the address, which showing the page used up (so Reload, or
        Back to it, opens nothing)."""
        shown = re.fullmatch(rf"/{self.language}/follow-up/([\w-]+)/(?:\?.*)?", self.path())
        assert shown, self.page.url
        leads = [form.get_attribute("action") for form in self.page.locator("main form").all()]
        leads += [link.get_attribute("href") for link in self.page.locator(".langs a").all()]
        found = [re.fullmatch(r"/(?:ru|en|fr)/follow-up/([\w-]+)/(?:close/)?", to or "") for to in leads]
        assert len(leads) >= 3 and all(found), (self.page.url, leads)
        tokens = {match[1] for match in found}
        assert len(tokens) == 1 and shown[1] not in tokens, (self.page.url, leads)
        return tokens.pop()

    def messages(self) -> list[tuple[str, str]]:
        """(who, text) for each message shown, the request first; `who` without the date."""
        shown = []
        for box in self.page.locator(".msg").all():
            who = box.locator(".who").inner_text().split("·")[0].strip()
            body = box.locator(".body")
            shown.append((who, body.inner_text() if body.count() else ""))
        return shown

    def send_message(self, text: str) -> None:
        self.page.get_by_label(self.t("Your message"), exact=True).fill(text)
        response = self.submit("Send")
        assert response.status == 200, response.status
        self.expect_heading("Your conversation")
        expect(self.page.get_by_role("status")).to_have_text(self.t("Your message was sent."))
        self.next_token()

    def close_conversation(self) -> None:
        """"I am done": the server forgets the open conversation; the home page follows."""
        response = self.submit("I am done: close this conversation")
        assert response.status == 200, response.status
        self.expect_heading("Ask for help safely")
        assert self.path() == f"/{self.language}/", self.page.url

    def urls_holding(self, texts: dict[str, str]) -> dict[str, list[str]]:
        """{label: [addresses]} for every text found in an address the tab asked for (as typed, or
        percent-encoded as a browser sends it in a query string)."""
        found: dict[str, list[str]] = {}
        for url in self.urls:
            decoded = unquote_plus(url)
            for label, text in texts.items():
                if text and (text in url or text in decoded or quote_plus(text) in url):
                    found.setdefault(label, []).append(url)
        return found

    # The language

    def untranslated(self) -> list[str]:
        """Words on the page a person reading this language would get in English instead:
        headings, labels, buttons, links, help and error texts without a single Cyrillic letter
        (only meaningful for Russian). Language names and the receipt are left out."""
        assert self.language == "ru"
        texts = self.page.evaluate("""() => [...document.querySelectorAll(
                'title, h1, h2, p, li, label, legend, button, a, small, option, .who')]
            .filter(e => !e.closest('.langs, .receipt, .trap, select[name=language]')
                && !e.querySelector('p, li, label, a, button'))
            .map(e => e.textContent.replace(/\\s+/g, ' ').trim())""")
        return sorted({text for text in texts if re.search(r"[A-Za-z]{3}", text) and not CYRILLIC.search(text)})


class StaffIntake(StaffSite):
    """The intake queue on the staff site (English, as the staff site's tests use it)."""

    def open_queue(self) -> None:
        self.open("/staff/intake/")
        expect(self.heading()).to_have_text("New requests for help")

    def open_request(self, urgency: str = "In danger now") -> None:
        """The newest request of this urgency (the queue's rows link from the urgency label)."""
        self.open_queue()
        self.page.locator("main tbody tr").filter(has_text=urgency).first.get_by_role("link").click()
        expect(self.heading()).to_contain_text("Request for help")

    def story(self) -> str:
        return self.page.locator(".card .summary").first.inner_text()

    def reply(self, text: str) -> None:
        self.page.get_by_label("Reply to the applicant", exact=True).fill(text)
        self.submit("Send reply")
        expect(self.page.locator(".messages")).to_contain_text("Your reply is waiting for the applicant.")


# Checks a machine can make on every public page

def layout_problems(page: Page) -> dict:
    """What would hurt on a small screen: sideways scroll (and the boxes causing it); inputs under
    16 px (phones zoom into text fields under 16 px on focus; radio buttons are not zoomed into and
    their whole label is the target); the form controls, buttons and big links a thumb cannot hit
    (under TOUCH_MIN); the language links' sizes; where the quick exit is. Works with JavaScript
    off: Playwright evaluates over the DevTools protocol, which the switch does not block."""
    return page.evaluate("""min => {
        const w = window.innerWidth, h = window.innerHeight;
        const name = e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
            + (e.name ? '[' + e.name + ']' : '');
        const box = e => e.getBoundingClientRect();
        const size = e => `${name(e)} ${Math.round(box(e).width)}x${Math.round(box(e).height)}`;
        const shown = e => box(e).width > 0 && box(e).height > 0 && getComputedStyle(e).visibility !== 'hidden'
            && !e.closest('.trap');
        const all = selector => [...document.querySelectorAll(selector)].filter(shown);
        const exit = document.querySelector('a.exit');
        return {
            scroll: [document.documentElement.scrollWidth, w],
            wide: all('body *').filter(e => box(e).right > w + 1 || e.scrollWidth > e.clientWidth + 1).map(name),
            small_inputs: all('input, select, textarea')
                .filter(e => !['hidden', 'radio', 'checkbox'].includes(e.type)
                    && parseFloat(getComputedStyle(e).fontSize) < 16)
                .map(name),
            small_targets: all('a.big, a.exit, button, label.choice, select, textarea, '
                               + 'input:not([type=hidden]):not([type=radio])')
                .filter(e => box(e).height < min || box(e).width < min).map(size),
            lang_links: all('.langs a').map(e => [e.textContent, box(e).width, box(e).height]),
            exit: exit && {bottom: box(exit).bottom, width: box(exit).width, height: box(exit).height,
                           first_screen: box(exit).bottom <= h, href: exit.getAttribute('href')},
        };
    }""", TOUCH_MIN)


# Traces in a browser profile on disk

CACHE_DIRS = re.compile(r"cache", re.I)


def encodings(text: str) -> list[bytes]:
    """How a browser may store a string on disk: UTF-8 (SQLite, JSON, the HTTP cache) and
    UTF-16 (Blink's serialised page and form state in session files)."""
    return [text.encode("utf-8"), text.encode("utf-16-le")]


@dataclass
class ProfileScan:
    root: Path
    files: list[Path] = field(default_factory=list)

    @classmethod
    def of(cls, root: Path) -> "ProfileScan":
        return cls(root, sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()))

    def relative(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    def cache_files(self) -> list[Path]:
        return [p for p in self.files if CACHE_DIRS.search(self.relative(p))]

    def containing(self, needles: dict[str, str], files: list[Path] | None = None) -> dict[str, list[str]]:
        """{label: [files holding it]} for every needle found, in any encoding."""
        found: dict[str, list[str]] = {}
        for path in self.files if files is None else files:
            data = path.read_bytes()
            for label, text in needles.items():
                if any(encoded in data for encoded in encodings(text)):
                    found.setdefault(label, []).append(self.relative(path))
        return found

    def sqlite_rows(self, name: str, query: str) -> list[tuple]:
        """Rows of a browser SQLite file (History, Web Data), read from a copy opened read-only."""
        path = self.root / "Default" / name
        if not path.exists():
            return []
        connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            return connection.execute(query).fetchall()
        except sqlite3.OperationalError as exc:
            return [("error", str(exc))]
        finally:
            connection.close()

    def preference_keys(self, text: str) -> list[str]:
        """Dotted paths in Default/Preferences (JSON) where `text` is in a key or a value, deepest
        first met (the site's address is a key in the per-site settings)."""
        path = self.root / "Default" / "Preferences"
        if not path.exists():
            return []
        found = set()

        def walk(node, trail):
            items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            for key, value in items:
                if text in str(key):
                    found.add(".".join([*trail, str(key)]))
                else:
                    walk(value, [*trail, str(key)])
            if not items and text in str(node):
                found.add(".".join(trail))

        walk(json.loads(path.read_text(encoding="utf-8")), [])
        return sorted(found)

    def history(self) -> list[tuple]:
        return self.sqlite_rows("History", "SELECT url, title, visit_count, typed_count FROM urls ORDER BY id")

    def autofill(self) -> list[tuple]:
        return self.sqlite_rows("Web Data", "SELECT name, value FROM autofill")


def quick_exit_url() -> str:
    return settings.QUICK_EXIT_URL
