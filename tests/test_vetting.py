"""Vetting: vetting officers and coordinators fill in the referrer, trust level, checklist,
consistency notes and corroborations; caseworkers read; a complete checklist opens the accept
step; an infiltration flag moves the case and freezes disclosure."""

import json

import pytest

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.cases import actions, pipeline
from safepassage.cases.actions import pipeline as pipeline_actions
from safepassage.cases.actions import vetting as vetting_actions
from safepassage.cases.models import Alert, Case, Corroboration, Vetting

from .conftest import make_org, sign_in

pytestmark = pytest.mark.django_db

REFERRER = "Ruslan from the Grozny support chat"
NOTES = "Dates of the raid match the press reports"
FULL_CHECKLIST = {"vetting-identity_checked": "on", "vetting-referrer_checked": "on",
                  "vetting-story_corroborated": "on", "vetting-duplicates_checked": "on"}


def new_case(owner, *members, pseudonym="Adam V."):
    case = actions.create_case(owner.user, pseudonym, "Summary", 1)
    for m in members:
        actions.add_member(owner.user, owner.secret, case, m.user)
    return case


@pytest.fixture
def vetter(org):
    return org.add("vetter", roles.VETTING)


def vetting_form(**extra):
    return {"vetting-referrer": REFERRER, "vetting-referrer_trust": "medium", "vetting-notes": NOTES, **extra}


def test_a_vetting_officer_edits_the_vetting_and_the_text_is_sealed(team, vetter):
    case = new_case(team["coordinator"], vetter)
    client = sign_in(vetter)
    response = client.post(f"/staff/cases/{case.pk}/vetting/", vetting_form(**{"vetting-identity_checked": "on"}))
    assert response.status_code == 302
    vetting = Vetting.objects.get(case=case)
    assert vetting.referrer_trust == "medium" and vetting.identity_checked and not vetting.referrer_checked
    assert REFERRER.encode() not in bytes(vetting.referrer_sealed)
    assert NOTES.encode() not in bytes(vetting.notes_sealed)
    page = client.get(f"/staff/cases/{case.pk}/vetting/").content.decode()
    assert REFERRER in page and NOTES in page


def test_a_caseworker_member_reads_the_vetting_but_gets_403_when_editing(team, vetter):
    case = new_case(team["coordinator"], team["caseworker"], vetter)
    sign_in(vetter).post(f"/staff/cases/{case.pk}/vetting/", vetting_form())
    worker = sign_in(team["caseworker"])
    page = worker.get(f"/staff/cases/{case.pk}/vetting/")
    assert page.status_code == 200 and REFERRER in page.content.decode()
    assert "Save vetting" not in page.content.decode()
    response = worker.post(f"/staff/cases/{case.pk}/vetting/", vetting_form(**FULL_CHECKLIST))
    assert response.status_code == 403
    assert not Vetting.objects.get(case=case).complete
    response = worker.post(f"/staff/cases/{case.pk}/vetting/corroborations/", {"corroboration-source": "x"})
    assert response.status_code == 403 and not Corroboration.objects.exists()


def test_reading_the_vetting_page_is_audited(team):
    case = new_case(team["coordinator"])
    sign_in(team["coordinator"]).get(f"/staff/cases/{case.pk}/vetting/")
    assert AuditEvent.objects.filter(action="vetting.read", object_id=str(case.pk)).count() == 1


def test_non_members_and_foreign_cases_get_404_on_every_vetting_page(team):
    case = new_case(team["coordinator"])
    item = vetting_actions.add_corroboration(team["coordinator"].user, team["coordinator"].secret, case,
                                             "NGO report", "", True)
    outsider = sign_in(team["outsider"])
    for url in (f"/staff/cases/{case.pk}/vetting/", f"/staff/cases/{case.pk}/vetting/infiltration/",
                f"/staff/cases/{case.pk}/vetting/corroborations/{item.pk}/remove/"):
        assert outsider.get(url).status_code == 404, url
        assert outsider.post(url).status_code == 404, url
    other = make_org("Other Org", "othercoord")
    foreign = new_case(other.coordinator)
    client = sign_in(team["coordinator"])
    assert client.get(f"/staff/cases/{foreign.pk}/vetting/").status_code == 404
    assert Corroboration.objects.filter(pk=item.pk).exists()


def test_completing_the_checklist_lets_a_coordinator_start_the_accept_step(team, vetter):
    coordinator = team["coordinator"]
    case = new_case(coordinator, vetter)
    Case.objects.filter(pk=case.pk).update(state="vetting")

    def accept_step():
        fresh = Case.objects.get(pk=case.pk)
        return next(s for s in pipeline_actions.next_steps(coordinator.user, fresh)
                    if s.transition.target == "accepted")

    assert accept_step().unmet == ["the vetting checklist is complete"]
    client = sign_in(vetter)
    client.post(f"/staff/cases/{case.pk}/vetting/", vetting_form(**{"vetting-identity_checked": "on"}))
    assert accept_step().unmet
    client.post(f"/staff/cases/{case.pk}/vetting/", vetting_form(**FULL_CHECKLIST))
    assert Vetting.objects.get(case=case).complete
    assert accept_step().unmet == []


def test_the_vetting_audit_holds_codes_and_never_the_text(team):
    case = new_case(team["coordinator"])
    sign_in(team["coordinator"]).post(f"/staff/cases/{case.pk}/vetting/", vetting_form(**FULL_CHECKLIST))
    event = AuditEvent.objects.get(action="vetting.updated", object_id=str(case.pk))
    assert event.details["complete"] is True and event.details["trust"] == "medium"
    assert "referrer" in event.details["changed"]
    dumped = json.dumps(list(AuditEvent.objects.values("details")))
    assert "Ruslan" not in dumped and "raid" not in dumped


def test_an_unknown_trust_level_is_refused_and_nothing_is_saved(team):
    case = new_case(team["coordinator"])
    response = sign_in(team["coordinator"]).post(
        f"/staff/cases/{case.pk}/vetting/", vetting_form(**{"vetting-referrer_trust": "total", **FULL_CHECKLIST}))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Vetting.objects.filter(case=case).exists()


def test_corroborations_are_sealed_listed_and_removed_after_confirmation(team):
    case = new_case(team["coordinator"])
    client = sign_in(team["coordinator"])
    response = client.post(f"/staff/cases/{case.pk}/vetting/corroborations/", {
        "corroboration-source": "Memorial field worker", "corroboration-detail": "Saw him at the checkpoint",
        "corroboration-independent": "on"})
    assert response.status_code == 302
    item = Corroboration.objects.get(case=case)
    assert item.independent and b"Memorial" not in bytes(item.source_sealed)
    page = client.get(f"/staff/cases/{case.pk}/vetting/").content.decode()
    assert "Memorial field worker" in page and "Saw him at the checkpoint" in page
    confirm = client.get(f"/staff/cases/{case.pk}/vetting/corroborations/{item.pk}/remove/")
    assert confirm.status_code == 200 and Corroboration.objects.filter(pk=item.pk).exists()
    client.post(f"/staff/cases/{case.pk}/vetting/corroborations/{item.pk}/remove/")
    assert not Corroboration.objects.filter(pk=item.pk).exists()
    assert AuditEvent.objects.filter(action="vetting.corroboration_removed",
                                     details__corroboration=str(item.pk)).exists()


def test_a_corroboration_without_a_source_is_refused_and_nothing_is_saved(team):
    case = new_case(team["coordinator"])
    response = sign_in(team["coordinator"]).post(f"/staff/cases/{case.pk}/vetting/corroborations/", {
        "corroboration-source": "   ", "corroboration-detail": "something"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Corroboration.objects.exists()


def test_a_corroboration_of_another_case_gets_404(team):
    coordinator = team["coordinator"]
    case, other = new_case(coordinator), new_case(coordinator, pseudonym="Other")
    item = vetting_actions.add_corroboration(coordinator.user, coordinator.secret, other, "Source", "", True)
    client = sign_in(coordinator)
    assert client.get(f"/staff/cases/{case.pk}/vetting/corroborations/{item.pk}/remove/").status_code == 404
    assert client.post(f"/staff/cases/{case.pk}/vetting/corroborations/{item.pk}/remove/").status_code == 404
    assert Corroboration.objects.filter(pk=item.pk).exists()


def test_raising_an_infiltration_flag_moves_the_case_and_freezes_disclosure(team, vetter):
    case = new_case(team["coordinator"], vetter)
    Case.objects.filter(pk=case.pk).update(state="vetting")
    client = sign_in(vetter)
    explanation = client.get(f"/staff/cases/{case.pk}/vetting/infiltration/").content.decode()
    assert "no shelter address is released" in explanation
    assert Case.objects.get(pk=case.pk).state == "vetting"
    response = client.post(f"/staff/cases/{case.pk}/vetting/infiltration/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "suspected_infiltration" and case.previous_state == "vetting"
    assert pipeline.disclosure_frozen(case)
    assert Alert.objects.filter(case=case, kind="infiltration", resolved_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="case.state_changed", details__to="suspected_infiltration").exists()


def test_a_caseworker_cannot_raise_an_infiltration_flag(team):
    case = new_case(team["coordinator"], team["caseworker"])
    worker = sign_in(team["caseworker"])
    assert worker.get(f"/staff/cases/{case.pk}/vetting/infiltration/").status_code == 403
    assert worker.post(f"/staff/cases/{case.pk}/vetting/infiltration/").status_code == 403
    assert Case.objects.get(pk=case.pk).state == "new"


def test_a_flag_cannot_be_raised_twice(team):
    case = new_case(team["coordinator"])
    client = sign_in(team["coordinator"])
    client.post(f"/staff/cases/{case.pk}/vetting/infiltration/")
    response = client.post(f"/staff/cases/{case.pk}/vetting/infiltration/", follow=True)
    assert "not possible from the case" in response.content.decode()
    assert Alert.objects.filter(case=case, kind="infiltration").count() == 1


def test_the_case_page_shows_the_checklist_and_offers_the_flag_only_to_vetting_roles(team):
    case = new_case(team["coordinator"], team["caseworker"])
    coordinator_page = sign_in(team["coordinator"]).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Identity checked" in coordinator_page and "Raise an infiltration flag" in coordinator_page
    worker_page = sign_in(team["caseworker"]).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Identity checked" in worker_page and "Open vetting" in worker_page
    assert "Raise an infiltration flag" not in worker_page
