"""The gate in front of every staff page. A view cannot forget to require login, 2FA or an
unlocked vault: this middleware decides before any /staff/ view runs."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from safepassage.vault.certify import UncertifiedKey

from . import actions, keys, session_keys

# Reachable without a session.
OPEN = {"accounts:login"}
# Reachable after the password, before the second factor.
HALF_OPEN = {"accounts:two_factor", "accounts:enrol", "accounts:logout"}
# Reachable while a password change is forced (after recovery or creation by an admin).
PASSWORD_CHANGE = {"accounts:password", "accounts:logout"}


class StaffGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Nothing was sealed to a key that failed its certificate; the transaction that tried was
        rolled back, so the refusal is recorded here, after it."""
        if not isinstance(exception, UncertifiedKey):
            return None
        keys.record_refused_key(exception.kind, exception.owner)
        return render(request, "403.html", {"exception": _(
            "This could not be done: a staff member's key could not be trusted (its certificate does not "
            "verify) and nothing was sealed to it. The admins have been told; they see it on the staff list.")},
            status=409)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith("/staff/"):
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in OPEN:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect(reverse("accounts:login"))
        if session_keys.idle_expired(request):
            session_keys.end(request)
            messages.info(request, _("You were signed out after a period of inactivity."))
            return redirect(reverse("accounts:login"))
        session_keys.touch(request)
        if not user.is_verified():
            if name in HALF_OPEN:
                return None
            return redirect(reverse("accounts:two_factor"))
        secret = session_keys.secret(request)
        if secret is None:
            actions.record_unlock_failure(user, "session key missing or wrong")
            session_keys.end(request)
            messages.error(request, _("Your session could not be unlocked. Please sign in again."))
            return redirect(reverse("accounts:login"))
        if user.must_change_password and name not in PASSWORD_CHANGE:
            return redirect(reverse("accounts:password"))
        # Held for this request only; the request object is discarded when it ends.
        request.vault_secret = secret
        return None
