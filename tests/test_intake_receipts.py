"""Receipts: a phrase of seven words in the applicant's language, shown once and never stored, that
opens the conversation again however a frightened person types it; wrong and unknown receipts get
one uniform answer (the same redirect, the same page), and guessing is throttled for the whole site."""

import unicodedata

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from safepassage.intake import phrases, threads
from safepassage.intake.models import Thread
from safepassage.vault import receipts

from .test_intake_support import (
    CONVERSATION,
    STORY,
    follow_up,
    open_conversation,
    post_request,
    public_client,
    receipt_on,
    submit_through_form,
)

pytestmark = pytest.mark.django_db

OPENED = "Your conversation"
REFUSED = "We could not open a conversation with these words."


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def database_text() -> str:
    """Every value of every table, as text (bytes as UTF-8 with replacement, and as hex)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        parts += [bytes(value).decode("utf-8", "replace"), bytes(value).hex()]
                    else:
                        parts.append(str(value))
    return "\n".join(parts)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@pytest.mark.parametrize("lang", ["en", "fr", "ru"])
def test_a_receipt_is_seven_words_from_the_word_list_of_the_language_the_applicant_chose(org, lang):
    # Asked from the English page: the receipt follows the chosen language, not the page's.
    _thread, phrase = submit_through_form(lang="en", language=lang)
    words = phrase.split(" ")
    assert len(words) == 7
    assert set(words) <= set(phrases.wordlist(lang))


@pytest.mark.parametrize(("page", "chosen"), [("en", "ru"), ("ru", "fr"), ("fr", "en")])
def test_the_receipt_is_marked_with_the_language_of_its_words_for_screen_readers(org, page, chosen):
    response = post_request(public_client(), page, language=chosen)
    phrase = receipt_on(response)
    assert set(phrase.split()) <= set(phrases.wordlist(chosen))
    assert f'<ol class="receipt" lang="{chosen}">' in response.content.decode()
    assert f'<html lang="{page}">' in response.content.decode()


@pytest.mark.parametrize("lang", ["en", "fr", "ru"])
def test_each_word_list_gives_at_least_70_bits_and_no_two_words_collapse_when_normalised(lang):
    words = phrases.wordlist(lang)
    assert phrases.bits(lang) >= 70
    # bits() counts words; it is honest only if the forgiving normalisation keeps them apart.
    assert len({receipts.normalise(w) for w in words}) == len(words) >= 2000
    assert not {receipts.normalise(w) for w in words} & phrases.AVOID[lang]


def test_two_receipts_differ(org):
    first = submit_through_form()[1]
    second = submit_through_form()[1]
    assert first != second


def test_the_receipt_is_not_stored_in_the_database(org):
    thread, phrase = submit_through_form(language="ru")
    text = database_text()
    assert str(thread.pk) in text or thread.pk.hex in text  # the dump really holds the new rows
    assert thread.receipt_lookup in text
    for form in {phrase, receipts.normalise(phrase), phrase.casefold(), phrase.encode().hex()}:
        assert form not in text
    # Not even one word in the clear next to another: no part of the phrase is kept.
    words = phrase.split()
    assert " ".join(words[:2]) not in text and " ".join(words[-2:]) not in text


def test_the_receipt_opens_the_conversation_again(org):
    _thread, phrase = submit_through_form()
    response = follow_up(public_client(), phrase)
    body = response.content.decode()
    assert response.status_code == 200 and OPENED in body and STORY in body
    # Under a token of its own: the words are forgotten once checked, and are not on the page.
    assert CONVERSATION.match(response.url)
    assert phrase not in body and phrase not in response.url


def test_a_receipt_in_the_address_bar_opens_nothing_so_it_never_lands_in_the_browser_history(org):
    _thread, phrase = submit_through_form()
    client = public_client()
    page = client.get("/en/follow-up/", {"receipt": phrase}).content.decode()
    assert STORY not in page and OPENED not in page
    assert '<form method="post"' in page
    # Nor as the token of a conversation.
    as_token = client.get(f"/en/follow-up/{phrase.replace(' ', '-')}/")
    assert as_token.status_code == 303 and as_token["Location"] == "/en/follow-up/?problem=expired"


@pytest.mark.parametrize("retype", [
    pytest.param(str.upper, id="capitals"),
    pytest.param(lambda p: "  " + p.replace(" ", "   \t ") + " \n", id="extra-spaces"),
    pytest.param(lambda p: p.replace(" ", "-"), id="hyphens"),
    pytest.param(lambda p: p.title(), id="title-case"),
])
def test_the_receipt_is_found_however_its_letters_and_spaces_are_typed(org, retype):
    _thread, phrase = submit_through_form(language="ru")
    response = follow_up(public_client(), retype(phrase))
    assert OPENED in response.content.decode()


def test_a_russian_receipt_is_found_with_yo_typed_for_ye(org, monkeypatch):
    words = [w for w in phrases.wordlist("ru") if "е" in w][:7]
    monkeypatch.setattr(phrases, "new_phrase", lambda language: " ".join(words))
    _thread, phrase = submit_through_form(language="ru")
    assert phrase == " ".join(words)
    typed = phrase.replace("е", "ё").upper()
    assert typed != phrase
    assert OPENED in follow_up(public_client(), typed).content.decode()


def test_a_french_receipt_is_found_with_its_accents_left_out(org, monkeypatch):
    words = [w for w in phrases.wordlist("fr") if _strip_accents(w) != w][:7]
    assert len(words) == 7
    monkeypatch.setattr(phrases, "new_phrase", lambda language: " ".join(words))
    _thread, phrase = submit_through_form(lang="fr", language="fr")
    typed = _strip_accents(phrase)
    assert typed != phrase
    assert follow_up(public_client(), typed, lang="fr").status_code == 200
    assert STORY in follow_up(public_client(), typed, lang="fr").content.decode()
    # Decomposed accents (as some keyboards send them) work too.
    assert STORY in follow_up(public_client(), unicodedata.normalize("NFD", phrase), lang="fr").content.decode()


def test_a_wrong_receipt_an_unknown_receipt_and_one_whose_key_does_not_open_get_the_same_answer(org):
    thread, phrase = submit_through_form()
    other, other_phrase = submit_through_form()
    words = phrase.split()
    replacement = next(w for w in phrases.wordlist("en") if w not in words)
    wrong = " ".join(words[:-1] + [replacement])
    unknown = " ".join(phrases.wordlist("en")[:7])
    # A thread found by its lookup id whose wrapped key does not open (another thread's salt).
    Thread.objects.filter(pk=other.pk).update(receipt_salt=thread.receipt_salt)
    answers = [follow_up(public_client(), attempt) for attempt in (wrong, unknown, other_phrase, "", "   ")]
    assert {a.status_code for a in answers} == {200}
    # One redirect for all (nothing in it tells them apart), then one page.
    assert {a.posted["Location"] for a in answers} == {"/en/follow-up/?failed=1"}
    bodies = {a.content for a in answers}
    assert len(bodies) == 1
    body = bodies.pop().decode()
    assert REFUSED in body and OPENED not in body
    for attempt in (wrong, unknown, other_phrase):
        assert attempt not in body  # the typed words are not echoed back into the page
    assert 'name="receipt" value' not in body  # the field comes back empty


def test_an_unknown_receipt_costs_the_same_two_derivations_as_a_known_one(org, monkeypatch):
    _thread, phrase = submit_through_form()
    calls = []
    real = receipts._derive
    monkeypatch.setattr(receipts, "_derive", lambda p, salt: calls.append(salt) or real(p, salt))
    assert threads.find_by_receipt(phrase) is not None
    known = len(calls)
    calls.clear()
    assert threads.find_by_receipt(" ".join(phrases.wordlist("en")[:7])) is None
    assert known == len(calls) == 2


@override_settings(INTAKE_RECEIPT_FAILURES_PER_HOUR=3)
def test_after_too_many_failures_even_the_right_receipt_gets_try_again_later(org):
    _thread, phrase = submit_through_form()
    client = public_client()
    for _ in range(3):
        response = follow_up(client, "wrong words typed here")
        assert response.status_code == 200 and REFUSED in response.content.decode()
    blocked = follow_up(client, phrase)
    assert blocked.status_code == 503 and blocked.posted["Location"] == "/en/follow-up/?problem=attempts"
    body = blocked.content.decode()
    assert "try again" in body.lower() and STORY not in body and OPENED not in body
    # The limit is for the whole site, not one visitor: a fresh browser is blocked too.
    assert follow_up(public_client(), phrase).status_code == 503
    cache.clear()  # an hour later
    assert STORY in follow_up(client, phrase).content.decode()


@override_settings(INTAKE_RECEIPT_FAILURES_PER_HOUR=2)
def test_right_receipts_and_empty_forms_do_not_count_as_failures(org):
    _thread, phrase = submit_through_form()
    client = public_client()
    for _ in range(4):
        assert STORY in follow_up(client, phrase).content.decode()
        assert REFUSED in open_conversation(client, "").content.decode()
    assert follow_up(client, "wrong words").status_code == 200
    assert STORY in follow_up(client, phrase).content.decode()
