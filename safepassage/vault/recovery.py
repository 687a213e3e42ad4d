"""The organisation's recovery key: an X25519 secret shown once as a printable code."""

import base64

from . import crypto
from .errors import WrongPassword

_GROUP = 4


def new_code() -> tuple[str, bytes]:
    """(printable code, public key). The code is the secret key itself; it is never stored."""
    secret = _clamp(crypto.random_key())
    text = base64.b32encode(secret).decode().rstrip("=")
    code = "-".join(text[i:i + _GROUP] for i in range(0, len(text), _GROUP))
    return code, crypto.public_from_secret(secret)


def secret_from_code(code: str, expected_public: bytes) -> bytes:
    """The secret key, if the code is well formed and matches the organisation's public key."""
    text = "".join(ch for ch in code.upper() if ch.isalnum())
    text = text.replace("0", "O").replace("1", "I").replace("8", "B")  # misread characters
    try:
        secret = base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError as exc:
        raise WrongPassword() from exc
    if len(secret) != crypto.KEY_BYTES or _clamp(secret) != secret:
        raise WrongPassword()
    if not crypto.equal(crypto.public_from_secret(secret), bytes(expected_public)):
        raise WrongPassword()
    return secret


def _clamp(secret: bytes) -> bytes:
    """X25519 ignores 5 bits of a secret key (RFC 7748 clamping). Codes carry the clamped form,
    so each key has exactly one valid code and a mistyped symbol never passes."""
    b = bytearray(secret)
    b[0] &= 248
    b[31] = (b[31] & 127) | 64
    return bytes(b)
