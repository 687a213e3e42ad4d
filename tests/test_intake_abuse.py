"""Abuse of the public form: robots that fill the hidden field get a receipt that opens nothing and
save nothing (through the same redirect as a person); a flood of submissions is throttled site-wide;
malformed forms save nothing; and the staff queue stays usable (paginated) however many requests
arrive."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from safepassage.intake import phrases, threads
from safepassage.intake.models import Thread

from .conftest import make_org, sign_in
from .test_intake_support import (
    RECEIPT_LIST,
    STORY,
    TOKEN,
    follow_up,
    nothing_saved,
    post_request,
    public_client,
    receipt_on,
    submit_through_form,
)

pytestmark = pytest.mark.django_db

BUSY = "We are receiving too many requests right now."


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def test_a_filled_honeypot_gets_a_receipt_page_but_nothing_is_saved(org):
    response = post_request(public_client(), website="http://cheap-pills.example/")
    phrase = receipt_on(response)
    assert len(phrase.split()) == 7
    assert nothing_saved() == []
    assert not Thread.objects.exists()
    assert "Our team" not in follow_up(public_client(), phrase).content.decode()
    assert "We could not open a conversation" in follow_up(public_client(), phrase).content.decode()


@pytest.mark.parametrize(("page", "chosen"), [("en", "ru"), ("ru", "fr")])
def test_the_honeypot_receipt_cannot_be_told_apart_from_a_real_one(org, page, chosen):
    real = post_request(public_client(), page, language=chosen)
    trap = post_request(public_client(), page, language=chosen, website="x")
    assert real.status_code == trap.status_code == 200
    # The same redirect, to the same kind of address (a fresh token each time).
    sent = re.compile(rf"/{page}/request/sent/{TOKEN}/")
    assert sent.fullmatch(real.posted["Location"]) and sent.fullmatch(trap.posted["Location"])
    real_phrase, trap_phrase = receipt_on(real), receipt_on(trap)
    # The words come from the same list (the chosen language), and the pages are otherwise identical.
    assert set(trap_phrase.split()) <= set(phrases.wordlist(chosen))
    assert len(trap_phrase.split()) == len(real_phrase.split())
    assert RECEIPT_LIST.sub("", real.content.decode()) == RECEIPT_LIST.sub("", trap.content.decode())
    assert Thread.objects.count() == 1


@override_settings(INTAKE_SUBMISSIONS_PER_HOUR=2)
def test_submissions_over_the_hourly_limit_get_503_and_nothing_is_saved(org):
    submit_through_form()
    submit_through_form()
    for client in (public_client(), public_client()):  # the limit is site-wide, not per visitor
        response = post_request(client, story="Третий запрос Qzx")
        assert response.status_code == 503 and response.posted["Location"] == "/en/request/?problem=busy"
        body = response.content.decode()
        assert BUSY in body and 'class="receipt"' not in body and "Третий запрос" not in body
    assert Thread.objects.count() == 2
    cache.clear()  # an hour later
    submit_through_form()
    assert Thread.objects.count() == 3


@override_settings(INTAKE_SUBMISSIONS_PER_HOUR=1)
def test_refused_forms_do_not_use_up_the_hourly_limit(org):
    for _ in range(3):
        assert 'class="receipt"' not in post_request(public_client(), story="").content.decode()
    submit_through_form()
    assert post_request(public_client()).status_code == 503


@pytest.mark.parametrize("overrides", [
    {"story": ""},
    {"story": "   \n  "},
    {"urgency": ""},
    {"urgency": "9"},
    {"region": "Nowhere"},
    {"language": "de"},
    {"story": "x" * 20001},
    {"contact": "c" * 501},
], ids=["no-story", "blank-story", "no-urgency", "bad-urgency", "bad-region", "bad-language", "story-too-long",
        "contact-too-long"])
def test_a_malformed_request_is_shown_again_with_an_error_and_nothing_is_saved(org, overrides):
    response = post_request(public_client(), **overrides)
    body = response.content.decode()
    assert response.status_code == 200 and re.fullmatch(rf"/en/request/\?draft={TOKEN}", response.url)
    assert 'class="receipt"' not in body and ('class="error"' in body or 'class="alert"' in body)
    assert nothing_saved() == []


def test_what_the_applicant_typed_is_kept_in_the_form_when_it_is_shown_again(org):
    body = post_request(public_client(), urgency="").content.decode()
    assert STORY in body and "Please choose how urgent it is." in body


def test_the_honeypot_is_not_kept_in_a_refused_form(org):
    body = post_request(public_client(), urgency="", website="http://spam-Qzx.example/").content.decode()
    assert STORY in body and "spam-Qzx" not in body


def test_the_public_form_is_closed_when_it_cannot_tell_which_organisation_it_serves(org):
    make_org("Second Org", "secondcoord")
    response = post_request(public_client())
    assert response.status_code == 503 and "This service is not open yet." in response.content.decode()
    assert response.posted["Location"] == "/en/request/?problem=closed"
    assert not Thread.objects.exists()


def test_the_queue_is_paginated(org):
    for i in range(60):
        threads.submit(org.org, threads.Request(story=f"Request {i}", urgency=1 + i % 3, region="", contact="",
                                                referrer="", language="en"))
    client = sign_in(org.coordinator)
    link = re.compile(r'href="/staff/intake/([0-9a-f-]{36})/"')
    first = client.get("/staff/intake/").content.decode()
    second = client.get("/staff/intake/?page=2").content.decode()
    on_first, on_second = set(link.findall(first)), set(link.findall(second))
    assert len(on_first) == 50 and len(on_second) == 10
    assert not on_first & on_second
    assert on_first | on_second == {str(pk) for pk in Thread.objects.values_list("pk", flat=True)}
    assert 'href="?page=2"' in first and 'href="?page=1"' in second
    assert "Request 1" not in first  # the queue shows no request text, only plain queue fields
