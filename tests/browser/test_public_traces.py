"""What the public site leaves on a phone. The applicant's part runs in a Chromium profile on disk,
as on a real phone (two visits, the browser closed after each); afterwards whoever takes the phone
opens the browser and reads the profile's files.

The site can promise: no cookie, no site storage, no copy of a page in the cache (`no-store`), no
form history (`autocomplete=off`), nothing the person typed anywhere in the profile (every form is
answered by a 303 redirect, so no POST body is kept in the tab's history), and no address in the
history that still opens anything once the conversation is closed or has expired. It cannot keep a
visit out of the browser's history: for that every page has the same neutral title, and the site
tells people to use a private window or Tor Browser. What was found, history included, and what
each address in the history showed before and after the conversation expired, is written to
<shots>/public-profile-traces.txt for people to judge."""

import re
from dataclasses import dataclass, field

from django.core.cache import cache
from playwright.sync_api import expect

from tests.conftest import make_org

from .conftest import PHONE
from .public_pages import RUSSIAN_PHONE, ProfileScan, PublicSite, StaffIntake, receipt_words, t

STORY = ("Соседи донесли на меня участковому, вчера приходили к брату.\n"
         "Ночую на вокзале, телефон скоро отключат.")
REPLY = "Держитесь. Завтра в полдень позвоним на номер, который вы укажете здесь."
ANSWER = "Позвоните на запасной номер, он у сестры."

STORAGE = """async () => ({
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    indexedDB: (await indexedDB.databases()).length,
    cacheStorage: (await caches.keys()).length,
    cookie: document.cookie,
})"""
NOTHING_STORED = {"localStorage": 0, "sessionStorage": 0, "indexedDB": 0, "cacheStorage": 0, "cookie": ""}


@dataclass
class Visit:
    """What happened on the phone, and what it holds afterwards."""
    site_url: str
    receipt: str
    cookies: list
    stored: dict
    scan: ProfileScan
    opened: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return self.site_url.removeprefix("http://")

    def typed(self) -> dict[str, str]:
        """Everything the person typed (the receipt in capitals, as they typed it the second day)."""
        words = self.receipt.split()
        return {"story": STORY.split("\n")[0], "story (2nd line)": STORY.split("\n")[1], "answer": ANSWER,
                "receipt": self.receipt, "receipt (as typed)": self.receipt.upper(),
                **{f"receipt word {i + 1}": w for i, w in enumerate(words)},
                **{f"receipt word {i + 1} (as typed)": w.upper() for i, w in enumerate(words)}}

    def shown(self) -> dict[str, str]:
        return {"team's reply": REPLY, "site address": self.host}

    def secrets(self) -> dict[str, str]:
        """What a page must not show to whoever holds the phone."""
        words = list(receipt_words(self.receipt).items())  # those a page would not show anyway
        return {"story": STORY.split("\n")[0], "team's reply": REPLY, "answer": ANSWER, **dict([words[0], words[-1]])}

    def addresses(self) -> list[str]:
        """The site's addresses the browser's history keeps."""
        return [url for url, *_ in self.scan.history() if url.startswith(self.site_url)]

    def report(self) -> str:
        scan = self.scan
        needles = self.typed() | self.shown()
        return "\n".join([
            f"Profile: {len(scan.files)} files, {len(scan.cache_files())} under cache folders.",
            "Cache folders: " + ", ".join(sorted({scan.relative(p.parent) for p in scan.cache_files()})),
            f"Cookies before closing: {self.cookies}; site storage with scripts on: {self.stored}",
            "Found under cache folders: " + repr(scan.containing(needles, scan.cache_files())),
            "Found anywhere (UTF-8 or UTF-16):",
            *(f"  {label}: {files}" for label, files in scan.containing(needles).items()),
            f"Preferences keys naming the site: {scan.preference_keys(self.host)}",
            f"Autofill entries (Web Data): {scan.autofill()}",
            "History (url, title, visits, typed):",
            *(f"  {row}" for row in scan.history()),
            *(f"Addresses of the history opened {when}: {shown}" for when, shown in self.opened.items()),
        ])


def what_the_addresses_open(new_context, visit: Visit) -> dict[str, list[str]]:
    """Open each address of the history in another browser: {address: the secrets it shows}."""
    page = new_context(java_script_enabled=False).new_page()
    shown = {}
    for url in visit.addresses():
        page.goto(url)
        body = page.locator("body").inner_text()
        if found := [name for name, text in visit.secrets().items() if text in body]:
            shown[url.removeprefix(visit.site_url)] = found
    return shown


def use_the_site_on_one_phone(open_profile, new_context, site_url, profile, done: bool = False) -> Visit:
    """Two days on one phone. `done`: the second day ends with "I am done" before the browser is
    closed; otherwise the person just closes the browser."""
    team = make_org()
    cookies = []

    # Day one: ask for help, learn the receipt, close the browser.
    phone = open_profile(profile, **PHONE, **RUSSIAN_PHONE)
    applicant = PublicSite(phone.new_page(), site_url, "ru")
    applicant.open_home()
    applicant.start_request()
    applicant.fill_request(STORY, region="Elsewhere in Russia")
    receipt = applicant.send_request()
    applicant.memorised()
    cookies += phone.cookies()
    phone.close()

    staff = StaffIntake(new_context(java_script_enabled=False).new_page(), site_url)
    staff.sign_in(team.coordinator)
    staff.open_request("In danger now")
    staff.reply(REPLY)

    # Day two, the same phone: read the answer, write back, close the browser.
    phone = open_profile(profile, **PHONE, **RUSSIAN_PHONE)
    applicant = PublicSite(phone.new_page(), site_url, "ru")
    applicant.open_follow_up()
    applicant.open_conversation(receipt.upper())
    assert applicant.messages()[1] == (t("Our team", "ru"), REPLY)
    applicant.send_message(ANSWER)
    if done:
        applicant.close_conversation()
    cookies += phone.cookies()
    phone.close()

    # Whoever takes the phone opens the browser, scripts on, at the site's address.
    phone = open_profile(profile, **PHONE, locale="ru-RU", java_script_enabled=True)
    page = phone.new_page()
    page.goto(site_url + "/ru/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Ask for help safely", "ru"))
    stored = page.evaluate(STORAGE)
    cookies += phone.cookies()
    phone.close()
    return Visit(site_url, receipt, cookies, stored, ProfileScan.of(profile))


def test_no_cookie_no_site_storage_no_cached_page_no_form_history(open_profile, new_context, site_url, tmp_path,
                                                                  shots_dir):
    visit = use_the_site_on_one_phone(open_profile, new_context, site_url, tmp_path / "profile")
    # The person closed the browser without "I am done": the conversation stays open on the server
    # for 15 minutes after their last visit, then is forgotten (a restart forgets it too). But only
    # under the token of the last page's forms: every address the history keeps was used up when
    # its page was shown, so it opens nothing even now.
    visit.opened["within 15 minutes of the last visit"] = what_the_addresses_open(new_context, visit)
    cache.clear()
    visit.opened["once expired"] = what_the_addresses_open(new_context, visit)
    report = visit.report()
    (shots_dir / "public-profile-traces.txt").write_text(report + "\n", encoding="utf-8")
    print(report)

    assert visit.cookies == []
    assert visit.stored == NOTHING_STORED
    # Nothing of the site in the HTTP cache or the script caches, not even its address.
    in_cache = visit.scan.containing(visit.typed() | visit.shown(), visit.scan.cache_files())
    assert not in_cache, in_cache
    assert visit.scan.autofill() == []
    # History keeps the visits (the browser's decision), but every page has the same neutral title.
    history = visit.scan.history()
    assert history, "expected the browser to keep history; if it no longer does, update the threat model"
    titles = {title for url, title, *_ in history if url.startswith(site_url)}
    assert titles <= {t("Information", "ru"), ""}, titles
    # The addresses it keeps open nothing, before the conversation expires or after.
    assert visit.opened["within 15 minutes of the last visit"] == {}
    assert visit.opened["once expired"] == {}


def test_nothing_the_person_typed_is_kept_in_the_profile(open_profile, new_context, site_url, tmp_path):
    """Chromium's session files (Default/Sessions/Session_*, Tabs_*: "reopen closed tab", crash
    recovery) keep the POST body of every page in the tab's back/forward list unless the form held
    a password. A page shown in answer to a POST therefore leaves the story, the receipt and the
    messages on disk in plain text. Post/Redirect/Get (303 to a GET page) leaves nothing."""
    visit = use_the_site_on_one_phone(open_profile, new_context, site_url, tmp_path / "profile")
    found = visit.scan.containing(visit.typed())
    assert not found, "typed text left in the profile:\n" + "\n".join(f"  {k}: {v}" for k, v in found.items())


def test_after_i_am_done_no_address_in_the_profile_opens_anything(open_profile, new_context, site_url, tmp_path):
    """The same two days, the second ending with "I am done": at once, before anything expires,
    no address the browser keeps (history, session files) shows the request, the answer or the
    receipt to whoever opens it."""
    visit = use_the_site_on_one_phone(open_profile, new_context, site_url, tmp_path / "profile", done=True)
    # The control: the conversation's own address is in the history.
    assert any(re.search(r"/ru/follow-up/[\w-]{32}/$", url) for url in visit.addresses()), visit.addresses()
    assert what_the_addresses_open(new_context, visit) == {}
    found = visit.scan.containing(visit.typed())
    assert not found, found
