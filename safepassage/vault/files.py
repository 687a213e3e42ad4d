"""File encryption in chunks: each 64 KiB chunk is sealed with XChaCha20-Poly1305 under the
thread's or case's key, its associated data binding (file id, chunk index, last-chunk flag),
so chunks cannot be reordered, dropped, truncated or moved to another file.

Before sealing, the content is padded to a Padmé size (at most 12 % more, fewer distinct sizes
the larger the file), its true length sealed inside: a known photo cannot be recognised on disk by
its exact size (format SPF2; files sealed before, SPF1, still open)."""

import struct

from . import crypto
from .errors import Tampered

CHUNK = 64 * 1024
_OVERHEAD = 1 + 24 + 16  # version + nonce + tag (crypto.aead_seal's format)
_HEADER = b"SPF2"
_OLD_HEADER = b"SPF1"  # unpadded, written by earlier releases
_LENGTH = struct.Struct(">Q")


def padme(length: int) -> int:
    """The Padmé bucket of a length (Nikitin et al., 2019): round up, keeping the top
    log2(log2(length)) + 1 bits, so the size leaks O(log log length) bits."""
    if length < 2:
        return length
    exponent = length.bit_length() - 1
    kept = exponent.bit_length()
    mask = (1 << max(exponent - kept, 0)) - 1
    return (length + mask) & ~mask


def _aad(file_id, index: int, last: bool) -> bytes:
    return b"safepassage:file:" + str(file_id).encode() + struct.pack(">Q?", index, last)


def seal(key: bytes, file_id, data: bytes) -> bytes:
    framed = _LENGTH.pack(len(data)) + data
    framed += bytes(padme(len(framed)) - len(framed))
    chunks = [framed[i:i + CHUNK] for i in range(0, len(framed), CHUNK)] or [b""]
    out = [_HEADER]
    for i, chunk in enumerate(chunks):
        out.append(crypto.aead_seal(key, chunk, _aad(file_id, i, i == len(chunks) - 1)))
    return b"".join(out)


def open(key: bytes, file_id, blob: bytes) -> bytes:  # noqa: A001 - mirrors seal()
    padded = blob.startswith(_HEADER)
    if not padded and not blob.startswith(_OLD_HEADER):
        raise Tampered("not a sealed file")
    body, size, parts, i = blob[len(_HEADER):], CHUNK + _OVERHEAD, [], 0
    if not body:
        raise Tampered("no chunks")
    while body:
        piece, body = body[:size], body[size:]
        parts.append(crypto.aead_open(key, piece, _aad(file_id, i, not body)))
        i += 1
    content = b"".join(parts)
    if not padded:
        return content
    if len(content) < _LENGTH.size:
        raise Tampered("no sealed length")
    (length,) = _LENGTH.unpack_from(content)
    if length > len(content) - _LENGTH.size or any(content[_LENGTH.size + length:]):
        raise Tampered("padding does not match the sealed length")
    return content[_LENGTH.size:_LENGTH.size + length]
