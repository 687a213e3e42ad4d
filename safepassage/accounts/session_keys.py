"""Starting and ending a staff session, and reaching the unlocked vault key during a request.

The secret key is wrapped into the server-side session; the wrap key travels only in the
SP_UNLOCK cookie (HttpOnly, SameSite=Strict, Secure under HTTPS, no expiry: gone when the
browser closes)."""

import time

from django.conf import settings
from django.contrib.auth import login, logout

from safepassage.vault import session as vault_session

LAST_SEEN = "last_seen"


def begin(request, user, secret: bytes) -> str:
    """Log the user in (first factor only) and stash their key. Returns the cookie value."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[LAST_SEEN] = int(time.time())
    return vault_session.stash(request.session, secret)


def set_unlock_cookie(response, value: str) -> None:
    response.set_cookie(settings.UNLOCK_COOKIE_NAME, value, httponly=True, samesite="Strict",
                        secure=settings.SESSION_COOKIE_SECURE, path="/staff/")


def end(request, response=None) -> None:
    logout(request)  # flushes the session row, and with it the wrapped key
    if response is not None:
        response.delete_cookie(settings.UNLOCK_COOKIE_NAME, path="/staff/", samesite="Strict")


def secret(request) -> bytes | None:
    return vault_session.unstash(request.session, request.COOKIES.get(settings.UNLOCK_COOKIE_NAME))


def idle_expired(request) -> bool:
    last = request.session.get(LAST_SEEN)
    return last is None or time.time() - last > settings.IDLE_TIMEOUT_SECONDS


def touch(request) -> None:
    request.session[LAST_SEEN] = int(time.time())
