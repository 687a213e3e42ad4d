"""The intake queue on the staff side and the conversation it carries with the applicant.

New requests reach coordinators and hotline operators; reading is audited; replies reach the
applicant as "Our team"; a coordinator accepts a request as a case (the thread moves into the case
and only its members keep it) or declines it (the applicant can no longer write); erasing the case
makes the receipt open nothing."""

import pytest
from django.core.cache import cache

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Case
from safepassage.intake.models import Message, Thread
from safepassage.vault.models import Grant

from .conftest import sign_in
from .test_intake_support import STORY, follow_up, open_conversation, public_client, send_message, submit_through_form

pytestmark = pytest.mark.django_db

REPLY = "We read your message. Can you reach a city by Friday?"
ANSWER = "Да, смогу к пятнице."
CLOSED = "This conversation is closed."
REFUSED = "We could not open a conversation with these words."


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def intake(team, org):
    """The team, a hotline operator named Natasha, and one request sent through the public form
    (so it is sealed to both coordinators and the operator)."""
    hotline = org.add("natasha", roles.HOTLINE)
    thread, phrase = submit_through_form()
    return {**team, "hotline": hotline, "thread": thread, "receipt": phrase}


def thread_url(thread, suffix="") -> str:
    return f"/staff/intake/{thread.pk}/{suffix}"


def convert(staff, thread, pseudonym="Ruslan K."):
    client = sign_in(staff)
    response = client.post(thread_url(thread, "convert/"), {"pseudonym": pseudonym})
    assert response.status_code == 302, response.content[:800]
    case = Case.objects.get(thread=thread)
    assert response["Location"] == f"/staff/cases/{case.pk}/"
    return client, case


def test_a_new_request_is_in_the_queue_of_coordinators_and_hotline_operators(intake):
    for name in ("coordinator", "coordinator2", "hotline"):
        response = sign_in(intake[name]).get("/staff/intake/")
        assert response.status_code == 200
        assert thread_url(intake["thread"]) in response.content.decode(), name


@pytest.mark.parametrize("name", ["caseworker", "outsider", "admin"])
def test_staff_without_an_intake_role_are_refused_the_queue_and_cannot_open_a_request(intake, name):
    client = sign_in(intake[name])
    assert client.get("/staff/intake/").status_code == 403
    assert client.get(thread_url(intake["thread"])).status_code == 404
    assert client.post(thread_url(intake["thread"]), {"body": "hello"}).status_code == 404
    assert Message.objects.count() == 0


def test_opening_a_request_is_audited_and_marks_it_in_progress(intake):
    thread, hotline = intake["thread"], intake["hotline"]
    assert not AuditEvent.objects.filter(action="intake.read").exists()
    page = sign_in(hotline).get(thread_url(thread))
    assert page.status_code == 200 and STORY in page.content.decode()
    event = AuditEvent.objects.get(action="intake.read")
    assert event.actor == str(hotline.user.uuid) and event.object_id == str(thread.pk)
    assert STORY not in str(event.details)
    thread.refresh_from_db()
    assert thread.status == "open"


def test_a_reply_reaches_the_applicant_as_our_team_and_no_staff_name_is_on_the_public_page(intake):
    thread, hotline = intake["thread"], intake["hotline"]
    staff = sign_in(hotline)
    response = staff.post(thread_url(thread), {"body": REPLY})
    assert response.status_code == 302
    assert Message.objects.get().author == hotline.user
    page = follow_up(public_client(), intake["receipt"]).content.decode()
    assert REPLY in page and "Our team" in page
    user = hotline.user
    for name in (user.username, user.get_username(), user.display_name, str(user.uuid), str(user),
                 intake["coordinator"].user.display_name, intake["coordinator"].user.username):
        assert name.lower() not in page.lower(), name
    # The staff side does name who wrote it.
    assert str(user) in staff.get(thread_url(thread)).content.decode()


def test_the_applicant_reads_replies_and_writes_back_and_the_team_sees_it(intake):
    thread = intake["thread"]
    staff = sign_in(intake["coordinator"])
    staff.post(thread_url(thread), {"body": REPLY})
    applicant = public_client()
    page = follow_up(applicant, intake["receipt"]).content.decode()
    assert "No answer yet" not in page and REPLY in page
    sent = follow_up(applicant, intake["receipt"], body=ANSWER).content.decode()
    assert "Your message was sent." in sent and ANSWER in sent and REPLY in sent
    assert [m.from_applicant for m in Message.objects.order_by("created_at")] == [False, True]
    thread.refresh_from_db()
    assert thread.awaiting_reply
    team_page = staff.get(thread_url(thread)).content.decode()
    assert ANSWER in team_page and "Applicant" in team_page
    assert "awaiting reply" in staff.get("/staff/intake/").content.decode()


def test_before_any_reply_the_applicant_is_told_to_come_back_later(intake):
    page = follow_up(public_client(), intake["receipt"]).content.decode()
    assert "No answer yet" in page and STORY in page


def test_an_empty_reply_or_message_is_refused_and_saves_nothing(intake):
    thread = intake["thread"]
    response = sign_in(intake["coordinator"]).post(thread_url(thread), {"body": "   "})
    assert response.status_code == 200
    page = follow_up(public_client(), intake["receipt"], body="  ")
    body = page.content.decode()
    assert "Write a message or add a file." in body and "Your message was sent." not in body
    assert "?draft=" in page.url
    assert Message.objects.count() == 0


def test_a_hotline_operator_can_reply_but_not_accept_or_decline(intake):
    thread = intake["thread"]
    client = sign_in(intake["hotline"])
    page = client.get(thread_url(thread)).content.decode()
    assert thread_url(thread, "convert/") not in page and thread_url(thread, "decline/") not in page
    for suffix, data in (("convert/", {"pseudonym": "X"}), ("decline/", {"confirm": "on"})):
        assert client.get(thread_url(thread, suffix)).status_code == 403
        assert client.post(thread_url(thread, suffix), data).status_code == 403
    thread.refresh_from_db()
    assert thread.status in ("new", "open") and not Case.objects.exists()


def test_accepting_a_request_makes_a_case_that_links_to_the_conversation(intake):
    thread = intake["thread"]
    client, case = convert(intake["coordinator"], thread)
    thread.refresh_from_db()
    assert thread.status == "converted" and thread.case == case
    assert thread_url(thread) in client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="intake.converted", object_id=str(thread.pk)).exists()
    # It has left the queue, and the converter still reads and answers it.
    assert thread_url(thread) not in client.get("/staff/intake/").content.decode()
    assert STORY in client.get(thread_url(thread)).content.decode()
    assert client.post(thread_url(thread), {"body": REPLY}).status_code == 302
    # The applicant keeps the conversation.
    page = follow_up(public_client(), intake["receipt"], body=ANSWER).content.decode()
    assert REPLY in page and "Your message was sent." in page


def test_after_acceptance_the_rest_of_the_intake_team_loses_the_thread(intake):
    thread = intake["thread"]
    convert(intake["coordinator"], thread)
    for name in ("coordinator2", "hotline"):
        client = sign_in(intake[name])
        assert client.get(thread_url(thread)).status_code == 404, name
        assert client.post(thread_url(thread), {"body": "still here?"}).status_code == 404
        assert thread_url(thread) not in client.get("/staff/intake/").content.decode()
    holders = set(Grant.objects.filter(data_key=thread.data_key).values_list("user", flat=True))
    assert holders == {intake["coordinator"].user.pk, None}  # the converter and the recovery key


def test_a_member_added_to_the_case_gets_the_thread_and_loses_it_when_removed(intake):
    thread, worker = intake["thread"], intake["caseworker"]
    coordinator, case = convert(intake["coordinator"], thread)
    worker_client = sign_in(worker)
    assert worker_client.get(thread_url(thread)).status_code == 404
    response = coordinator.post(f"/staff/cases/{case.pk}/members/", {"member": str(worker.user.uuid)})
    assert response.status_code == 302
    assert STORY in worker_client.get(thread_url(thread)).content.decode()
    assert worker_client.post(thread_url(thread), {"body": REPLY}).status_code == 302
    assert Message.objects.get().author == worker.user
    assert REPLY in follow_up(public_client(), intake["receipt"]).content.decode()
    response = coordinator.post(f"/staff/cases/{case.pk}/members/{worker.user.uuid}/remove/")
    assert response.status_code == 302
    assert worker_client.get(thread_url(thread)).status_code == 404
    assert not Grant.objects.filter(data_key=thread.data_key, user=worker.user).exists()


def test_declining_removes_the_request_from_the_queue_and_closes_the_conversation(intake):
    thread = intake["thread"]
    client = sign_in(intake["coordinator"])
    assert client.get(thread_url(thread, "decline/")).status_code == 200
    response = client.post(thread_url(thread, "decline/"), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/staff/intake/"
    thread.refresh_from_db()
    assert thread.status == "declined"
    assert AuditEvent.objects.filter(action="intake.declined", object_id=str(thread.pk)).exists()
    for name in ("coordinator", "coordinator2", "hotline"):
        assert thread_url(thread) not in sign_in(intake[name]).get("/staff/intake/").content.decode()
    applicant = public_client()
    page = open_conversation(applicant, intake["receipt"])
    body = page.content.decode()
    assert page.status_code == 200 and CLOSED in body and STORY in body
    assert 'name="body"' not in body  # no form to write with
    # A message posted to the open conversation anyway is refused.
    refused = send_message(applicant, page, body=ANSWER).content.decode()
    assert "Your message was sent." not in refused and CLOSED in refused
    assert Message.objects.count() == 0
    # Decided once: neither accept nor decline again.
    assert client.get(thread_url(thread, "convert/")).status_code == 403
    assert client.post(thread_url(thread, "decline/"), {"confirm": "on"}).status_code == 403


def test_declining_needs_the_confirmation_box(intake):
    thread = intake["thread"]
    response = sign_in(intake["coordinator"]).post(thread_url(thread, "decline/"), {})
    assert response.status_code == 200
    thread.refresh_from_db()
    assert thread.status == "new"


def test_an_accepted_request_cannot_be_accepted_again_or_declined(intake):
    thread = intake["thread"]
    client, _case = convert(intake["coordinator"], thread)
    assert client.post(thread_url(thread, "convert/"), {"pseudonym": "Again"}).status_code == 403
    assert client.post(thread_url(thread, "decline/"), {"confirm": "on"}).status_code == 403
    assert Case.objects.count() == 1


def test_erasing_the_converted_case_makes_the_receipt_open_nothing(intake):
    thread, first, second = intake["thread"], intake["coordinator"], intake["coordinator2"]
    client, case = convert(first, thread)
    assert STORY in follow_up(public_client(), intake["receipt"]).content.decode()
    client.post(f"/staff/cases/{case.pk}/members/", {"member": str(second.user.uuid)})
    client.post(f"/staff/cases/{case.pk}/erase/", {"confirm": "ERASE"})
    case.refresh_from_db()
    if case.erased_at is None:  # the two-person rule: a second coordinator approves the erasure
        approval = case.approvals.get(kind="erase", status="pending")
        sign_in(second).post(f"/staff/cases/{case.pk}/approvals/{approval.pk}/decide/", {"decision": "approve"})
        case.refresh_from_db()
    assert case.erased_at is not None
    page = follow_up(public_client(), intake["receipt"])
    assert page.status_code == 200 and REFUSED in page.content.decode() and STORY not in page.content.decode()
    thread.refresh_from_db()
    assert not Grant.objects.filter(data_key=thread.data_key).exists()
    assert bytes(thread.receipt_wrapped_key) == b"" and bytes(thread.story_sealed) == b""
    assert client.get(thread_url(thread)).status_code == 404


def test_the_queue_puts_the_most_urgent_first_then_the_longest_waiting(org):
    urgencies = ["3", "1", "2", "1"]
    threads = [submit_through_form(urgency=u)[0] for u in urgencies]
    page = sign_in(org.coordinator).get("/staff/intake/").content.decode()
    order = sorted(threads, key=lambda t: page.index(thread_url(t)))
    assert [t.pk for t in order] == [threads[1].pk, threads[3].pk, threads[2].pk, threads[0].pk]
    assert Thread.objects.count() == 4
