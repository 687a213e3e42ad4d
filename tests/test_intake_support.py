"""Helpers shared by the tests/test_intake_*.py files. This module holds no tests.

It drives the public site the way a browser does (no cookie, no JavaScript), reads the receipt off
the page, builds pictures that carry hidden metadata, and lists what is left under MEDIA_ROOT."""

import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, PngImagePlugin

from safepassage.intake.models import Attachment, Message, Thread
from safepassage.vault import datakeys

STORY = "Меня ищут родственники, я прячусь у подруги в Грозном. Secret-story-Qzx."
CONTACT = "Signal +7 999 123 45 67 Zxq"
REFERRER = "Тайный знакомый Wqv"

# What the applicant's camera hid in the pictures (tests/test_intake_attachments.py).
GPS = {1: "N", 2: (43.0, 19.0, 4.5), 3: "E", 4: (45.0, 41.0, 36.0)}
CAMERA_MAKER = "HiddenMakerQzx"
JPEG_COMMENT = b"Taken-at-Hidden-Lane-Zxq"
PNG_TEXT = "Hidden-Location-Wqv"
ICC_PROFILE = b"ICC profile of Device-Serial-Kvq"  # read back as-is; an ICC profile can name a device


def public_client() -> Client:
    """A browser that has never seen the site: Client() keeps cookies, so a test can check that
    none was ever set."""
    return Client()


def request_data(**overrides) -> dict:
    data = {"story": STORY, "urgency": "1", "region": "RU-CE", "contact": CONTACT, "referrer": REFERRER,
            "language": "en", "website": ""}
    data.update(overrides)
    return data


def post_request(client: Client, lang: str = "en", **overrides):
    return client.post(f"/{lang}/request/", request_data(**overrides))


RECEIPT = re.compile(r'<p class="receipt"[^>]*>(.*?)</p>', re.S)


def receipt_on(response) -> str:
    """The receipt phrase shown on a receipt page."""
    assert response.status_code == 200, response.content[:600]
    found = RECEIPT.search(response.content.decode())
    assert found, response.content.decode()[:2000]
    return html.unescape(found.group(1)).strip()


def submit_through_form(client: Client | None = None, lang: str = "en", **overrides) -> tuple[Thread, str]:
    """Send a request through the public form; the new thread and its receipt."""
    client = client or public_client()
    before = set(Thread.objects.values_list("pk", flat=True))
    phrase = receipt_on(post_request(client, lang, **overrides))
    new = Thread.objects.exclude(pk__in=before)
    assert new.count() == 1
    return new.get(), phrase


def follow_up(client: Client, receipt: str, lang: str = "en", **data):
    return client.post(f"/{lang}/follow-up/", {"receipt": receipt, **data})


def thread_key(staff, thread) -> bytes:
    return datakeys.open_for(thread.data_key, staff.user, staff.secret)


def intake_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "intake"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def nothing_saved() -> list[str]:
    """What a refused request left behind; [] when nothing."""
    left = []
    for model in (Thread, Message, Attachment):
        if model.objects.exists():
            left.append(f"{model.objects.count()} {model.__name__} row(s)")
    left += [str(p) for p in intake_files()]
    return left


# Pictures

def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A JPEG whose EXIF names the camera and where it was (GPS IFD, tag 0x8825), with a comment."""
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKER  # Make
    exif[0x8825] = GPS  # GPSInfo
    out = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(out, format="JPEG", exif=exif, comment=JPEG_COMMENT)
    return out.getvalue()


def png_with_text(size=(40, 30)) -> bytes:
    """A PNG with tEXt, iTXt, eXIf and iCCP chunks."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", PNG_TEXT)
    info.add_itxt("Comment", PNG_TEXT + "-itxt")
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKER
    out = io.BytesIO()
    Image.new("RGBA", size, (20, 90, 160, 255)).save(out, format="PNG", pnginfo=info, exif=exif,
                                                     icc_profile=ICC_PROFILE)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# HTML

class PageParser(HTMLParser):
    """Every start tag with its attributes, and the text of <title>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: (value or "") for name, value in attrs}))
        self._in_title = tag == "title"
        if self._in_title:
            self.titles.append("")

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, {name: (value or "") for name, value in attrs}))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.titles[-1] += data


def parse(response) -> PageParser:
    parser = PageParser()
    parser.feed(response.content.decode())
    parser.close()
    return parser
