"""Shared fixtures: an organisation with named staff, and a client that signs in with 2FA."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp.oath import totp

from safepassage.accounts import actions, roles
from safepassage.accounts.models import SealedTOTPDevice, User
from safepassage.vault import keyring

PASSWORD = "correct horse battery staple"


@dataclass
class Staff:
    user: User
    password: str = PASSWORD

    @property
    def secret(self) -> bytes:
        return keyring.unlock(self.user.keyring, self.password)

    def code(self) -> str:
        """The current code. django-otp refuses a code twice in one 30-second step (replay
        protection), and tests sign the same person in more than once: forget the last use."""
        device = SealedTOTPDevice.objects.get(user=self.user, confirmed=True)
        device.last_t = -1
        device.throttling_failure_count = 0
        device.save()
        return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


@dataclass
class Org:
    org: object
    recovery_code: str
    coordinator: Staff

    def add(self, username, *role_codes, enrolled=True) -> Staff:
        user = actions.create_staff(self.coordinator.user, username, username.title(), list(role_codes), PASSWORD)
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.refresh_from_db()
        if enrolled:
            SealedTOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        return Staff(user)


def make_org(name="Test Org", username="coord") -> Org:
    org, user, code = actions.init_org(name, username, PASSWORD, "Coordinator One")
    SealedTOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return Org(org, code, Staff(user))


@pytest.fixture
def org(db) -> Org:
    return make_org()


@pytest.fixture
def team(org):
    """A coordinator, a second coordinator, a caseworker, an outsider (no case) and an admin."""
    return {
        "coordinator": org.coordinator,
        "coordinator2": org.add("coord2", roles.COORDINATOR),
        "caseworker": org.add("worker", roles.CASEWORKER),
        "outsider": org.add("outsider", roles.CASEWORKER),
        "admin": org.add("admin2", roles.ADMIN),
    }


def sign_in(staff: Staff, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post("/staff/login/", {"username": staff.user.username, "password": staff.password})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/staff/2fa/", {"token": staff.code()})
    assert response.status_code == 302 and response["Location"].endswith("/staff/"), response
    return client


def erase_with_two_coordinators(first: Client, second: Client, case) -> None:
    """Erasure needs a second coordinator: the first asks, the second (a member) approves."""
    from safepassage.cases.models import Approval

    first.post(f"/staff/cases/{case.pk}/erase/", {"confirm": "ERASE"})
    approval = Approval.objects.get(case=case, kind="erase", status="pending")
    response = second.post(f"/staff/cases/{case.pk}/approvals/{approval.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302, response


@pytest.fixture
def signed_in():
    return sign_in


def pytest_sessionfinish(session, exitstatus):
    """A skipped test hides a missing component: the run fails if anything was skipped. The run's
    own keystore goes with its test database."""
    import shutil

    from django.conf import settings

    if settings.TEST_MODE and "keystore-test-" in str(settings.KEYSTORE_DIR):
        shutil.rmtree(settings.KEYSTORE_DIR, ignore_errors=True)
    if settings.TEST_MODE and "erasures-test-" in str(settings.ERASURE_LEDGER):
        settings.ERASURE_LEDGER.unlink(missing_ok=True)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line(f"FAILED: {len(reporter.stats['skipped'])} test(s) skipped; skips are not allowed.",
                            red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _postgres_marker_means_postgres(request):
    """A test about PostgreSQL itself is left out of the SQLite run by its marker; should it run
    on another database anyway, it fails: it must never pass without testing anything."""
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.fail("this test needs PostgreSQL: run it with make test-postgres")


@pytest.fixture(autouse=True)
def _own_audit_checkpoint(settings, tmp_path):
    """Each test its own checkpoint of the audit chain outside the database: the database is
    rolled back or emptied between tests, a file is not."""
    settings.AUDIT_CHECKPOINT = tmp_path / "audit.checkpoint"
