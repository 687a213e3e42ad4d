"""Encrypted attachment files on disk: media/intake/<uuid>.orig and <uuid>.work. The names
carry nothing but the row's UUID."""

import os
from pathlib import Path

from django.conf import settings

VARIANTS = ("orig", "work")


def path(attachment_id, variant: str) -> Path:
    assert variant in VARIANTS
    return Path(settings.MEDIA_ROOT) / "intake" / f"{attachment_id}.{variant}"


def write(attachment_id, variant: str, blob: bytes) -> Path:
    target = path(attachment_id, variant)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(target)
    return target


def read(attachment_id, variant: str) -> bytes:
    return path(attachment_id, variant).read_bytes()


def delete(paths) -> None:
    for p in paths:
        Path(p).unlink(missing_ok=True)
