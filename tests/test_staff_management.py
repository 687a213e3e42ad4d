"""Organisation admins manage staff accounts; nobody else can."""

import pytest

from safepassage.accounts import roles
from safepassage.accounts.models import User

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def test_admin_adds_a_member_with_roles(team):
    admin = sign_in(team["admin"])
    response = admin.post("/staff/staff/new/", {"username": "lawyer1", "display_name": "Lawyer One",
                                                "roles": [roles.LEGAL, roles.TRANSLATOR]})
    assert response.status_code == 200 and response.context["password"] in response.content.decode()
    user = User.objects.get(username="lawyer1")
    assert user.role_codes == {roles.LEGAL, roles.TRANSLATOR} and user.must_change_password
    assert user.organisation_id == team["admin"].user.organisation_id


def test_duplicate_username_is_refused(team):
    admin = sign_in(team["admin"])
    response = admin.post("/staff/staff/new/", {"username": "worker", "roles": [roles.LEGAL]})
    assert response.status_code == 200 and "already taken" in response.content.decode()


def test_admin_changes_roles_and_deactivates(team):
    admin = sign_in(team["admin"])
    target = team["caseworker"].user
    response = admin.post(f"/staff/staff/{target.uuid}/", {"display_name": "W", "roles": [roles.VETTING]})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role_codes == {roles.VETTING} and not target.is_active
    response = admin.post("/staff/login/", {"username": "worker", "password": team["caseworker"].password})
    assert response.status_code == 200


def test_non_admins_cannot_manage_staff(team):
    worker = sign_in(team["caseworker"])
    assert worker.get("/staff/staff/").status_code == 403
    assert worker.post("/staff/staff/new/", {"username": "x", "roles": [roles.ADMIN]}).status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_staff_of_another_organisation_is_404(team):
    from .conftest import make_org

    other = make_org("Elsewhere", "elsewhere")
    admin = sign_in(team["admin"])
    assert admin.get(f"/staff/staff/{other.coordinator.user.uuid}/").status_code == 404


def test_admin_cannot_remove_own_admin_role(team):
    admin = sign_in(team["admin"])
    me = team["admin"].user
    response = admin.post(f"/staff/staff/{me.uuid}/", {"roles": [roles.CASEWORKER], "is_active": "on"})
    assert response.status_code == 200
    assert User.objects.get(pk=me.pk).role_codes == {roles.ADMIN}
