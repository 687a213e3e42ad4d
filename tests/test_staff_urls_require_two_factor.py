"""Every staff URL refuses anonymous visitors and people who have only passed the password step."""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

OPEN = {"/staff/login/"}
HALF_OPEN = {"/staff/2fa/", "/staff/2fa/enrol/", "/staff/logout/"}


def staff_urls(patterns=None, prefix=""):
    """Every URL under /staff/, with each <uuid:...> filled in by a random UUID (and a word for
    any other converter)."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from staff_urls(p.url_patterns, route)
        elif isinstance(p, URLPattern) and route.startswith("staff/"):
            while "<" in route:
                start = route.index("<")
                value = str(uuid.uuid4()) if route.startswith("<uuid:", start) else "visa"
                route = route[:start] + value + route[route.index(">", start) + 1:]
            yield "/" + route


ALL = sorted(set(staff_urls()))


def test_the_url_list_is_not_empty():
    assert "/staff/cases/" in ALL and "/staff/audit/" in ALL and len(ALL) > 15


@pytest.mark.parametrize("url", [u for u in ALL if u not in OPEN])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(url, method):
    response = getattr(Client(), method)(url)
    assert response.status_code == 302 and response["Location"] == "/staff/login/"


@pytest.mark.parametrize("url", [u for u in ALL if u not in OPEN | HALF_OPEN])
@pytest.mark.parametrize("method", ["get", "post"])
def test_password_without_second_factor_is_sent_to_2fa(org, url, method):
    client = Client()
    client.post("/staff/login/", {"username": org.coordinator.user.username, "password": PASSWORD})
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"] == "/staff/2fa/"
