"""Encrypted notes and tasks on a case: members add them, notes list newest first and only their
author deletes them, tasks go only to members of the case and list open ones first with
overdue ones marked."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.cases import actions
from safepassage.cases.actions import work
from safepassage.cases.models import Note, Task

from .conftest import make_org, sign_in

pytestmark = pytest.mark.django_db


def new_case(owner, *members, pseudonym="Adam V."):
    case = actions.create_case(owner.user, pseudonym, "Summary", 1)
    for m in members:
        actions.add_member(owner.user, owner.secret, case, m.user)
    return case


def test_a_member_adds_a_note_that_is_sealed_and_listed_newest_first(team):
    case = new_case(team["coordinator"], team["caseworker"])
    worker = sign_in(team["caseworker"])
    assert worker.post(f"/staff/cases/{case.pk}/notes/", {"note-body": "Called his sister"}).status_code == 302
    assert worker.post(f"/staff/cases/{case.pk}/notes/", {"note-body": "Moved to flat B"}).status_code == 302
    first = Note.objects.filter(case=case).order_by("created_at").first()
    assert b"sister" not in bytes(first.body_sealed) and first.author == team["caseworker"].user
    page = worker.get(f"/staff/cases/{case.pk}/notes/").content.decode()
    assert page.index("Moved to flat B") < page.index("Called his sister")
    assert AuditEvent.objects.filter(action="notes.read", object_id=str(case.pk)).count() == 1
    assert "Called his sister" in worker.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "sister" not in json.dumps(list(AuditEvent.objects.values("details")))


def test_a_note_added_from_the_case_page_goes_back_to_it(team):
    case = new_case(team["coordinator"])
    response = sign_in(team["coordinator"]).post(f"/staff/cases/{case.pk}/notes/",
                                                 {"note-body": "Fine", "back": "case"})
    assert response["Location"] == f"/staff/cases/{case.pk}/#notes"


def test_an_empty_note_is_refused_and_nothing_is_saved(team):
    case = new_case(team["coordinator"])
    response = sign_in(team["coordinator"]).post(f"/staff/cases/{case.pk}/notes/", {"note-body": "   "})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not Note.objects.exists()


def test_only_the_author_deletes_a_note_and_only_after_confirming(team):
    coordinator, worker = team["coordinator"], team["caseworker"]
    case = new_case(coordinator, worker)
    note = work.add_note(worker.user, worker.secret, case, "Phone number changed")
    other = sign_in(coordinator)
    assert other.get(f"/staff/cases/{case.pk}/notes/{note.pk}/delete/").status_code == 403
    assert other.post(f"/staff/cases/{case.pk}/notes/{note.pk}/delete/").status_code == 403
    author = sign_in(worker)
    confirm = author.get(f"/staff/cases/{case.pk}/notes/{note.pk}/delete/")
    assert confirm.status_code == 200 and "Phone number changed" in confirm.content.decode()
    assert Note.objects.filter(pk=note.pk).exists()
    assert author.post(f"/staff/cases/{case.pk}/notes/{note.pk}/delete/").status_code == 302
    assert not Note.objects.filter(pk=note.pk).exists()
    assert AuditEvent.objects.filter(action="note.deleted", details__note=str(note.pk)).exists()


def test_a_task_can_only_go_to_a_member_of_the_case(team):
    case = new_case(team["coordinator"], team["caseworker"])
    client = sign_in(team["coordinator"])
    response = client.post(f"/staff/cases/{case.pk}/tasks/", {
        "task-title": "Buy a train ticket", "task-assignee": str(team["outsider"].user.uuid)})
    assert response.status_code == 200
    assert "A task can only go to a member of this case." in response.content.decode()
    assert not Task.objects.exists()
    with pytest.raises(Exception, match="member of this case"):
        work.add_task(team["coordinator"].user, team["coordinator"].secret, case, "x", None,
                      team["outsider"].user)
    assert not Task.objects.exists()
    response = client.post(f"/staff/cases/{case.pk}/tasks/", {
        "task-title": "Buy a train ticket", "task-assignee": str(team["caseworker"].user.uuid),
        "task-due_on": "2031-05-01"})
    assert response.status_code == 302
    task = Task.objects.get(case=case)
    assert task.assignee == team["caseworker"].user and str(task.due_on) == "2031-05-01"
    assert b"train" not in bytes(task.title_sealed)


def test_a_task_without_a_title_or_with_a_bad_date_is_refused(team):
    case = new_case(team["coordinator"])
    client = sign_in(team["coordinator"])
    response = client.post(f"/staff/cases/{case.pk}/tasks/", {"task-title": "", "task-due_on": "soon"})
    body = response.content.decode()
    assert response.status_code == 200 and "This field is required." in body and "Enter a valid date." in body
    assert not Task.objects.exists()


def test_tasks_list_open_ones_first_soonest_due_first_and_mark_overdue_ones(team):
    coordinator = team["coordinator"]
    case = new_case(coordinator)
    today = timezone.localdate()
    user, secret = coordinator.user, coordinator.secret
    done = work.add_task(user, secret, case, "Done already", today - timedelta(days=9))
    work.set_task_done(user, case, done, True)
    work.add_task(user, secret, case, "No date")
    work.add_task(user, secret, case, "Next week", today + timedelta(days=7))
    work.add_task(user, secret, case, "Was due yesterday", today - timedelta(days=1))
    rows = work.open_tasks(user, secret, case, work.task_order(case.tasks.all()))
    assert [r.title for r in rows] == ["Was due yesterday", "Next week", "No date", "Done already"]
    assert [r.overdue for r in rows] == [True, False, False, False]
    page = sign_in(coordinator).get(f"/staff/cases/{case.pk}/tasks/").content.decode()
    assert page.index("Was due yesterday") < page.index("Next week") < page.index("Done already")
    assert page.count("overdue since") == 1


def test_marking_a_task_done_and_undone_is_audited(team):
    coordinator, worker = team["coordinator"], team["caseworker"]
    case = new_case(coordinator, worker)
    task = work.add_task(coordinator.user, coordinator.secret, case, "Call the lawyer")
    client = sign_in(worker)
    assert client.post(f"/staff/cases/{case.pk}/tasks/{task.pk}/done/", {"done": "1"}).status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    client.post(f"/staff/cases/{case.pk}/tasks/{task.pk}/done/", {"done": "0", "back": "case"})
    task.refresh_from_db()
    assert task.done_at is None
    actions_seen = list(AuditEvent.objects.filter(object_id=str(case.pk), action__startswith="task.")
                        .order_by("seq").values_list("action", flat=True))
    assert actions_seen == ["task.added", "task.done", "task.reopened"]
    assert client.get(f"/staff/cases/{case.pk}/tasks/{task.pk}/done/").status_code == 405


def test_notes_and_tasks_of_another_case_get_404(team):
    coordinator = team["coordinator"]
    case, other = new_case(coordinator), new_case(coordinator, pseudonym="Other")
    note = work.add_note(coordinator.user, coordinator.secret, other, "Other case note")
    task = work.add_task(coordinator.user, coordinator.secret, other, "Other case task")
    client = sign_in(coordinator)
    assert client.get(f"/staff/cases/{case.pk}/notes/{note.pk}/delete/").status_code == 404
    assert client.post(f"/staff/cases/{case.pk}/notes/{note.pk}/delete/").status_code == 404
    assert client.post(f"/staff/cases/{case.pk}/tasks/{task.pk}/done/", {"done": "1"}).status_code == 404
    assert Note.objects.filter(pk=note.pk).exists()
    assert Task.objects.get(pk=task.pk).done_at is None


def test_non_members_and_other_organisations_get_404_on_notes_and_tasks(team):
    coordinator = team["coordinator"]
    case = new_case(coordinator)
    note = work.add_note(coordinator.user, coordinator.secret, case, "Private")
    task = work.add_task(coordinator.user, coordinator.secret, case, "Private task")
    outsider = sign_in(team["outsider"])
    for url in (f"/staff/cases/{case.pk}/notes/", f"/staff/cases/{case.pk}/tasks/",
                f"/staff/cases/{case.pk}/notes/{note.pk}/delete/"):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/staff/cases/{case.pk}/notes/", {"note-body": "x"}).status_code == 404
    assert outsider.post(f"/staff/cases/{case.pk}/tasks/{task.pk}/done/", {"done": "1"}).status_code == 404
    stranger = sign_in(make_org("Other Org", "othercoord").coordinator)
    assert stranger.get(f"/staff/cases/{case.pk}/notes/").status_code == 404
    assert Note.objects.filter(case=case).count() == 1


def test_notes_tasks_checkins_and_vetting_still_open_after_a_member_is_removed_and_the_key_rotated(team):
    from safepassage.cases.actions import vetting as vetting_actions

    coordinator, worker = team["coordinator"], team["caseworker"]
    case = new_case(coordinator, worker)
    user, secret = coordinator.user, coordinator.secret
    work.add_note(user, secret, case, "Sealed note")
    work.add_task(user, secret, case, "Sealed task")
    work.record_checkin(user, secret, case, "Sealed check-in")
    vetting_actions.update_vetting(user, secret, case, referrer="Sealed referrer", referrer_trust="low", notes="",
                                   identity_checked=True, referrer_checked=False, story_corroborated=False,
                                   duplicates_checked=False)
    before = bytes(Note.objects.get(case=case).body_sealed)
    actions.remove_member(user, secret, case, worker.user)
    assert bytes(Note.objects.get(case=case).body_sealed) != before
    page = sign_in(coordinator).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Sealed note" in page and "Sealed task" in page
    assert "Sealed check-in" in sign_in(coordinator).get(f"/staff/cases/{case.pk}/checkins/").content.decode()
    assert vetting_actions.open_vetting(user, secret, case).referrer == "Sealed referrer"


def test_erasing_a_case_deletes_its_notes_tasks_and_checkins(team):
    from safepassage.cases.models import CheckIn

    from .conftest import erase_with_two_coordinators

    coordinator, second = team["coordinator"], team["coordinator2"]
    case = new_case(coordinator, second)
    work.add_note(coordinator.user, coordinator.secret, case, "To be erased")
    work.add_task(coordinator.user, coordinator.secret, case, "To be erased")
    work.record_checkin(coordinator.user, coordinator.secret, case, "To be erased")
    erase_with_two_coordinators(sign_in(coordinator), sign_in(second), case)
    assert not Note.objects.filter(case=case).exists()
    assert not Task.objects.filter(case=case).exists()
    assert not CheckIn.objects.filter(case=case).exists()
