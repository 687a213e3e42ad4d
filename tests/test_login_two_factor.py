"""Staff sign in with a password and then a code; nothing opens before both."""

import time

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django_otp.oath import totp

from safepassage.accounts import roles
from safepassage.accounts.models import SealedTOTPDevice, User
from safepassage.audit.models import AuditEvent

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def password_step(client, user, password=PASSWORD):
    return client.post("/staff/login/", {"username": user.username, "password": password})


def test_password_alone_does_not_open_staff_pages(org):
    client = Client()
    response = password_step(client, org.coordinator.user)
    assert response["Location"] == "/staff/2fa/"
    assert client.get("/staff/cases/")["Location"] == "/staff/2fa/"


def test_password_then_code_signs_in_and_is_audited(org):
    client = sign_in(org.coordinator)
    assert client.get("/staff/cases/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor=str(org.coordinator.user.uuid)).exists()


def test_wrong_password_gets_one_uniform_error(org):
    client = Client()
    wrong = password_step(client, org.coordinator.user, "not the password at all")
    unknown = client.post("/staff/login/", {"username": "nobody-here", "password": "whatever it is"})
    assert wrong.status_code == unknown.status_code == 200
    message = "Wrong username or password, or the account is locked for a while."
    assert message in wrong.content.decode() and message in unknown.content.decode()
    assert AuditEvent.objects.filter(action="login.failed").count() == 2


def test_wrong_code_is_refused(org):
    client = Client()
    password_step(client, org.coordinator.user)
    response = client.post("/staff/2fa/", {"token": "000000"})
    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert client.get("/staff/cases/").status_code == 302


def test_first_login_enrols_an_authenticator_and_shows_backup_codes(org):
    new = org.add("newbie", roles.CASEWORKER, enrolled=False)
    client = Client()
    assert password_step(client, new.user)["Location"] == "/staff/2fa/enrol/"
    page = client.get("/staff/2fa/enrol/")
    assert b"<svg" in page.content  # the QR code, drawn inline
    device = SealedTOTPDevice.objects.get(user=new.user, confirmed=False)
    code = f"{totp(device.bin_key):06d}"
    response = client.post("/staff/2fa/enrol/", {"token": code})
    codes = response.context["codes"]
    assert len(codes) == 10 and all(c in response.content.decode() for c in codes)
    assert client.get("/staff/cases/").status_code == 200
    # A backup code works once, in place of the app's code.
    second = Client()
    password_step(second, new.user)
    assert second.post("/staff/2fa/", {"token": codes[0]}).status_code == 302
    assert second.get("/staff/cases/").status_code == 200
    third = Client()
    password_step(third, new.user)
    assert third.post("/staff/2fa/", {"token": codes[0]}).status_code == 200


def test_enrolment_page_cannot_replace_an_existing_authenticator(org):
    client = Client()
    password_step(client, org.coordinator.user)
    assert client.get("/staff/2fa/enrol/")["Location"] == "/staff/2fa/"


def test_account_locks_after_repeated_failures_even_with_the_right_password(org):
    user = org.coordinator.user
    for _ in range(settings.LOCKOUT_THRESHOLD):
        password_step(Client(), user, "wrong password again")
    user.refresh_from_db()
    assert user.is_locked
    assert password_step(Client(), user).status_code == 200  # right password, still refused
    assert AuditEvent.objects.filter(action="login.locked").count() == 1


def test_admin_unlocks_a_locked_account(team):
    user = team["caseworker"].user
    User.objects.filter(pk=user.pk).update(locked_until="2999-01-01T00:00:00Z")
    admin = sign_in(team["coordinator"])  # the first coordinator is also the admin
    assert admin.post(f"/staff/staff/{user.uuid}/unlock/").status_code == 302
    sign_in(team["caseworker"])


def test_repeated_wrong_codes_lock_the_account(org):
    client = Client()
    password_step(client, org.coordinator.user)
    for _ in range(settings.LOCKOUT_THRESHOLD):
        client.post("/staff/2fa/", {"token": "123456"})
    org.coordinator.user.refresh_from_db()
    assert org.coordinator.user.is_locked


def test_idle_session_is_signed_out(org):
    client = sign_in(org.coordinator)
    session = client.session
    session["last_seen"] = int(time.time()) - settings.IDLE_TIMEOUT_SECONDS - 5
    session.save()
    response = client.get("/staff/cases/")
    assert response["Location"] == "/staff/login/"
    assert client.get("/staff/cases/")["Location"] == "/staff/login/"


@override_settings(IDLE_TIMEOUT_SECONDS=1800)
def test_default_idle_timeout_is_thirty_minutes():
    from safepassage import settings as project_settings

    assert project_settings.IDLE_TIMEOUT_SECONDS == 1800


def test_logout_destroys_the_session_and_the_unlock_cookie(org):
    client = sign_in(org.coordinator)
    response = client.post("/staff/logout/")
    assert response.status_code == 302
    assert response.cookies[settings.UNLOCK_COOKIE_NAME].value == ""
    assert client.get("/staff/cases/")["Location"] == "/staff/login/"
    assert AuditEvent.objects.filter(action="logout").exists()


def test_logout_needs_post(org):
    client = sign_in(org.coordinator)
    assert client.get("/staff/logout/").status_code == 405


def test_session_without_the_unlock_cookie_is_refused_and_audited(org):
    client = sign_in(org.coordinator)
    client.cookies.pop(settings.UNLOCK_COOKIE_NAME)
    assert client.get("/staff/cases/")["Location"] == "/staff/login/"
    assert AuditEvent.objects.filter(action="unlock.failed").exists()


def test_unlock_cookie_is_httponly_strict_and_session_only(org):
    client = Client()
    response = password_step(client, org.coordinator.user)
    cookie = response.cookies[settings.UNLOCK_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert not cookie["expires"] and not cookie["max-age"]


def test_session_store_holds_only_a_wrapped_key(org):
    from django.contrib.sessions.models import Session

    sign_in(org.coordinator)
    secret = org.coordinator.secret
    for row in Session.objects.all():
        decoded = row.get_decoded()
        assert secret not in row.session_data.encode()
        assert all(secret.hex() not in str(v) for v in decoded.values())


def test_csrf_is_enforced_on_login(org):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/staff/login/", {"username": org.coordinator.user.username, "password": PASSWORD})
    assert response.status_code == 403
