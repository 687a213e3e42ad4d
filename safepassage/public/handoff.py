"""Short-lived values carried from a form to the page after it, in server memory only.

Every public form answers with a redirect (303) to a plain page, never with a page of its own:
a browser keeps the body of a POST in its tab history on disk (to offer "resubmit"), and the
body holds what the person typed. So the receipt to show, a form to show again with its errors,
or an open conversation's key wait here, under a random token in the URL, for minutes at most.

The cache is the process-local LocMemCache (settings.CACHES): never a file or a database. It
is why the public site must run in one process (`safepassage serve` does)."""

import secrets

from django.core.cache import cache

RECEIPT_SECONDS = 10 * 60
DRAFT_SECONDS = 10 * 60
CONVERSATION_SECONDS = 15 * 60


def _key(kind: str, token: str) -> str:
    return f"handoff:{kind}:{token}"


def put(kind: str, value, seconds: int) -> str:
    token = secrets.token_urlsafe(24)
    cache.set(_key(kind, token), value, seconds)
    return token


def take(kind: str, token: str):
    """The value, once: it is gone afterwards."""
    key = _key(kind, token)
    value = cache.get(key)
    cache.delete(key)
    return value


def peek(kind: str, token: str, extend: int | None = None):
    value = cache.get(_key(kind, token))
    if value is not None and extend:
        cache.touch(_key(kind, token), extend)
    return value


def drop(kind: str, token: str) -> None:
    cache.delete(_key(kind, token))
