"""File encryption in chunks: each 64 KiB chunk is sealed with XChaCha20-Poly1305 under the
thread's or case's key, its associated data binding (file id, chunk index, last-chunk flag),
so chunks cannot be reordered, dropped, truncated or moved to another file."""

import struct

from . import crypto
from .errors import Tampered

CHUNK = 64 * 1024
_OVERHEAD = 1 + 24 + 16  # version + nonce + tag (crypto.aead_seal's format)
_HEADER = b"SPF1"


def _aad(file_id, index: int, last: bool) -> bytes:
    return b"safepassage:file:" + str(file_id).encode() + struct.pack(">Q?", index, last)


def seal(key: bytes, file_id, data: bytes) -> bytes:
    chunks = [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
    out = [_HEADER]
    for i, chunk in enumerate(chunks):
        out.append(crypto.aead_seal(key, chunk, _aad(file_id, i, i == len(chunks) - 1)))
    return b"".join(out)


def open(key: bytes, file_id, blob: bytes) -> bytes:  # noqa: A001 - mirrors seal()
    if not blob.startswith(_HEADER):
        raise Tampered("not a sealed file")
    body, size, parts, i = blob[len(_HEADER):], CHUNK + _OVERHEAD, [], 0
    if not body:
        raise Tampered("no chunks")
    while body:
        piece, body = body[:size], body[size:]
        parts.append(crypto.aead_open(key, piece, _aad(file_id, i, not body)))
        i += 1
    return b"".join(parts)
