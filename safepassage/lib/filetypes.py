"""What a file is, read from its content and never from its name, and a copy of a picture
without its metadata. Shared by the public intake and the evidence files."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# A photo from a phone is a few MB; anything bigger than this is not a photo we can use.
Image.MAX_IMAGE_PIXELS = 40_000_000


@dataclass(frozen=True)
class Kind:
    kind: str  # image, pdf, audio, video
    media_type: str
    extension: str
    image_format: str | None = None  # Pillow's name, for images


JPEG = Kind("image", "image/jpeg", "jpg", "JPEG")
PNG = Kind("image", "image/png", "png", "PNG")
PDF = Kind("pdf", "application/pdf", "pdf")
OGG = Kind("audio", "audio/ogg", "ogg")
MP3 = Kind("audio", "audio/mpeg", "mp3")
WAV = Kind("audio", "audio/wav", "wav")
M4A = Kind("audio", "audio/mp4", "m4a")
MP4 = Kind("video", "video/mp4", "mp4")
WEBM = Kind("video", "video/webm", "webm")
BY_MEDIA_TYPE = {k.media_type: k for k in (JPEG, PNG, PDF, OGG, MP3, WAV, M4A, MP4, WEBM)}


def detect(data: bytes, allowed=("image", "pdf", "audio", "video")) -> Kind | None:
    found = None
    if data.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif data.startswith(b"%PDF-"):
        found = PDF
    elif data.startswith(b"OggS"):
        found = OGG
    elif data.startswith(b"ID3") or data[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        found = MP3
    elif data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        found = WAV
    elif data[4:8] == b"ftyp":
        found = M4A if data[8:12] in (b"M4A ", b"M4B ") else MP4
    elif data.startswith(b"\x1a\x45\xdf\xa3"):
        found = WEBM
    return found if found is not None and found.kind in allowed else None


def clean_image(data: bytes, fmt: str) -> bytes:
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
