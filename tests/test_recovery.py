"""A member who lost their password is restored by two coordinators with the recovery code."""

import pytest

from safepassage.accounts.models import RecoveryRequest
from safepassage.audit.models import AuditEvent
from safepassage.vault import keyring
from safepassage.vault.errors import WrongPassword

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def shared_case(team):
    coord = sign_in(team["coordinator"])
    coord.post("/staff/cases/new/", {"pseudonym": "Recovered Person", "summary": "s", "urgency": 1})
    from safepassage.cases.models import Case

    case = Case.objects.get()
    coord.post(f"/staff/cases/{case.pk}/members/", {"member": str(team["caseworker"].user.uuid)})
    return case


def start(team, target):
    client = sign_in(team["coordinator"])
    assert client.post(f"/staff/recovery/start/{target.user.uuid}/").status_code == 302
    return client, RecoveryRequest.objects.get(target=target.user)


def test_two_coordinators_restore_access_to_cases(org, team):
    case = shared_case(team)
    worker = team["caseworker"]
    first, req = start(team, worker)
    assert first.get(f"/staff/recovery/{req.pk}/").status_code == 403  # not the same coordinator
    second = sign_in(team["coordinator2"])
    response = second.post(f"/staff/recovery/{req.pk}/", {"code": org.recovery_code.lower()})
    assert response.status_code == 200
    temporary = response.context["result"].temporary_password
    assert response.context["result"].cases_restored == 1
    worker.user.refresh_from_db()
    with pytest.raises(WrongPassword):
        keyring.unlock(worker.user.keyring, worker.password)
    worker.password = temporary
    client = sign_in(worker)
    assert client.get("/staff/cases/")["Location"] == "/staff/password/"
    new = "restored and renewed passphrase"
    client.post("/staff/password/", {"old_password": temporary, "new_password": new, "new_password2": new})
    assert "Recovered Person" in client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="recovery.completed").exists()


def test_wrong_recovery_code_changes_nothing(org, team):
    shared_case(team)
    _, req = start(team, team["caseworker"])
    second = sign_in(team["coordinator2"])
    response = second.post(f"/staff/recovery/{req.pk}/", {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 200 and "not this organisation" in response.content.decode()
    team["caseworker"].user.refresh_from_db()
    keyring.unlock(team["caseworker"].user.keyring, team["caseworker"].password)
    assert AuditEvent.objects.filter(action="recovery.bad_code").exists()


def test_non_coordinators_cannot_recover(team):
    worker = sign_in(team["caseworker"])
    assert worker.get("/staff/recovery/").status_code == 403
    assert worker.post(f"/staff/recovery/start/{team['outsider'].user.uuid}/").status_code == 403
