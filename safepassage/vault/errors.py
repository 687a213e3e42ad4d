class VaultError(Exception):
    """Base class: something could not be decrypted or unlocked."""


class WrongPassword(VaultError):
    """The password does not open this keyring."""


class Tampered(VaultError):
    """A ciphertext failed authentication: changed, truncated, or moved to another record or field."""


class NoAccess(VaultError):
    """The user holds no grant for this data key."""
