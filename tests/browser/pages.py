"""Page objects for the staff site, in the spirit of SecureDrop's functional-test navigators:
a test says what a person does ("sign in", "create a case"); the selectors live here, once.

Every helper uses what a person sees (labels, button and link text), so a renamed label breaks
one line here instead of every test, and a test fails when a page stops saying what it should."""

import base64
import re
import time

from django_otp.oath import totp
from playwright.sync_api import Page, expect


def code_from_key(key_text: str) -> str:
    """What an authenticator app shows for the key printed on the enrolment page
    (base32 in groups of four, as a person would type it into FreeOTP or Aegis)."""
    key = base64.b32decode("".join(key_text.split()).upper())
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def wait_for_fresh_step(margin: int = 3) -> None:
    """A code typed in the last seconds of its 30-second step may be judged in the next one;
    a person would wait for the next code, and so do we."""
    left = 30 - int(time.time()) % 30
    if left <= margin:
        time.sleep(left + 0.5)


class StaffSite:
    """One person's browser tab on the staff site."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url.rstrip("/")

    def open(self, path: str):
        return self.page.goto(self.base_url + path)

    def heading(self):
        return self.page.get_by_role("heading", level=1)

    def submit(self, button: str) -> None:
        """Press a form's button and insist the server accepted the POST: a refused form
        (CSRF, 500) otherwise shows up later as a confusing "heading not found"."""
        def is_form_post(response):
            return response.request.method == "POST" and response.request.is_navigation_request()

        with self.page.expect_response(is_form_post) as posted:
            self.page.get_by_role("button", name=button, exact=True).click()
        response = posted.value
        if response.status >= 400:
            text = re.sub(r"<(style|script)\b.*?</\1>|<[^>]+>", " ", response.text(), flags=re.S)
            body = " ".join(text.split())[:300]
            raise AssertionError(f"POST {response.url} answered {response.status}: {body}")

    # Signing in

    def enter_password(self, username: str, password: str) -> None:
        self.open("/staff/login/")
        expect(self.heading()).to_have_text("Staff sign-in")
        self.page.get_by_label("Username", exact=True).fill(username)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.submit("Continue")

    def enter_code(self, code: str) -> None:
        expect(self.heading()).to_have_text("Enter your code")
        self.page.get_by_label("Code", exact=True).fill(code)
        self.submit("Sign in")
        expect(self.heading()).to_have_text("My work")

    def sign_in(self, staff) -> None:
        """Password, then the current code from the (test's) authenticator."""
        self.enter_password(staff.user.username, staff.password)
        self.enter_code(staff.code())

    # Enrolling an authenticator on first sign-in

    def read_enrolment_key(self) -> str:
        expect(self.heading()).to_have_text("Set up two-factor sign-in")
        return self.page.locator(".secret").inner_text()

    def confirm_enrolment(self, key_text: str) -> list[str]:
        """Type the code for the shown key; returns the backup codes the next page shows."""
        wait_for_fresh_step()
        self.page.get_by_label("Code", exact=True).fill(code_from_key(key_text))
        self.submit("Confirm")
        expect(self.heading()).to_have_text("Your backup codes")
        return [c.strip() for c in self.page.locator("ul.codes li").all_inner_texts()]

    def done_with_backup_codes(self) -> None:
        self.page.get_by_role("link", name="I have written them down", exact=True).click()
        expect(self.heading()).to_have_text("My work")

    # Cases

    def create_case(self, pseudonym: str, summary: str, urgency: str = "In danger now") -> str:
        """From "My cases", fill the new-case form; returns the case's URL path."""
        self.open("/staff/cases/")
        self.page.get_by_role("link", name="New case", exact=True).click()
        expect(self.heading()).to_have_text("New case")
        self.page.get_by_label("Pseudonym", exact=True).fill(pseudonym)
        self.page.get_by_label("Summary", exact=True).fill(summary)
        self.page.get_by_label("Urgency", exact=True).select_option(label=urgency)
        self.submit("Save")
        expect(self.heading()).to_have_text(pseudonym)
        expect(self.page.locator(".messages")).to_contain_text("Case created.")
        path = self.page.url.removeprefix(self.base_url)
        assert re.fullmatch(r"/staff/cases/[0-9a-f-]{36}/", path), path
        return path

    def open_case_from_list(self, pseudonym: str) -> None:
        self.open("/staff/cases/")
        self.page.get_by_role("link", name=pseudonym).click()
        expect(self.heading()).to_have_text(pseudonym)

    def add_member(self, case_path: str, name: str) -> None:
        self.open(case_path)
        self.page.get_by_role("link", name="Manage members", exact=True).click()
        expect(self.heading()).to_have_text("Case members")
        self.page.get_by_label("Staff member", exact=True).select_option(label=name)
        self.submit("Add")
        expect(self.page.locator(".messages")).to_contain_text(f"{name} can now open this case.")

    # Audit

    def verify_audit_chain(self) -> str:
        self.open("/staff/audit/")
        expect(self.heading()).to_have_text("Audit log")
        self.page.get_by_role("link", name="Verify the chain", exact=True).click()
        verdict = self.page.locator(".actions .ok, .actions .bad")
        expect(verdict).to_be_visible()
        return verdict.inner_text()
