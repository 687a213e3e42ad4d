"""Post/Redirect/Get on the public site: what was typed never stays in the browser.

Chromium keeps the body of a POST in the tab's history on disk (to offer to send it again), so every
public form is answered by a bare 303 to a plain page, and what that page shows (a receipt, a form
refused with its errors, an open conversation) waits in server memory under a random token, for
minutes at most: the receipt is shown once, a refused form comes back once, a conversation closes
when the person says so or 15 minutes after their last visit. An address left in the history opens
nothing once used, closed or expired, and does not even tell which of these it was."""

import pickle
import re
import types

import pytest
from django.core.cache import cache
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import locmem
from django.utils import translation

from safepassage.intake import actions, service, threads
from safepassage.intake.models import Message, Thread
from safepassage.public import handoff

from .conftest import make_org
from .test_intake_support import (
    CONTACT,
    REFERRER,
    STORY,
    TOKEN,
    assert_see_other,
    conversation_path,
    open_conversation,
    post,
    post_request,
    public_client,
    receipt_on,
    request_data,
    send_message,
    submit_through_form,
    upload,
)

pytestmark = pytest.mark.django_db

OPENED = "Your conversation"
EXPIRED = "This page has expired"
REPLY = "We can meet you at the Hidden Station Wqz"
MESSAGE = "Они снова приходили, адрес: ул. Потайная 12 Kvx"
MINUTE = 60


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The cache's clock, moved forward by hand: `clock.advance(seconds)`."""
    now = [1_900_000_000.0]
    fake = types.SimpleNamespace(time=lambda: now[0])
    monkeypatch.setattr(locmem, "time", fake)
    monkeypatch.setattr(cache_base, "time", fake)

    def advance(seconds):
        now[0] += seconds

    return types.SimpleNamespace(advance=advance)


@pytest.fixture
def applicant(org):
    """A request sent through the form, answered by the team: (thread, receipt)."""
    thread, phrase = submit_through_form()
    actions.reply(org.coordinator.user, org.coordinator.secret, thread, REPLY)
    return thread, phrase


def held_in_memory() -> list:
    """Every value the handoff keeps in the cache right now."""
    return [pickle.loads(value) for key, value in cache._cache.items() if ":handoff:" in key]  # noqa: S301


def shows_anything(response, phrase: str) -> list[str]:
    """What of the applicant's conversation or receipt a page shows."""
    body = response.content.decode()
    secrets = {"story": STORY, "contact": CONTACT, "reply": REPLY, "message": MESSAGE, "receipt": phrase,
               **{f"receipt word {i}": f"<li>{w}</li>" for i, w in enumerate(phrase.split())}}
    shown = [name for name, text in secrets.items() if text in body]
    return shown + (["a receipt"] if 'class="receipt"' in body else [])


def expired_page(client, path):
    """GET an address of a conversation that is gone: a redirect to the one "expired" page."""
    response = client.get(path)
    lang = path.split("/")[1]
    assert response.status_code == 303 and response["Location"] == f"/{lang}/follow-up/?problem=expired", response
    page = client.get(response["Location"])
    with translation.override(lang):
        assert page.status_code == 410 and translation.gettext(EXPIRED) in page.content.decode()
    return page


# Every form, every outcome: a bare 303 to an address of the site's own, holding nothing typed

def _open(client, phrase) -> str:
    page = open_conversation(client, phrase)
    assert page.status_code == 200, page.url
    return conversation_path(page)


def visit(client, path):
    """GET an open conversation's address, as a click on one of its links or a redirect does: the
    page, with `.url`; conversation_path(page) is where it leads next."""
    page = client.get(path)
    with translation.override(path.split("/")[1]):
        opened = translation.gettext(OPENED)
    assert page.status_code == 200 and opened in page.content.decode(), (path, page.status_code)
    page.url = path
    return page


def key_held(value):
    """The conversation key a held value carries (an open conversation), or None."""
    return value.key if isinstance(value, service.Conversation) else None


def conversations_in_memory() -> int:
    return sum(1 for value in held_in_memory() if key_held(value))


OUTCOMES = {
    # name: (form, data, settings, where the redirect leads, the status of the page there)
    "request sent": ("request", {}, {}, rf"/en/request/sent/{TOKEN}/", 200),
    "request with the trap filled": ("request", {"website": "http://spam.example/"}, {},
                                     rf"/en/request/sent/{TOKEN}/", 200),
    "request refused": ("request", {"urgency": ""}, {}, rf"/en/request/\?draft={TOKEN}", 200),
    "request with a bad file": ("request", {"files": [upload("a.txt", b"plain text")]}, {},
                                rf"/en/request/\?draft={TOKEN}", 200),
    "request too large": ("request", {}, {"INTAKE_MAX_BODY_BYTES": 100}, r"/en/request/\?problem=too_large", 413),
    "request throttled": ("request", {}, {"INTAKE_SUBMISSIONS_PER_HOUR": 0}, r"/en/request/\?problem=busy", 503),
    "receipt right": ("receipt", {}, {}, rf"/en/follow-up/{TOKEN}/", 200),
    "receipt wrong": ("receipt", {"receipt": "seven words nobody was ever given here"}, {},
                      r"/en/follow-up/\?failed=1", 200),
    "receipt empty": ("receipt", {"receipt": ""}, {}, r"/en/follow-up/\?failed=1", 200),
    "receipt too large": ("receipt", {}, {"INTAKE_MAX_BODY_BYTES": 10}, r"/en/follow-up/\?problem=too_large", 413),
    "receipt throttled": ("receipt", {}, {"INTAKE_RECEIPT_FAILURES_PER_HOUR": 0},
                          r"/en/follow-up/\?problem=attempts", 503),
    "message sent": ("message", {"body": MESSAGE}, {}, rf"/en/follow-up/{TOKEN}/\?sent=1", 200),
    "message refused": ("message", {"body": "   "}, {}, rf"/en/follow-up/{TOKEN}/\?draft={TOKEN}", 200),
    "message with a bad file": ("message", {"body": MESSAGE, "files": [upload("a.txt", b"plain text")]}, {},
                                rf"/en/follow-up/{TOKEN}/\?draft={TOKEN}", 200),
    # Refused on the conversation page itself (see test_intake_attachments.py), not on a page of its own.
    "message too large": ("message", {"body": MESSAGE * 5}, {"INTAKE_MAX_BODY_BYTES": 100},
                          rf"/en/follow-up/{TOKEN}/\?problem=too_large", 200),
    "message to a closed conversation": ("message after close", {"body": MESSAGE}, {},
                                         r"/en/follow-up/\?problem=expired", 410),
    "close": ("close", {}, {}, r"/en/", 200),
    "close again": ("close after close", {}, {}, r"/en/", 200),
}


@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_every_public_post_is_a_bare_303_to_an_address_that_holds_nothing_typed(applicant, settings, outcome):
    form, data, overrides, leads_to, status = OUTCOMES[outcome]
    thread, phrase = applicant
    client = public_client()
    if form == "request":
        path, data = "/en/request/", request_data(**data)
    elif form == "receipt":
        path, data = "/en/follow-up/", {"receipt": phrase, **data}
    else:
        here = _open(client, phrase)
        if form.endswith("after close"):
            assert_see_other(client.post(here + "close/"))
        path = here + "close/" if form.startswith("close") else here
        data = {"body": "", "files": [], **data}
    for name, value in overrides.items():
        setattr(settings, name, value)
    page = post(client, path, data)  # asserts: 303, empty body, no cookie, the site's own shape, nothing typed
    assert re.fullmatch(leads_to, page.posted["Location"]), page.posted["Location"]
    assert page.status_code == status
    assert dict(client.cookies) == {}


def test_a_post_to_the_public_site_while_it_is_closed_is_a_303_too(org):
    make_org("Second Org", "secondcoord")  # two organisations and none chosen: the form is closed
    page = post_request(public_client())
    assert page.posted["Location"] == "/en/request/?problem=closed" and page.status_code == 503
    assert not Thread.objects.exists()


# The receipt: shown once

def test_the_receipt_page_shows_the_receipt_once_only(org):
    client = public_client()
    page = post_request(client)
    phrase = receipt_on(page)
    again = client.get(page.url)
    assert again.status_code == 410 and EXPIRED in again.content.decode()
    assert shows_anything(again, phrase) == []
    # Not from another browser either, nor under another language's prefix.
    for path in (page.url, page.url.replace("/en/", "/ru/")):
        assert public_client().get(path).status_code == 410
    # Once shown, the server holds it no more.
    assert not any(phrase in repr(value) for value in held_in_memory())


def test_the_receipt_page_of_the_trap_is_shown_once_only_too(org):
    client = public_client()
    page = post_request(client, website="http://spam.example/")
    receipt_on(page)
    assert client.get(page.url).status_code == 410


def test_a_receipt_page_never_opened_is_gone_after_ten_minutes(org, clock):
    client = public_client()
    late = assert_see_other(client.post("/en/request/", request_data()))
    soon = assert_see_other(client.post("/en/request/", request_data()))
    clock.advance(handoff.RECEIPT_SECONDS - MINUTE)
    assert receipt_on(client.get(soon))
    clock.advance(2 * MINUTE)
    assert client.get(late).status_code == 410
    assert Thread.objects.count() == 2  # the request itself was sent: only the page is gone


# A refused form: shown again once

def test_a_refused_request_comes_back_once_with_what_was_typed_then_never_again(org):
    client = public_client()
    page = post_request(client, urgency="")
    body = page.content.decode()
    assert page.status_code == 200 and STORY in body and CONTACT in body and REFERRER in body
    assert "Please choose how urgent it is." in body
    again = client.get(page.url)
    body = again.content.decode()
    assert again.status_code == 200 and "Ask for help" in body  # an empty form
    for text in (STORY, CONTACT, REFERRER, "Please choose how urgent it is.", 'class="alert"'):
        assert text not in body, text
    assert not any(STORY in repr(value) for value in held_in_memory())


def test_a_refused_message_comes_back_once_then_never_again(applicant):
    _thread, phrase = applicant
    client = public_client()
    conversation = open_conversation(client, phrase)
    page = send_message(client, conversation, body=MESSAGE, files=[upload("a.txt", b"plain text")])
    assert MESSAGE in page.content.decode() and 'class="alert"' in page.content.decode()
    draft = re.search(rf"\?draft=({TOKEN})$", page.url).group(1)
    # Reloaded, the address shows nothing at all.
    assert shows_anything(expired_page(client, page.url), phrase) == []
    # The draft's token, even with an open conversation, brings nothing back.
    again = visit(client, conversation_path(page) + f"?draft={draft}")  # the conversation, still open
    assert MESSAGE not in again.content.decode() and 'class="alert"' not in again.content.decode()
    assert not any(MESSAGE in repr(value) for value in held_in_memory())
    assert Message.objects.count() == 1  # the team's reply only


def test_a_refused_form_never_shown_is_gone_after_ten_minutes(org, clock):
    client = public_client()
    draft = assert_see_other(client.post("/en/request/", request_data(urgency="")))
    clock.advance(handoff.DRAFT_SECONDS + 1)
    body = client.get(draft).content.decode()
    assert STORY not in body and 'class="alert"' not in body
    assert held_in_memory() == []


# The conversation: open while it is used, closed when the person is done or has gone

def test_closing_the_conversation_forgets_it_at_once(applicant):
    thread, phrase = applicant
    client = public_client()
    here = _open(client, phrase)
    key = threads.find_by_receipt(phrase)[1]
    assert any(key_held(value) == key for value in held_in_memory())
    closed = client.post(here + "close/")
    assert assert_see_other(closed) == "/en/"
    assert not any(key_held(value) == key for value in held_in_memory())  # the key is gone from memory
    for path in (here, here + "?sent=1", here.replace("/en/", "/ru/")):
        assert shows_anything(expired_page(client, path), phrase) == []
    late = post(client, here, {"body": MESSAGE})
    assert late.posted["Location"] == "/en/follow-up/?problem=expired" and late.status_code == 410
    assert Message.objects.filter(thread=thread, from_applicant=True).count() == 0
    # The receipt still opens it again, under a new address.
    assert _open(client, phrase) != here


def test_closing_one_open_conversation_leaves_another_one_open(applicant):
    _thread, phrase = applicant
    phone, laptop = public_client(), public_client()
    on_phone, on_laptop = _open(phone, phrase), _open(laptop, phrase)
    assert on_phone != on_laptop
    phone.post(on_phone + "close/")
    assert laptop.get(on_laptop).status_code == 200
    assert phone.get(on_phone).status_code == 303


def test_closing_needs_a_post(applicant):
    _thread, phrase = applicant
    client = public_client()
    here = _open(client, phrase)
    assert client.get(here + "close/").status_code == 405
    assert client.get(here).status_code == 200


def test_a_conversation_stays_open_while_it_is_read_and_closes_fifteen_minutes_after_the_last_visit(
        applicant, clock):
    thread, phrase = applicant
    client = public_client()
    here = _open(client, phrase)
    for _ in range(3):  # each visit (through the page's own links) gives it another 15 minutes
        clock.advance(handoff.CONVERSATION_SECONDS - MINUTE)
        here = conversation_path(visit(client, here))
    clock.advance(handoff.CONVERSATION_SECONDS - MINUTE)
    sent = assert_see_other(client.post(here, {"body": MESSAGE}))  # writing counts as a visit too
    clock.advance(handoff.CONVERSATION_SECONDS - MINUTE)
    page = visit(client, sent)
    assert "Your message was sent." in page.content.decode()
    here = conversation_path(page)
    clock.advance(handoff.CONVERSATION_SECONDS + 1)
    assert shows_anything(expired_page(client, here), phrase) == []
    late = post(client, here, {"body": "too late"})
    assert late.status_code == 410
    assert Message.objects.filter(thread=thread, from_applicant=True).count() == 1
    assert held_in_memory() == []


def test_the_newest_token_still_closes_fifteen_minutes_after_the_last_view(applicant, clock):
    """The 15 minutes run from the last page shown, not from the receipt: the newest token, made by
    that page, lives 15 minutes and no longer."""
    _thread, phrase = applicant
    client = public_client()
    first = _open(client, phrase)
    clock.advance(10 * MINUTE)
    newest = conversation_path(visit(client, first))
    clock.advance(handoff.CONVERSATION_SECONDS - MINUTE)  # 24 minutes after the receipt, 14 after the view
    newest = conversation_path(visit(client, newest))
    clock.advance(handoff.CONVERSATION_SECONDS - 1)
    assert handoff.peek("conversation", newest.split("/")[-2]) is not None  # still open at 14:59 ...
    clock.advance(2)
    assert shows_anything(expired_page(client, newest), phrase) == []  # ... gone at 15:01
    assert held_in_memory() == []


def test_reloading_a_conversation_page_opens_nothing(applicant):
    """Reload sends the address again: it was used when the page was shown."""
    _thread, phrase = applicant
    client = public_client()
    page = open_conversation(client, phrase)
    assert page.status_code == 200 and OPENED in page.content.decode()
    assert shows_anything(expired_page(client, page.url), phrase) == []
    # The same after a message was sent, a message was refused, or the language was changed.
    sent = send_message(client, page, body=MESSAGE)
    assert "Your message was sent." in sent.content.decode()
    assert shows_anything(expired_page(client, sent.url), phrase) == []
    refused = send_message(client, open_conversation(client, phrase), body="   ")
    assert refused.status_code == 200 and "?draft=" in refused.url
    assert shows_anything(expired_page(client, refused.url), phrase) == []
    token = conversation_path(open_conversation(client, phrase)).split("/")[-2]
    in_russian = visit(client, f"/ru/follow-up/{token}/")
    assert shows_anything(expired_page(client, in_russian.url), phrase) == []


def test_back_after_quick_exit_opens_nothing_from_the_history(applicant):
    """Quick exit leaves for another site; Back (and Back again) then asks for addresses of the
    conversation kept in the history: none of them opens it, and none tells what it held."""
    _thread, phrase = applicant
    client = public_client()
    history = []
    page = open_conversation(client, phrase)
    history.append(page.url)
    page = send_message(client, page, body=MESSAGE)
    history.append(page.url)
    page = visit(client, conversation_path(page).replace("/en/", "/fr/"))
    history.append(page.url)
    assert page.context["token"] in page.content.decode()  # what the next step would have used
    # Quick exit: a plain link to another site; nothing is asked of this one. Then Back, Back, Back.
    for path in reversed(history):
        assert shows_anything(expired_page(client, path), phrase) == []
    assert Message.objects.filter(from_applicant=True).count() == 1  # and nothing was sent twice


def test_an_old_token_is_dead_as_soon_as_the_page_shows_a_new_one(applicant):
    """No time needs to pass: once a page has been shown under a token, that token and the ones
    before it open nothing, send nothing and leave only the newest in memory."""
    thread, phrase = applicant
    client = public_client()
    first = open_conversation(client, phrase)
    old = conversation_path(first)
    newest = conversation_path(visit(client, old))
    assert conversations_in_memory() == 1
    assert shows_anything(expired_page(client, old), phrase) == []
    assert shows_anything(expired_page(client, old.replace("/en/", "/ru/")), phrase) == []  # its language links
    late = post(client, old, {"body": MESSAGE})
    assert late.posted["Location"] == "/en/follow-up/?problem=expired" and late.status_code == 410
    assert not Message.objects.filter(thread=thread, from_applicant=True).exists()
    # The newest still opens it, once, and in turn dies when its page shows the next one.
    after = conversation_path(visit(client, newest))
    assert client.get(newest).status_code == 303
    assert conversations_in_memory() == 1
    assert visit(client, after).status_code == 200


def test_a_conversation_gone_from_memory_is_gone(applicant):
    """What a restart of the server (or the cache's eviction) does: every open conversation ends."""
    _thread, phrase = applicant
    client = public_client()
    here = _open(client, phrase)
    cache.clear()
    assert shows_anything(expired_page(client, here), phrase) == []


def test_an_address_that_is_gone_tells_nothing_not_even_whether_it_ever_opened_anything(applicant):
    _thread, phrase = applicant
    client = public_client()
    receipt_page = post_request(client)
    receipt_on(receipt_page)
    closed = _open(client, phrase)
    client.post(closed + "close/")
    never = "/en/follow-up/" + "A" * 32 + "/"
    conversation_pages = {expired_page(client, path).content for path in (closed, never)}
    assert len(conversation_pages) == 1
    receipt_pages = {client.get(path).content for path in (receipt_page.url, f"/en/request/sent/{'A' * 32}/")}
    assert len(receipt_pages) == 1
    for body in conversation_pages | receipt_pages:
        assert STORY.encode() not in body and REPLY.encode() not in body
        assert closed.split("/")[3].encode() not in body  # not even the token itself


def test_a_token_opens_only_what_it_was_made_for(applicant):
    """A receipt page's token is not a conversation's, nor a refused form's, and trying one where
    it does not belong does not use it up."""
    _thread, phrase = applicant
    client = public_client()
    receipt_page = assert_see_other(client.post("/en/request/", request_data()))
    receipt_token = receipt_page.split("/")[-2]
    conversation = _open(client, phrase)
    conversation_token = conversation.split("/")[-2]
    draft = assert_see_other(client.post("/en/request/", request_data(urgency="")))
    draft_token = draft.split("=")[-1]

    assert client.get(f"/en/follow-up/{receipt_token}/").status_code == 303  # to ?problem=expired
    assert client.get(f"/en/follow-up/{draft_token}/").status_code == 303
    assert client.get(f"/en/request/sent/{conversation_token}/").status_code == 410
    assert client.get(f"/en/request/sent/{draft_token}/").status_code == 410
    for token in (receipt_token, conversation_token):
        assert STORY not in client.get(f"/en/request/?draft={token}").content.decode()
    # Each still opens what it was made for.
    assert receipt_on(client.get(receipt_page))
    assert client.get(conversation).status_code == 200
    assert STORY in client.get(draft).content.decode()


def test_the_conversation_page_does_not_show_the_receipt_and_every_link_keeps_its_address(applicant):
    """Every link and form of the page carries the page's one new token: whichever is followed opens
    the conversation (once), in the language chosen."""
    _thread, phrase = applicant
    client = public_client()
    page = open_conversation(client, phrase)
    for lang in ("ru", "fr", "en"):
        here = conversation_path(page)
        token = here.split("/")[-2]
        body = page.content.decode()
        assert phrase not in body and not any(f">{w}<" in body for w in phrase.split())
        assert f'action="{here}"' in body and f'action="{here}close/"' in body
        shown = here.split("/")[1]
        for other in {"en", "ru", "fr"} - {shown}:
            assert f'href="/{other}/follow-up/{token}/" hreflang="{other}"' in body
        assert body.count(token) == 2 + 2  # two forms, two language links: nothing else
        page = visit(client, f"/{lang}/follow-up/{token}/")
        assert f'<html lang="{lang}">' in page.content.decode()
