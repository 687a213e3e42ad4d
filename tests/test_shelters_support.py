"""Helpers shared by the shelter and document tests (no tests here): a team with shelter
coordinators, a case with chosen members, a shelter, and a search of the whole database for
plaintext."""

from django.db import connection

from safepassage.accounts import roles
from safepassage.cases import actions
from safepassage.cases.actions import shelters
from safepassage.cases.models import Case

NAME = "Linden House Qzx"
ADDRESS = "12 Hidden Lane Zxq, flat 4, Vilnius"


def shelter_team(org) -> dict:
    """coordinator (also admin), coordinator2, shelter (shelter coordinator), lead (coordinator and
    shelter coordinator), caseworker, outsider (coordinator and shelter coordinator, on no case)."""
    return {
        "coordinator": org.coordinator,
        "coordinator2": org.add("coord2", roles.COORDINATOR),
        "shelter": org.add("sheltie", roles.SHELTER),
        "lead": org.add("lead", roles.COORDINATOR, roles.SHELTER),
        "caseworker": org.add("worker", roles.CASEWORKER),
        "outsider": org.add("outsider", roles.COORDINATOR, roles.SHELTER),
    }


def make_case(owner, *members, state="accepted", pseudonym="Ruslan Testov") -> Case:
    """A case created by `owner` (a coordinator) with the given members, moved to `state`."""
    case = actions.create_case(owner.user, pseudonym, "", 1)
    for member in members:
        actions.add_member(owner.user, owner.secret, case, member.user)
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


def make_shelter(staff, name=NAME, address=ADDRESS, capacity=4):
    return shelters.create_shelter(staff.user, name, address, capacity)


def tables_containing(text: str) -> list[str]:
    """Every table in which some column holds `text` (as UTF-8), for "nothing in the clear"."""
    needle = text.encode()
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                values = [bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode()
                          for v in row if v is not None]
                if any(needle in v for v in values):
                    found.append(table)
                    break
    return found
