"""Encrypted files on disk: media/<area>/<uuid>.<variant>. The names carry nothing but the
row's UUID; what is inside was sealed (vault/files.py) before it reached this module."""

import os
from pathlib import Path

from django.conf import settings

AREAS = ("intake", "evidence", "dossiers", "links")
VARIANTS = ("orig", "work")


def path(area: str, file_id, variant: str) -> Path:
    assert area in AREAS and variant in VARIANTS
    return Path(settings.MEDIA_ROOT) / area / f"{file_id}.{variant}"


def write(area: str, file_id, variant: str, blob: bytes) -> Path:
    target = path(area, file_id, variant)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(target)
    return target


def read(area: str, file_id, variant: str) -> bytes:
    return path(area, file_id, variant).read_bytes()


def delete(paths) -> None:
    for p in paths:
        Path(p).unlink(missing_ok=True)
