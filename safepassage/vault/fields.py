"""Field encryption. A ciphertext is bound to (model, field, record id) through the AEAD's
associated data, so it cannot be copied into another record or field and still open.

A model keeps the ciphertext of field F in a BinaryField named F_sealed."""

from . import crypto
from .errors import Tampered


def _aad(record, field: str) -> bytes:
    if record.pk is None:
        raise ValueError("records must have their UUID before sealing")
    return f"safepassage:{record._meta.label_lower}.{field}:{record.pk}".encode()


def seal_text(key: bytes, record, field: str, value: str) -> None:
    setattr(record, field + "_sealed", crypto.aead_seal(key, value.encode("utf-8"), _aad(record, field)))


def open_text(key: bytes, record, field: str) -> str:
    blob = getattr(record, field + "_sealed")
    if not blob:
        # Sealing "" still yields a ciphertext: an empty column was blanked behind our back.
        raise Tampered("missing ciphertext")
    return crypto.aead_open(key, bytes(blob), _aad(record, field)).decode("utf-8")


def box_text(public: bytes, record, field: str, value: str) -> None:
    """Seal a field to a public key (a drop box): whoever writes it need not be able to read it
    back. A sealed box takes no associated data, so the binding to (model, field, record id)
    travels inside it and is checked on opening."""
    aad = _aad(record, field)
    setattr(record, field + "_boxed", crypto.seal_to(public, aad + b"\0" + value.encode("utf-8")))


def open_boxed(secret: bytes, record, field: str) -> str:
    blob = getattr(record, field + "_boxed")
    if not blob:
        raise Tampered("missing ciphertext")
    aad, _sep, value = crypto.open_sealed(secret, bytes(blob)).partition(b"\0")
    if aad != _aad(record, field):
        raise Tampered("sealed for another record or field")
    return value.decode("utf-8")


def reseal(old_key: bytes, new_key: bytes, record, fields) -> None:
    """Re-encrypt fields under a rotated key (the caller saves the record)."""
    for field in fields:
        seal_text(new_key, record, field, open_text(old_key, record, field))
