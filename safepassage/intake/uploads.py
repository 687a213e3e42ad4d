"""Checking and cleaning files sent by applicants. The type is read from the content, never
from the name; images get a working copy re-encoded without EXIF, GPS or XMP metadata."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# A photo from a phone is a few MB; anything bigger than this is not a photo we can use.
Image.MAX_IMAGE_PIXELS = 40_000_000

_MAGIC = [(b"\xff\xd8\xff", "image", "JPEG"), (b"\x89PNG\r\n\x1a\n", "image", "PNG"), (b"%PDF-", "pdf", None)]


@dataclass
class Upload:
    name: str
    kind: str
    original: bytes
    working: bytes


def _kind(data: bytes):
    for magic, kind, fmt in _MAGIC:
        if data.startswith(magic):
            return kind, fmt
    return None, None


def _clean_image(data: bytes, fmt: str) -> bytes:
    """Decode and re-encode the pixels only: nothing else of the original file survives."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            img = ImageOps.exif_transpose(img)  # keep the picture upright once EXIF is gone
            if fmt == "JPEG":
                img = img.convert("RGB")
            elif img.mode not in ("RGB", "RGBA", "L", "LA"):
                img = img.convert("RGBA")
            # Pillow writes some of img.info back out (a JPEG's comment, a PNG's ICC profile).
            img.info = {k: v for k, v in img.info.items() if k == "transparency"}
            out = io.BytesIO()
            img.save(out, format=fmt, quality=90) if fmt == "JPEG" else img.save(out, format=fmt)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("A picture could not be read. Try another one, or send it as a PDF.")) from exc


def inspect(files) -> list[Upload]:
    """All files checked and cleaned before anything is stored, so a bad one saves nothing."""
    files = [f for f in files if f]
    if len(files) > settings.INTAKE_MAX_FILES:
        raise ValidationError(_("Please send at most %(n)s files at a time.") % {"n": settings.INTAKE_MAX_FILES})
    uploads = []
    for f in files:
        if f.size > settings.INTAKE_MAX_FILE_BYTES:
            raise ValidationError(_("A file is too large. Each file may be at most %(mb)s MB.")
                                  % {"mb": settings.INTAKE_MAX_FILE_BYTES // (1024 * 1024)})
        data = f.read()
        kind, fmt = _kind(data)
        if kind is None:
            raise ValidationError(_("Only photos (JPEG or PNG) and PDF documents can be sent."))
        working = _clean_image(data, fmt) if kind == "image" else data
        uploads.append(Upload(name=(f.name or "file")[:200], kind=kind, original=data, working=working))
    return uploads
