"""Encryption at submission: once a request is sent, nothing on the server alone can read it.

The thread key opens with exactly three things, none of them kept by the server: an intake-team
member's unlocked secret key, the organisation's recovery code, or the applicant's receipt. The
server's own material (database rows, files, SECRET_KEY, the receipt pepper) opens nothing."""

import hashlib

import pytest
from django.conf import settings
from django.core.cache import cache

from safepassage.accounts import roles
from safepassage.intake import threads
from safepassage.intake.models import Attachment, Message, Thread
from safepassage.lib import storage
from safepassage.vault import crypto, datakeys, fields, files, keyring, receipts, recovery
from safepassage.vault.errors import NoAccess, Tampered, VaultError, WrongPassword
from safepassage.vault.models import Grant

from .conftest import make_org, sign_in
from .test_intake_support import (
    CONTACT,
    REFERRER,
    STORY,
    follow_up,
    intake_files,
    pdf_bytes,
    post,
    post_request,
    public_client,
    receipt_on,
    submit_through_form,
    thread_key,
    upload,
)
from .test_seizure import encodings, what_a_thief_takes

FOLLOW_UP = "Вчера приходили снова, адрес: ул. Потайная 12 Kvx"
REPLY = "We can meet you at the Hidden Station Wqz"
PDF_SECRET = b"Passport-of-Ruslan-Qzv"
SECRETS = [STORY, CONTACT, REFERRER, FOLLOW_UP, REPLY, "Грозном", "Потайная", "Secret-story-Qzx",
           "999 123 45 67", "Тайный знакомый", "Hidden Station Wqz", PDF_SECRET.decode(), "ruslan-passport.pdf"]


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def _leaks(seized: dict[str, bytes], secrets) -> list[str]:
    found = []
    for text in secrets:
        for name, needle in encodings(text).items():
            found += [f"{text!r} as {name} in {where}" for where, data in seized.items() if needle in data]
    return found


@pytest.mark.django_db(transaction=True)
def test_a_seized_database_and_media_hold_nothing_the_applicant_or_staff_typed():
    org = make_org("Intake Seizure Org", "intakeseizurecoord")
    hotline = org.add("intakeseizurehotline", roles.HOTLINE)
    client = public_client()
    pdf = pdf_bytes().replace(b"%%EOF", b"(" + PDF_SECRET + b")\n%%EOF")
    response = post(client, "/ru/request/", {
        "story": STORY, "urgency": "1", "region": "RU-CE", "contact": CONTACT, "referrer": REFERRER,
        "language": "ru", "files": [upload("ruslan-passport.pdf", pdf, "application/pdf")]})
    phrase = receipt_on(response)
    assert STORY not in response.content.decode()  # the receipt page does not echo the request
    assert FOLLOW_UP in follow_up(client, phrase, lang="ru", body=FOLLOW_UP).content.decode()
    thread = Thread.objects.get()
    staff = sign_in(hotline)
    assert staff.post(f"/staff/intake/{thread.pk}/", {"body": REPLY}).status_code == 302
    page = staff.get(f"/staff/intake/{thread.pk}/").content.decode()
    assert STORY in page and FOLLOW_UP in page and REPLY in page  # the data is there, sealed
    assert len(intake_files()) == 2  # original and working copy of the PDF

    seized = what_a_thief_takes()
    everything = b"".join(seized.values())
    assert str(thread.pk).encode() in everything or thread.pk.hex.encode() in everything
    assert thread.receipt_lookup.encode() in everything
    assert any("intake" in where for where in seized)  # the media files were taken too
    assert _leaks(seized, SECRETS + [phrase, receipts.normalise(phrase)]) == []


@pytest.mark.django_db(transaction=True)
def test_the_detector_finds_a_request_stored_in_the_clear():
    """The check above can fail: a story planted in the clear is found in what a thief takes."""
    make_org("Intake Detector Org", "intakedetectorcoord")
    thread, _phrase = submit_through_form()
    Thread.objects.filter(pk=thread.pk).update(story_sealed=STORY.encode())
    assert any(line.startswith(f"{STORY!r} as utf-8") for line in _leaks(what_a_thief_takes(), [STORY]))


@pytest.fixture
def request_with_file(org):
    hotline = org.add("hotline", roles.HOTLINE)
    client = public_client()
    response = post(client, "/en/request/", {
        "story": STORY, "urgency": "2", "contact": CONTACT, "referrer": REFERRER, "language": "ru",
        "files": [upload("scan.pdf", pdf_bytes(), "application/pdf")]})
    phrase = receipt_on(response)
    follow_up(client, phrase, body=FOLLOW_UP)
    return org, hotline, Thread.objects.get(), phrase


def _reads(key: bytes, thread: Thread) -> bool:
    return (fields.open_text(key, thread, "story") == STORY and fields.open_text(key, thread, "contact") == CONTACT
            and fields.open_text(key, thread, "referrer") == REFERRER
            and fields.open_text(key, thread.messages.get(), "body") == FOLLOW_UP)


def test_the_thread_key_opens_with_an_intake_members_secret_the_recovery_code_or_the_receipt(request_with_file):
    org, hotline, thread, phrase = request_with_file
    by_coordinator = thread_key(org.coordinator, thread)
    by_hotline = thread_key(hotline, thread)
    recovery_secret = recovery.secret_from_code(org.recovery_code, bytes(org.org.recovery_public_key))
    by_recovery = datakeys.open_with_recovery(thread.data_key, recovery_secret)
    found, by_receipt = threads.find_by_receipt(phrase)
    assert found == thread
    assert by_coordinator == by_hotline == by_recovery == by_receipt
    assert _reads(by_receipt, thread)
    att = Attachment.objects.get()
    assert files.open(by_recovery, f"{att.id}:orig", storage.read("intake", att.id, "orig")) == pdf_bytes()


def test_the_thread_is_sealed_to_the_intake_team_and_the_recovery_key_only(request_with_file, team):
    org, hotline, thread, _phrase = request_with_file
    holders = set(Grant.objects.filter(data_key=thread.data_key).values_list("user__username", flat=True))
    assert holders == {org.coordinator.user.username, hotline.user.username, None}
    # Staff added after the request (the team fixture) hold nothing.
    assert team["coordinator2"].user.username not in holders


def _server_material(thread, user) -> tuple[list[str], list[bytes]]:
    """Everything about this thread the server holds at rest, as strings and as 32-byte keys."""
    pepper_salt = receipts._pepper_salt()
    lookup = bytes.fromhex(thread.receipt_lookup)
    texts = ["", settings.SECRET_KEY, settings.RECEIPT_PEPPER, thread.receipt_lookup, str(thread.pk),
             user.password, user.username, bytes(thread.receipt_salt).hex(), pepper_salt.hex(),
             bytes(user.keyring.public_key).hex()]
    keys = [lookup, hashlib.sha256(settings.SECRET_KEY.encode()).digest(),
            hashlib.sha256(settings.RECEIPT_PEPPER.encode()).digest(), (pepper_salt * 2)[:32],
            (bytes(thread.receipt_salt) * 2)[:32], bytes(user.keyring.public_key), bytes(32),
            hashlib.sha256(user.password.encode()).digest(), bytes(user.keyring.sealed_secret)[-32:]]
    assert all(len(k) == 32 for k in keys)
    return texts, keys


def test_nothing_the_server_holds_at_rest_opens_the_thread(request_with_file):
    org, hotline, thread, phrase = request_with_file
    texts, keys = _server_material(thread, hotline.user)
    wrapped, salt = bytes(thread.receipt_wrapped_key), bytes(thread.receipt_salt)
    message = thread.messages.get()
    grants = list(Grant.objects.filter(data_key=thread.data_key))
    for text in texts:
        assert threads.find_by_receipt(text) is None, text
        with pytest.raises(WrongPassword):
            receipts.unwrap_with_receipt(text, salt, wrapped)
        with pytest.raises(WrongPassword):
            keyring.unlock(hotline.user.keyring, text)
        with pytest.raises((WrongPassword, VaultError)):
            recovery.secret_from_code(text, bytes(org.org.recovery_public_key))
    for key in keys:
        with pytest.raises(Tampered):
            crypto.unwrap(key, wrapped)  # the lookup id is not the key that unwraps the receipt copy
        for grant in grants:
            with pytest.raises((Tampered, VaultError)):
                crypto.open_sealed(key, bytes(grant.sealed_key))
        for record, name in ((thread, "story"), (thread, "contact"), (message, "body")):
            with pytest.raises(Tampered):
                fields.open_text(key, record, name)
    # The control: the real receipt and the real password do open it.
    assert threads.find_by_receipt(phrase)[0] == thread
    assert keyring.unlock(hotline.user.keyring, hotline.password)


def test_the_thread_key_itself_is_nowhere_in_the_database(request_with_file):
    org, _hotline, thread, _phrase = request_with_file
    key = thread_key(org.coordinator, thread)
    rows = [Thread.objects.values_list(flat=False).get(pk=thread.pk), *Message.objects.values_list(),
            *Attachment.objects.values_list(), *Grant.objects.values_list()]
    blobs = b"".join(bytes(v) if isinstance(v, memoryview | bytes) else str(v).encode() for row in rows for v in row)
    assert bytes(thread.receipt_wrapped_key) in blobs  # the control: these are the stored values
    assert key not in blobs and key.hex().encode() not in blobs


def test_staff_outside_the_intake_team_hold_no_key_and_get_404(request_with_file, team):
    org, hotline, thread, _phrase = request_with_file
    dpo = org.add("dpo", roles.DPO)
    for staff in (team["caseworker"], team["admin"], dpo):
        client = sign_in(staff)
        assert client.get(f"/staff/intake/{thread.pk}/").status_code == 404
        assert client.get(f"/staff/intake/{thread.pk}/files/{Attachment.objects.get().pk}/").status_code == 404
        assert client.get("/staff/intake/").status_code == 403
        with pytest.raises(NoAccess):
            thread_key(staff, thread)
    for staff in (org.coordinator, hotline):
        page = sign_in(staff).get(f"/staff/intake/{thread.pk}/")
        assert page.status_code == 200 and STORY in page.content.decode()


def test_an_intake_member_of_another_organisation_gets_404(request_with_file, settings):
    org, _hotline, thread, _phrase = request_with_file
    settings.PUBLIC_ORGANISATION = str(org.org.pk)
    other = make_org("Other Org", "othercoord")
    client = sign_in(other.coordinator)
    assert client.get("/staff/intake/").status_code == 200
    assert str(thread.pk) not in client.get("/staff/intake/").content.decode()
    assert client.get(f"/staff/intake/{thread.pk}/").status_code == 404
    # The public site still serves the organisation it was set up for.
    assert post_request(public_client()).status_code == 200
    assert Thread.objects.filter(organisation=other.org).count() == 0
