"""Checking and cleaning files sent by applicants. The type is read from the content, never
from the name; images get a working copy re-encoded without EXIF, GPS or XMP metadata."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safepassage.lib import filetypes


@dataclass
class Upload:
    name: str
    kind: str
    original: bytes
    working: bytes


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
        kind = filetypes.detect(data, allowed=("image", "pdf"))
        if kind is None:
            raise ValidationError(_("Only photos (JPEG or PNG) and PDF documents can be sent."))
        working = filetypes.clean_image(data, kind.image_format) if kind.kind == "image" else data
        uploads.append(Upload(name=(f.name or "file")[:200], kind=kind.kind, original=data, working=working))
    return uploads
