"""A coordinator creates a case and shares it; members read it, everyone else gets 404."""

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Case

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def create_case(client, pseudonym="Ivan Testov", summary="Hiding in a flat after a raid"):
    response = client.post("/staff/cases/new/", {"pseudonym": pseudonym, "summary": summary, "urgency": 1})
    assert response.status_code == 302, response.content[:400]
    return Case.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_coordinator_creates_case_and_reads_it(team):
    client = sign_in(team["coordinator"])
    case = create_case(client)
    page = client.get(f"/staff/cases/{case.pk}/")
    assert "Ivan Testov" in page.content.decode()
    assert "Hiding in a flat after a raid" in page.content.decode()
    assert AuditEvent.objects.filter(action="case.read", object_id=str(case.pk)).count() == 1


def test_non_member_gets_404_and_member_after_grant_reads(team):
    coord = sign_in(team["coordinator"])
    case = create_case(coord)
    worker = sign_in(team["caseworker"])
    assert worker.get(f"/staff/cases/{case.pk}/").status_code == 404
    assert "Ivan Testov" not in worker.get("/staff/cases/").content.decode()

    response = coord.post(f"/staff/cases/{case.pk}/members/", {"member": str(team["caseworker"].user.uuid)})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="case.granted", object_id=str(case.pk)).exists()
    assert "Ivan Testov" in worker.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Ivan Testov" in worker.get("/staff/cases/").content.decode()
    assert sign_in(team["outsider"]).get(f"/staff/cases/{case.pk}/").status_code == 404


def test_admin_sees_no_case_data_unless_member(team):
    case = create_case(sign_in(team["coordinator"]))
    admin = sign_in(team["admin"])
    assert admin.get(f"/staff/cases/{case.pk}/").status_code == 404
    assert "Ivan Testov" not in admin.get("/staff/cases/").content.decode()


def test_unknown_and_foreign_case_ids_get_404(team):
    from .conftest import make_org

    other = make_org("Other Org", "othercoord")
    foreign = create_case(sign_in(other.coordinator), "Foreign Person")
    client = sign_in(team["coordinator"])
    assert client.get(f"/staff/cases/{foreign.pk}/").status_code == 404
    assert client.get("/staff/cases/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get(f"/staff/cases/{foreign.pk}/members/").status_code == 404


def test_caseworker_member_cannot_manage_members(team):
    coord = sign_in(team["coordinator"])
    case = create_case(coord)
    coord.post(f"/staff/cases/{case.pk}/members/", {"member": str(team["caseworker"].user.uuid)})
    worker = sign_in(team["caseworker"])
    assert worker.get(f"/staff/cases/{case.pk}/members/").status_code == 403
    response = worker.post(f"/staff/cases/{case.pk}/members/", {"member": str(team["outsider"].user.uuid)})
    assert response.status_code == 403


def test_removed_member_loses_access_and_key_is_rotated(team):
    coord = sign_in(team["coordinator"])
    case = create_case(coord)
    coord.post(f"/staff/cases/{case.pk}/members/", {"member": str(team["caseworker"].user.uuid)})
    before = bytes(Case.objects.get(pk=case.pk).pseudonym_sealed)
    response = coord.post(f"/staff/cases/{case.pk}/members/{team['caseworker'].user.uuid}/remove/")
    assert response.status_code == 302
    assert sign_in(team["caseworker"]).get(f"/staff/cases/{case.pk}/").status_code == 404
    assert bytes(Case.objects.get(pk=case.pk).pseudonym_sealed) != before
    assert "Ivan Testov" in coord.get(f"/staff/cases/{case.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="case.revoked").exists()


def test_the_last_member_cannot_be_removed(team):
    coord = sign_in(team["coordinator"])
    case = create_case(coord)
    coord.post(f"/staff/cases/{case.pk}/members/{team['coordinator'].user.uuid}/remove/")
    assert "Ivan Testov" in coord.get(f"/staff/cases/{case.pk}/").content.decode()


def test_empty_pseudonym_is_refused_and_nothing_saved(team):
    client = sign_in(team["coordinator"])
    response = client.post("/staff/cases/new/", {"pseudonym": "  ", "summary": "x", "urgency": 1})
    assert response.status_code == 200
    assert Case.objects.count() == 0


def test_edit_changes_sealed_fields(team):
    client = sign_in(team["coordinator"])
    case = create_case(client)
    response = client.post(f"/staff/cases/{case.pk}/edit/",
                           {"pseudonym": "Renamed Person", "summary": "moved", "urgency": 2})
    assert response.status_code == 302
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Renamed Person" in page and "Ivan Testov" not in page


def test_someone_who_is_only_a_documentation_researcher_cannot_join_a_case(org, team):
    from safepassage.accounts import roles

    researcher = org.add("research", roles.RESEARCHER)
    both = org.add("researchworker", roles.RESEARCHER, roles.CASEWORKER)
    client = sign_in(team["coordinator"])
    client.post("/staff/cases/new/", {"pseudonym": "Timur Q.", "summary": "", "urgency": "1"})
    case = Case.objects.get()
    page = client.get(f"/staff/cases/{case.pk}/members/").content.decode()
    assert ">Research<" not in page and ">Researchworker<" in page  # not offered
    response = client.post(f"/staff/cases/{case.pk}/members/", {"member": researcher.user.uuid})
    assert response.status_code == 200 and not case.data_key.grants.filter(user=researcher.user).exists()
    assert client.post(f"/staff/cases/{case.pk}/members/", {"member": both.user.uuid}).status_code == 302
    assert case.data_key.grants.filter(user=both.user).exists()


def test_a_member_whose_roles_become_researcher_only_can_no_longer_open_the_case(org, team):
    from safepassage.accounts import roles
    from safepassage.accounts.models import RoleAssignment

    client = sign_in(team["coordinator"])
    client.post("/staff/cases/new/", {"pseudonym": "Timur Q.", "summary": "", "urgency": "1"})
    case = Case.objects.get()
    worker = team["caseworker"]
    client.post(f"/staff/cases/{case.pk}/members/", {"member": worker.user.uuid})
    assert sign_in(worker).get(f"/staff/cases/{case.pk}/").status_code == 200
    RoleAssignment.objects.filter(user=worker.user).update(role=roles.RESEARCHER)
    assert sign_in(worker).get(f"/staff/cases/{case.pk}/").status_code == 404
