"""Bad input in the address never breaks a page: every staff page, opened with nonsense in the
query string that its views read (a page number, ids of records to preselect, a unit, a kind),
answers as it would without it, or 404 — never a server error."""

import pytest

from safepassage.accounts import roles as R

from .conftest import sign_in
from .test_access_matrix import expected, staff_routes, url_for, world  # noqa: F401 - world is a fixture

pytestmark = pytest.mark.django_db

NONSENSE = "?page=zz&from=not-a-uuid&dossier=x&source=%00&victim=1&keep=x&merge=y&unit=bananas&vocabulary=x&propose=1"


def test_nonsense_in_the_query_string_never_makes_a_server_error(world):  # noqa: F811
    wrong = []
    for role in (R.COORDINATOR, R.RESEARCHER, R.CASEWORKER):
        staff = world["members"][role]
        client = sign_in(staff)
        for name, route in staff_routes():
            if name == "accounts:logout":
                continue
            status = client.get(url_for(name, route, world).split("?")[0] + NONSENSE).status_code
            if status >= 500 or status not in expected(name, role, True) | {404}:
                wrong.append(f"{name} {role}: {status}")
    assert not wrong, "\n".join(wrong)
