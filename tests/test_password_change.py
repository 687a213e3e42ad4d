"""Changing a password re-wraps the key: cases stay readable, the old password opens nothing."""

import pytest
from django.test import Client

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.vault import keyring
from safepassage.vault.errors import WrongPassword

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

NEW = "a brand new long passphrase"


def test_change_password_rewraps_the_key(org):
    coord = org.coordinator
    client = sign_in(coord)
    client.post("/staff/cases/new/", {"pseudonym": "Kept Person", "summary": "", "urgency": 2})
    secret = coord.secret
    response = client.post("/staff/password/", {"old_password": PASSWORD, "new_password": NEW,
                                                "new_password2": NEW})
    assert response.status_code == 302
    coord.user.refresh_from_db()
    with pytest.raises(WrongPassword):
        keyring.unlock(coord.user.keyring, PASSWORD)
    assert keyring.unlock(coord.user.keyring, NEW) == secret
    coord.password = NEW
    assert "Kept Person" in sign_in(coord).get("/staff/cases/").content.decode()
    assert AuditEvent.objects.filter(action="password.changed").exists()


def test_wrong_current_password_changes_nothing(org):
    client = sign_in(org.coordinator)
    response = client.post("/staff/password/", {"old_password": "wrong wrong wrong", "new_password": NEW,
                                                "new_password2": NEW})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    org.coordinator.user.refresh_from_db()
    keyring.unlock(org.coordinator.user.keyring, PASSWORD)


def test_weak_or_mismatched_new_password_is_refused(org):
    client = sign_in(org.coordinator)
    assert client.post("/staff/password/", {"old_password": PASSWORD, "new_password": "short",
                                            "new_password2": "short"}).status_code == 200
    assert client.post("/staff/password/", {"old_password": PASSWORD, "new_password": NEW,
                                            "new_password2": NEW + "x"}).status_code == 200
    org.coordinator.user.refresh_from_db()
    keyring.unlock(org.coordinator.user.keyring, PASSWORD)


def test_new_staff_must_choose_a_password_first(org):
    admin = sign_in(org.coordinator)
    response = admin.post("/staff/staff/new/", {"username": "fresh", "display_name": "Fresh One",
                                                "roles": [roles.CASEWORKER]})
    temporary = response.context["password"]
    client = Client()
    assert client.post("/staff/login/", {"username": "fresh", "password": temporary})["Location"] == \
        "/staff/2fa/enrol/"
    from django_otp.oath import totp

    from safepassage.accounts.models import SealedTOTPDevice

    client.get("/staff/2fa/enrol/")
    device = SealedTOTPDevice.objects.get(user__username="fresh", confirmed=False)
    client.post("/staff/2fa/enrol/", {"token": f"{totp(device.bin_key):06d}"})
    assert client.get("/staff/cases/")["Location"] == "/staff/password/"
    client.post("/staff/password/", {"old_password": temporary, "new_password": NEW, "new_password2": NEW})
    assert client.get("/staff/cases/").status_code == 200
