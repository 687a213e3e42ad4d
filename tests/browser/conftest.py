"""Playwright fixtures: one Chromium for the session, a fresh context (cookies, storage) per test.

Chromium is Debian's (`/usr/bin/chromium`): `playwright install` downloads from a CDN, which
these machines cannot reach and a self-hosted project should not depend on."""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .pages import StaffSite

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Screenshots for people to look at (/tmp/shots on Debian); not kept, not compared.
SHOTS = Path(os.environ.get("SAFEPASSAGE_SHOTS_DIR") or Path(tempfile.gettempdir()) / "shots")
# A cheap phone (360 CSS px wide, as most small Android phones report) and an office screen.
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def pytest_collection_modifyitems(config, items):
    """Everything in this folder drives a browser: `make test-browser` selects it with
    `-m browser`, the other suites leave it out with `-m "not browser"`."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an asyncio loop running on this thread, and Django then
    # refuses ORM calls from it (SynchronousOnlyOperation). The tests use the ORM only to set
    # people up and read codes, between browser steps, never from async code; the switch is
    # undone when the browser closes.
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as playwright:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site_url(live_server, django_db_serialized_rollback) -> str:
    """The live server's address. live_server makes the database transactional, and its flush
    after each test would also delete rows written by data migrations (the audit chain head);
    serialized rollback puts them back before the next test."""
    return live_server.url


@pytest.fixture
def new_context(browser):
    """Open as many separate browsers (people) as a test needs; all are closed afterwards."""
    contexts = []

    def open_context(**options):
        options = {**DESKTOP, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def staff_site(page, site_url) -> StaffSite:
    return StaffSite(page, site_url)


@pytest.fixture
def shots_dir() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture
def open_profile(browser):
    """A browser with a profile on disk, as on a real phone: `open_profile(dir, **options)` starts
    Chromium on that user-data directory (close it, then open the same directory again to come
    back on the same device). Whatever is still open is closed afterwards."""
    contexts = []

    def launch(user_data_dir, **options):
        options = {**DESKTOP, **options}
        context = browser.browser_type.launch_persistent_context(
            str(user_data_dir), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield launch
    for context in contexts:
        context.close()
