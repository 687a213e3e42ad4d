"""Session hygiene: the session key changes when the second factor passes (a key planted before
sign-in is worthless after it); deactivating a member ends their open sessions at once; the
authenticator seeds are sealed in the database; what the server writes under var/ is private."""

import os
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from safepassage.accounts import actions
from safepassage.accounts.models import SealedTOTPDevice

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def test_the_session_key_changes_when_the_second_factor_passes(org):
    staff = org.coordinator
    client = Client()
    client.post("/staff/login/", {"username": staff.user.username, "password": staff.password})
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post("/staff/2fa/", {"token": staff.code()})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before and not Session.objects.filter(session_key=before).exists()
    assert client.get("/staff/").status_code == 200  # the new session still unlocks the vault


def test_deactivating_a_member_ends_their_open_sessions(team):
    admin, worker = team["admin"], team["caseworker"]
    theirs = sign_in(worker)
    assert theirs.get("/staff/cases/").status_code == 200
    mine = sign_in(admin)
    response = mine.post(f"/staff/staff/{worker.user.uuid}/", {
        "display_name": "Worker", "roles": ["caseworker"], "is_active": ""})
    assert response.status_code == 302
    assert not [s for s in Session.objects.all() if str(s.get_decoded().get("_auth_user_id")) == str(worker.user.pk)]
    assert theirs.get("/staff/cases/").status_code == 302  # back to the sign-in page
    assert mine.get("/staff/").status_code == 200


def test_authenticator_seeds_are_sealed_in_the_database(org):
    device = SealedTOTPDevice.objects.get(user=org.coordinator.user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("s1:") and device.bin_key.hex() not in stored
    assert actions.check_second_factor(org.coordinator.user, org.coordinator.code()) is not None


def test_what_the_server_writes_under_var_is_private(org, settings, tmp_path):
    made = [Path(settings.KEYSTORE_DIR) / "keystore.bin", Path(settings.KEYSTORE_DIR) / "certify.key",
            Path(settings.KEYSTORE_DIR) / "seeds.key"]
    if connection.vendor == "sqlite":
        made.append(Path(connection.settings_dict["NAME"]))
    for path in made:
        assert stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0, path
    assert stat.S_IMODE(os.stat(settings.KEYSTORE_DIR).st_mode) == 0o700
    assert os.umask(0o077) == 0o077  # every file the process makes after starting
