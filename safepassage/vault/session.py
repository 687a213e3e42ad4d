"""Holding an unlocked secret key between requests.

The key is stored in the server-side session only wrapped under a random per-session key;
that wrap key lives only in the user's cookie. The session store alone never yields a key,
and the cookie alone is 32 random bytes."""

import base64

from . import crypto

SESSION_FIELD = "vault_wrapped_key"


def stash(session, secret: bytes) -> str:
    """Wrap the secret into the session; return the cookie value that unwraps it."""
    wrap_key = crypto.random_key()
    session[SESSION_FIELD] = base64.b64encode(crypto.wrap(wrap_key, secret)).decode()
    return base64.urlsafe_b64encode(wrap_key).decode()


def unstash(session, cookie_value: str | None) -> bytes | None:
    """The secret key, or None when the session or cookie is missing or does not match."""
    wrapped = session.get(SESSION_FIELD)
    if not wrapped or not cookie_value:
        return None
    try:
        wrap_key = base64.urlsafe_b64decode(cookie_value.encode())
        if len(wrap_key) != crypto.KEY_BYTES:
            return None
        return crypto.unwrap(wrap_key, base64.b64decode(wrapped))
    except (ValueError, crypto.Tampered):
        return None
