"""The public site leaves nothing behind on a seized phone and talks to no other host.

Every public response - pages in each language, the redirect from /, the stylesheet, error pages,
every POST's own answer (a bare 303) and the page it leads to (receipt, form again with errors,
honeypot, conversation, message sent or refused, throttled, too large, expired, closed) - is checked
for no-store, a CSP that allows no script and no framing, no referrer, and no cookie at all. Every
page is parsed for scripts, links to other hosts, autocomplete and its title."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from safepassage.public import views as public_views

from .conftest import make_org, sign_in
from .test_intake_support import (
    assert_see_other,
    parse,
    post_request,
    public_client,
    request_data,
    submit_through_form,
    upload,
)

pytestmark = pytest.mark.django_db

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "cite", "background",
                  "manifest", "ping"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def collect_public_responses(client) -> list[tuple[str, object]]:
    """(label, response) for every kind of public response, all through one cookie-keeping client:
    each POST's own answer and the page its redirect leads to."""
    seen = []

    def get(path, label=None, **headers):
        response = client.get(path, **headers)
        seen.append((label or f"GET {path} {headers}", response))
        return response

    def post(label, path, data):
        posted = client.post(path, data)
        seen.append((f"POST {label}", posted))
        return get(assert_see_other(posted, data), f"GET after POST {label}")

    get("/", HTTP_ACCEPT_LANGUAGE="ru")
    get("/", HTTP_ACCEPT_LANGUAGE="fr")
    get("/", HTTP_ACCEPT_LANGUAGE="de")
    get("/ru")  # the slash is added by a redirect
    for lang in ("ru", "en", "fr"):
        get(f"/{lang}/")
        get(f"/{lang}/request/")
        get(f"/{lang}/follow-up/")
    get("/p.css")
    get("/en/no-such-page/")
    get("/no-such-page/")
    _thread, phrase = submit_through_form(client)
    receipt = post("request (receipt page)", "/ru/request/", request_data(language="ru"))
    get(urlsplit(receipt.request["PATH_INFO"]).path, "GET receipt page again (expired)")
    post("request with errors", "/en/request/", request_data(story="", urgency=""))
    post("honeypot", "/en/request/", request_data(website="http://spam.example/"))
    post("request, bad file", "/en/request/", {"story": "x", "urgency": "2", "language": "en",
                                               "files": [upload("a.txt", b"plain text")]})
    conversation = post("follow-up, right receipt", "/en/follow-up/", {"receipt": phrase})
    here = conversation.request["PATH_INFO"]
    post("message sent", here, {"body": "Спасибо"})
    post("message refused", here, {"body": ""})
    post("message, bad file", here, {"body": "x", "files": [upload("a.txt", b"plain text")]})
    post("follow-up, wrong receipt", "/en/follow-up/", {"receipt": "not my receipt at all"})
    post("follow-up, empty", "/en/follow-up/", {})
    with override_settings(INTAKE_MAX_BODY_BYTES=100):
        post("request, too large", "/en/request/", request_data())
        post("follow-up, too large", "/en/follow-up/", {"receipt": phrase + " " + "x" * 200})
        post("message, too large", here, {"body": "x" * 200})
    with override_settings(INTAKE_SUBMISSIONS_PER_HOUR=0):
        post("request, throttled", "/en/request/", request_data())
    with override_settings(INTAKE_RECEIPT_FAILURES_PER_HOUR=0):
        post("follow-up, throttled", "/en/follow-up/", {"receipt": phrase})
    post("close", here + "close/", {})
    get(here, "GET conversation after close")
    post("message after close", here, {"body": "late"})
    make_org("Second Org For Headers", "headerssecondcoord")  # which organisation? none: closed
    post("request, service closed", "/en/request/", request_data())
    return seen


def html_pages(responses):
    return [(label, r) for label, r in responses if r["Content-Type"].startswith("text/html") and r.content]


@pytest.fixture
def responses(org):
    return collect_public_responses(public_client())


def test_the_public_responses_cover_pages_redirects_errors_and_every_post_outcome(responses):
    statuses = {r.status_code for _label, r in responses}
    assert {200, 301, 302, 303, 404, 410, 413, 503} <= statuses
    receipt_pages = [label for label, r in responses if b'class="receipt"' in r.content]
    assert receipt_pages == ["GET after POST request (receipt page)", "GET after POST honeypot"]


def test_every_public_post_is_answered_by_a_bare_303_and_nothing_else(responses):
    posts = [(label, r.status_code, r.content) for label, r in responses if label.startswith("POST ")]
    assert len(posts) == 18
    assert [(label, status, body) for label, status, body in posts if (status, body) != (303, b"")] == []


def test_every_public_response_forbids_caching_framing_and_referrers_and_allows_no_script(responses):
    wrong = []
    for label, r in responses:
        csp = {part.strip().split(" ", 1)[0]: part.strip() for part in r.get("Content-Security-Policy", "").split(";")}
        problems = [
            r.get("Cache-Control") != "no-store" and f"Cache-Control {r.get('Cache-Control')!r}",
            r.get("Referrer-Policy") != "no-referrer" and f"Referrer-Policy {r.get('Referrer-Policy')!r}",
            csp.get("frame-ancestors") != "frame-ancestors 'none'" and "framing allowed",
            csp.get("default-src") != "default-src 'none'" and "default-src not 'none'",
            "script-src" in csp and "a script-src directive",
            "'unsafe-inline'" in r.get("Content-Security-Policy", "") and "unsafe-inline",
        ]
        wrong += [f"{label}: {p}" for p in problems if p]
    assert wrong == []


def test_no_public_response_sets_a_cookie(responses):
    setting = [label for label, r in responses if r.cookies or "Set-Cookie" in r.headers]
    assert setting == []


def test_the_browser_holds_no_cookie_after_using_the_whole_public_site(org):
    client = public_client()
    collect_public_responses(client)
    assert dict(client.cookies) == {}


def test_a_staff_members_session_cookie_is_not_refreshed_by_the_public_site(team):
    client = sign_in(team["coordinator"])
    assert settings.SESSION_COOKIE_NAME in client.cookies
    for path in ("/en/", "/en/request/", "/en/follow-up/", "/p.css", "/en/no-such-page/"):
        response = client.get(path)
        assert not response.cookies, path
    response = post_request(client)
    assert response.status_code == 200 and not response.cookies and not response.posted.cookies
    assert client.cookies[settings.SESSION_COOKIE_NAME].value  # the staff session is still there, untouched


def test_no_public_page_contains_a_script_an_event_handler_or_an_inline_style_the_csp_would_block(responses):
    found = []
    for label, r in html_pages(responses):
        for tag, attrs in parse(r).tags:
            if tag in ("script", "style", "iframe", "object", "embed"):
                found.append(f"{label}: <{tag}>")
            found += [f"{label}: <{tag} {name}=...>" for name in attrs if name.startswith("on") or name == "style"]
    assert found == []


def test_every_url_in_a_public_page_is_relative_except_the_quick_exit_link(responses):
    outside = []
    for label, r in html_pages(responses):
        exits = 0
        for tag, attrs in parse(r).tags:
            for name, value in attrs.items():
                if name not in URL_ATTRIBUTES:
                    continue
                if tag == "a" and "exit" in attrs.get("class", "").split():
                    exits += 1
                    assert value == settings.QUICK_EXIT_URL and "noreferrer" in attrs.get("rel", "")
                    continue
                parts = urlsplit(value.strip())
                if parts.netloc or parts.scheme not in ("", "data") or value.strip().startswith("//"):
                    outside.append(f"{label}: <{tag} {name}={value!r}>")
                if parts.scheme == "data" and not (tag == "link" and "icon" in attrs.get("rel", "")):
                    outside.append(f"{label}: data: URL in <{tag} {name}>")
        assert exits == 1, f"{label}: {exits} quick-exit links"
    assert outside == []


def test_the_public_stylesheet_loads_nothing_from_anywhere(org):
    css = public_client().get("/p.css").content.decode()
    assert ".trap" in css  # the real stylesheet, which hides the honeypot field
    assert "@import" not in css
    assert re.findall(r"url\(", css) == []


def test_every_form_field_on_the_public_site_has_autocomplete_off(responses):
    missing, fields = [], 0
    for label, r in html_pages(responses):
        for tag, attrs in parse(r).tags:
            if tag == "form" and attrs.get("autocomplete") != "off":
                missing.append(f"{label}: <form> without autocomplete=off")
            # HTML forbids autocomplete="off" on a hidden input (it is never shown or saved).
            if tag in ("input", "textarea", "select") and attrs.get("type") != "hidden":
                fields += 1
                if attrs.get("autocomplete") != "off":
                    missing.append(f"{label}: <{tag} name={attrs.get('name')!r} type={attrs.get('type')!r}>")
    assert fields > 20  # the request form (in three languages), receipt and message forms were seen
    assert missing == []


def test_every_public_page_has_the_same_neutral_title_in_its_language(responses):
    titles = {}
    for label, r in html_pages(responses):
        lang = r.get("Content-Language", "en")
        found = parse(r).titles
        assert len(found) == 1, label
        titles.setdefault(lang, set()).add(found[0].strip())
    assert set(titles) == {"en", "fr", "ru"}
    for lang, seen in titles.items():
        with translation.override(lang):
            assert seen == {translation.gettext("Information")}, (lang, seen)


@pytest.mark.parametrize(("accept", "target"), [
    ("ru", "/ru/"), ("ru-RU,ru;q=0.9,en;q=0.5", "/ru/"), ("fr-FR,fr;q=0.8", "/fr/"), ("fr-CA", "/fr/"),
    ("en-GB", "/en/"), ("de-DE,de;q=0.9", "/en/"), ("", "/en/"),
])
def test_the_root_redirects_by_accept_language_without_a_cookie(org, accept, target):
    client = public_client()
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302 and response["Location"] == target
    assert not response.cookies and dict(client.cookies) == {}


def test_the_language_links_lead_to_the_same_page_under_the_other_prefixes_without_a_cookie(org):
    client = public_client()
    page = client.get("/en/request/", HTTP_ACCEPT_LANGUAGE="ru")
    assert 'lang="en"' in page.content.decode()[:200]  # the prefix wins over the browser's language
    links = {a["hreflang"]: a["href"] for tag, a in parse(page).tags if tag == "a" and "hreflang" in a}
    assert links == {"ru": "/ru/request/", "fr": "/fr/request/"}
    for lang, href in links.items():
        response = client.get(href)
        assert response.status_code == 200 and response["Content-Language"] == lang
        assert f'<html lang="{lang}">' in response.content.decode()
        # The form answers in the language of the page unless the applicant chooses another.
        assert f'<option value="{lang}" selected>' in response.content.decode()
    assert dict(client.cookies) == {}


def test_the_public_404_page_has_the_public_look_and_no_staff_link(org):
    response = public_client().get("/en/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'href="/p.css"' in body and "/staff/" not in body and "/static/" not in body


def test_a_server_error_and_a_bad_request_on_the_public_site_keep_the_headers_and_set_no_cookie(org, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    client = public_client()
    client.raise_request_exception = False
    # (A POST Django refuses to parse is not a 400: it is refused by redirect, test_intake_attachments.py.)
    bad = client.get("/en/request/", HTTP_HOST="not-this-site.example")
    monkeypatch.setattr(public_views, "render", broken)
    error = client.get("/en/")
    assert (bad.status_code, error.status_code) == (400, 500)
    for response in (bad, error):
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert not response.cookies and b"<script" not in response.content
    assert dict(client.cookies) == {}
