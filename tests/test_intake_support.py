"""Helpers shared by the tests/test_intake_*.py files. This module holds no tests.

It drives the public site the way a browser does (no cookie, no JavaScript): every form is POSTed,
the answer must be a bare 303 redirect whose address holds nothing that was typed, and the page the
browser then GETs is what the helpers return. It reads the receipt off that page, builds pictures
that carry hidden metadata, and lists what is left under MEDIA_ROOT."""

import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit

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


# What a person types into the public forms (the other fields are choices from a list).
TYPED_FIELDS = ("story", "contact", "referrer", "website", "receipt", "body")
# Every address a public form may lead to: a page, a random token (secrets.token_urlsafe(24), see
# handoff.py) and a fixed code. Nothing in this shape can carry what was typed.
TOKEN = r"[A-Za-z0-9_-]{32}"
WHERE_A_FORM_LEADS = re.compile(
    rf"/(?:en|fr|ru)/(?:request/(?:sent/{TOKEN}/)?|follow-up/(?:{TOKEN}/)?)?"
    rf"(?:\?(?:draft={TOKEN}|failed=1|sent=1|problem=(?:too_large|busy|attempts|closed|expired)))?")


def typed_text(data: dict) -> list[str]:
    """The typed values of a form (of 4 characters or more: a shorter one is found anywhere)."""
    values = (str(data.get(name) or "").strip() for name in TYPED_FIELDS)
    return [value for value in values if len(value) >= 4]


def assert_holds_nothing_typed(location: str, data: dict) -> None:
    """The address is one of the site's own shapes, and no typed value is in it, as sent or
    decoded, in any case."""
    assert WHERE_A_FORM_LEADS.fullmatch(location), location
    for text in typed_text(data):
        for seen in (location, unquote_plus(location)):
            assert text.casefold() not in seen.casefold(), (text, location)


def assert_see_other(response, data: dict | None = None) -> str:
    """A public POST answers only with a 303 to a page of the site: no body, no cookie, and an
    address that holds nothing the person typed (it is kept in the browser's history). The path
    and query it leads to."""
    assert response.status_code == 303, (response.status_code, response.content[:600])
    assert response.content == b"", response.content[:600]
    assert not response.cookies and "Set-Cookie" not in response.headers
    location = response["Location"]
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc and location.startswith("/"), location
    assert_holds_nothing_typed(location, data or {})
    return location


def post(client: Client, path: str, data: dict):
    """POST a public form as a browser does, then GET the page the 303 leads to: that page is
    returned, with `.posted` (the POST's own answer) and `.url` (the address now in the bar)."""
    posted = client.post(path, data)
    url = assert_see_other(posted, data)
    page = client.get(url)
    assert not page.cookies and "Set-Cookie" not in page.headers
    page.posted, page.url = posted, url
    return page


def post_request(client: Client, lang: str = "en", **overrides):
    """Send the request form; the page shown next (the receipt, the form again, or a refusal)."""
    return post(client, f"/{lang}/request/", request_data(**overrides))


RECEIPT_LIST = re.compile(r'<ol class="receipt"[^>]*>(.*?)</ol>', re.S)
RECEIPT_WORD = re.compile(r"<li>(.*?)</li>", re.S)


def receipt_words_shown(response) -> list[str]:
    """The words of the receipt as the page lists them ([] when the page shows no receipt)."""
    found = RECEIPT_LIST.search(response.content.decode())
    return [html.unescape(w).strip() for w in RECEIPT_WORD.findall(found.group(1))] if found else []


def receipt_on(response) -> str:
    """The receipt phrase shown on a receipt page (/request/sent/<token>/): the one the view put in
    its context, checked against the words the page lists."""
    assert response.status_code == 200, response.content[:600]
    assert response.context and "receipt" in response.context, response.content.decode()[:2000]
    phrase = response.context["receipt"]
    assert list(response.context["words"]) == phrase.split() == receipt_words_shown(response), phrase
    return phrase


def submit_through_form(client: Client | None = None, lang: str = "en", **overrides) -> tuple[Thread, str]:
    """Send a request through the public form; the new thread and its receipt."""
    client = client or public_client()
    before = set(Thread.objects.values_list("pk", flat=True))
    phrase = receipt_on(post_request(client, lang, **overrides))
    new = Thread.objects.exclude(pk__in=before)
    assert new.count() == 1
    return new.get(), phrase


CONVERSATION = re.compile(r"^/(?:en|fr|ru)/follow-up/([\w-]+)/$")


def open_conversation(client: Client, receipt: str, lang: str = "en"):
    """Type the receipt: the page shown next (the conversation under /follow-up/<token>/ when the
    receipt is right)."""
    return post(client, f"/{lang}/follow-up/", {"receipt": receipt})


def conversation_path(page) -> str:
    """Where a conversation page's forms go: /<lang>/follow-up/<new token>/. Each token opens the
    conversation once, so this is the page's fresh token, not the address it was loaded from."""
    loaded = urlsplit(page.url).path
    assert CONVERSATION.match(loaded), page.url
    path = f"/{loaded.split('/')[1]}/follow-up/{page.context['token']}/"
    body = page.content.decode()
    assert path != loaded and f'action="{path}close/"' in body, path
    # A declined conversation has no message form, only the close form.
    assert f'action="{path}"' in body or 'name="body"' not in body, path
    return path


def send_message(client: Client, page, body: str = "", files=()):
    """Write from an open conversation page; the page shown next."""
    return post(client, conversation_path(page), {"body": body, "files": list(files)})


def follow_up(client: Client, receipt: str, lang: str = "en", **message):
    """Open the conversation with the receipt; with `body` and/or `files`, also send a message
    from it. The page shown last."""
    page = open_conversation(client, receipt, lang)
    if not message:
        return page
    assert page.status_code == 200 and CONVERSATION.match(urlsplit(page.url).path), (page.url, page.status_code)
    return send_message(client, page, **message)


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
