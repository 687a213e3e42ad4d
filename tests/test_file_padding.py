"""Sealed files are padded to Padmé sizes: two photos of different sizes in one bucket look the
same on disk, and the sizes kept in the clear are the bucket, not the exact size. The exact
content comes back whole; files sealed unpadded by earlier releases still open."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safepassage.vault import crypto, files
from safepassage.vault.errors import Tampered

KEY = crypto.random_key()


def old_format(key, file_id, data: bytes) -> bytes:
    """What releases before padding wrote (SPF1): the same chunks, unpadded."""
    chunks = [data[i:i + files.CHUNK] for i in range(0, len(data), files.CHUNK)] or [b""]
    return b"SPF1" + b"".join(crypto.aead_seal(key, c, files._aad(file_id, i, i == len(chunks) - 1))
                              for i, c in enumerate(chunks))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200_000))
def test_a_file_comes_back_exactly_and_its_sealed_size_depends_only_on_its_bucket(data):
    blob = files.seal(KEY, "f", data)
    assert files.open(KEY, "f", blob) == data
    twin = bytes(files.padme(len(data) + 8) - 8)  # the largest content of the same bucket
    assert len(files.seal(KEY, "g", twin)) == len(blob)


def test_two_photos_of_different_sizes_in_one_bucket_look_alike_on_disk():
    assert files.padme(1_000_000) == files.padme(1_010_000)
    assert len(files.seal(KEY, "a", b"x" * 1_000_000)) == len(files.seal(KEY, "b", b"y" * 1_010_000))
    assert files.padme(1_000_000) - 1_000_000 <= 0.12 * 1_000_000


def test_a_changed_length_or_padding_is_refused():
    blob = bytearray(files.seal(KEY, "f", b"hello world"))
    blob[-1] ^= 1
    with pytest.raises(Tampered):
        files.open(KEY, "f", bytes(blob))


def test_files_sealed_by_an_earlier_release_still_open():
    data = b"an old photo" * 10_000
    assert files.open(KEY, "f", old_format(KEY, "f", data)) == data
