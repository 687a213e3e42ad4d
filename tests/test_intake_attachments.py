"""Files sent by applicants: limits on size, type, number and total body size refuse the whole
request with a clear message and save nothing (the form comes back through a redirect, its text
kept, its files to be chosen again); pictures get a working copy without EXIF, GPS, comments or
text chunks, while the untouched original (coordinators only) keeps its sealed SHA-256."""

import hashlib
import io

import pytest
from django.core.cache import cache
from django.test import override_settings
from PIL import Image

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.intake.models import Attachment, Message, Thread
from safepassage.vault import fields
from safepassage.vault.files import padme

from .conftest import sign_in
from .test_intake_support import (
    CAMERA_MAKER,
    ICC_PROFILE,
    JPEG_COMMENT,
    PNG_TEXT,
    STORY,
    follow_up,
    intake_files,
    jpeg_with_gps,
    nothing_saved,
    open_conversation,
    pdf_bytes,
    png_with_text,
    post,
    public_client,
    receipt_on,
    request_data,
    send_message,
    submit_through_form,
    thread_key,
    upload,
)

pytestmark = pytest.mark.django_db

TYPE_ERROR = "Only photos (JPEG or PNG) and PDF documents can be sent."
UNREADABLE = "A picture could not be read."
TOO_LARGE = "What you sent is too large. Please send fewer or smaller files, or a shorter text."


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def send(client, *files, lang="en", **overrides):
    """Send the request form with files; the page shown next."""
    return post(client, f"/{lang}/request/", {**request_data(**overrides), "files": list(files)})


def refused(response, text: str) -> None:
    """The form again (through ?draft=), saying why, with what was typed and nothing saved."""
    assert response.status_code == 200 and "?draft=" in response.url, response.url
    body = response.content.decode()
    assert text in body, body[body.find("<main>"):][:1500]
    assert 'class="receipt"' not in body and STORY in body
    assert nothing_saved() == []


@override_settings(INTAKE_MAX_FILE_BYTES=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused_and_nothing_is_saved(org):
    big = pdf_bytes() + b"0" * (1024 * 1024)
    response = send(public_client(), upload("ok.pdf", pdf_bytes()), upload("big.pdf", big))
    refused(response, "A file is too large. Each file may be at most 1 MB.")


@pytest.mark.parametrize(("name", "data"), [
    ("notes.txt", b"just some text, not a picture"),
    ("photo.jpg", b"this is not a JPEG at all"),
    ("photo.jpg", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ("photo.png", b"<html><script>alert(1)</script></html>"),
    ("scan.pdf", b"MZ\x90\x00 a Windows program"),
    ("empty.jpg", b""),
], ids=["txt", "fake-jpg", "gif-named-jpg", "html-named-png", "exe-named-pdf", "empty"])
def test_a_file_that_is_not_a_photo_or_pdf_by_its_content_is_refused_and_nothing_is_saved(org, name, data):
    # A good file in the same request is not kept either: the request is refused as a whole.
    response = send(public_client(), upload("good.jpg", jpeg_with_gps()), upload(name, data, "image/jpeg"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="receipt"' not in body and 'class="alert"' in body
    # The reason survives the redirect, even when the form itself refused the file (an empty one).
    assert (TYPE_ERROR if data else "The submitted file is empty.") in body
    assert nothing_saved() == []


@pytest.mark.parametrize("data", [
    b"\xff\xd8\xff\xe0" + b"\x00garbage" * 20,
    jpeg_with_gps()[:200],
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    png_with_text()[:60],
], ids=["jpeg-magic-garbage", "truncated-jpeg", "png-magic-garbage", "truncated-png"])
def test_a_corrupt_picture_is_refused_and_nothing_is_saved(org, data):
    refused(send(public_client(), upload("photo.jpg", data, "image/jpeg")), UNREADABLE)


@override_settings(INTAKE_MAX_FILES=2)
def test_more_files_than_allowed_are_refused_and_nothing_is_saved(org):
    files = [upload(f"scan{i}.pdf", pdf_bytes(), "application/pdf") for i in range(3)]
    refused(send(public_client(), *files), "Please send at most 2 files at a time.")


@override_settings(INTAKE_MAX_FILES=2)
def test_exactly_the_allowed_number_of_files_is_accepted(org):
    files = [upload(f"scan{i}.pdf", pdf_bytes(), "application/pdf") for i in range(2)]
    receipt_on(send(public_client(), *files))
    assert Attachment.objects.count() == 2 and len(intake_files()) == 4


def test_files_are_refused_once_storage_is_full_and_nothing_is_saved(org, settings):
    settings.INTAKE_STORAGE_CAP_BYTES = 10
    refused(send(public_client(), upload("scan.pdf", pdf_bytes())), "We cannot accept files right now.")
    # Text alone still goes through.
    receipt_on(send(public_client()))
    assert Thread.objects.count() == 1 and not intake_files()


@override_settings(INTAKE_MAX_BODY_BYTES=20_000)
def test_a_request_body_over_the_limit_gets_413_and_nothing_is_saved(org):
    response = send(public_client(), upload("scan.pdf", pdf_bytes() + b"0" * 30_000))
    assert response.status_code == 413 and response.posted["Location"] == "/en/request/?problem=too_large"
    assert "What you sent is too large." in response.content.decode()
    assert nothing_saved() == []


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=3)
def test_more_files_than_django_parses_are_refused_like_a_body_over_the_limit(org):
    files = [upload(f"scan{i}.pdf", pdf_bytes(), "application/pdf") for i in range(4)]
    response = send(public_client(), *files)
    assert response.status_code == 413 and response.posted["Location"] == "/en/request/?problem=too_large"
    assert nothing_saved() == []


def test_text_over_what_django_parses_is_refused_like_a_body_over_the_limit(org, settings):
    story = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    for response in (send(public_client(), story=story), send(public_client(), upload("a.pdf", pdf_bytes()),
                                                               story=story)):
        assert response.status_code == 413 and response.posted["Location"] == "/en/request/?problem=too_large"
    assert nothing_saved() == []


def test_a_follow_up_body_over_the_limit_is_refused_on_the_conversation_page_and_adds_nothing(org, settings):
    thread, phrase = submit_through_form()
    settings.INTAKE_MAX_BODY_BYTES = 20_000
    client = public_client()
    response = follow_up(client, phrase, body="hello", files=[upload("scan.pdf", pdf_bytes() + b"0" * 30_000)])
    body = response.content.decode()
    # The conversation itself, not a page of its own: the person keeps it, told why on the form.
    assert response.status_code == 200 and response.url.endswith("/?problem=too_large")
    assert "Your conversation" in body and STORY in body and 'name="body"' in body
    assert body.count(TOO_LARGE) == 1 and 'class="alert"' in body and "Your message was sent." not in body
    assert Message.objects.count() == 0 and Attachment.objects.count() == 0 and not intake_files()
    # And it can write again from there, under the page's own new token.
    sent = send_message(client, response, body="hello")
    assert "Your message was sent." in sent.content.decode() and TOO_LARGE not in sent.content.decode()
    assert Message.objects.get().from_applicant and Attachment.objects.count() == 0


def test_a_bad_file_in_a_follow_up_message_is_refused_and_adds_nothing(org):
    thread, phrase = submit_through_form()
    client = public_client()
    conversation = open_conversation(client, phrase)
    response = send_message(client, conversation, body="Here is the photo",
                            files=[upload("good.pdf", pdf_bytes()), upload("photo.jpg", b"not a photo")])
    body = response.content.decode()
    assert response.status_code == 200 and TYPE_ERROR in body and "Your message was sent." not in body
    assert "?draft=" in response.url and "Here is the photo" in body  # the text is kept to send again
    assert Message.objects.count() == 0 and Attachment.objects.count() == 0 and not intake_files()
    thread.refresh_from_db()
    assert thread.status == "new"
    # An empty file, refused by the form itself, says so too.
    # From the page now shown: the first page's token was used by the first message.
    response = send_message(client, response, body="Again", files=[upload("photo.jpg", b"")])
    assert "The submitted file is empty." in response.content.decode() and Message.objects.count() == 0


def test_an_applicant_can_send_a_file_in_a_follow_up_message(org):
    thread, phrase = submit_through_form()
    response = follow_up(public_client(), phrase, body="", files=[upload("more.pdf", pdf_bytes())])
    assert "Your message was sent." in response.content.decode() and "1 file sent" in response.content.decode()
    assert response.url.endswith("/?sent=1")
    att = Attachment.objects.get()
    assert att.message == Message.objects.get() and att.message.from_applicant


@pytest.fixture
def photo_request(org):
    """A request with a JPEG carrying GPS and a PNG carrying text chunks; and a hotline operator."""
    hotline = org.add("hotline", roles.HOTLINE)
    jpeg, png = jpeg_with_gps(), png_with_text()
    receipt_on(send(public_client(), upload("IMG_2041.jpg", jpeg, "image/jpeg"), upload("map.png", png, "image/png")))
    thread = Thread.objects.get()
    by_name = {fields.open_text(thread_key(org.coordinator, thread), a, "name"): a for a in thread.attachments.all()}
    return org, hotline, thread, {"jpeg": (by_name["IMG_2041.jpg"], jpeg), "png": (by_name["map.png"], png)}


def _url(thread, att, original=False) -> str:
    return f"/staff/intake/{thread.pk}/files/{att.pk}/" + ("?original=1" if original else "")


def test_the_uploaded_pictures_really_carry_metadata():
    """The control for the tests below: the pictures hold what the working copy must lose."""
    jpeg = Image.open(io.BytesIO(jpeg_with_gps()))
    assert jpeg.getexif().get_ifd(0x8825)[2] == (43.0, 19.0, 4.5)
    assert jpeg.info["comment"] == JPEG_COMMENT
    png = Image.open(io.BytesIO(png_with_text()))
    assert png.text["Location"] == PNG_TEXT and CAMERA_MAKER.encode() in png_with_text()
    assert png.info["icc_profile"] == ICC_PROFILE


def test_the_working_copy_of_a_jpeg_has_no_exif_gps_or_comment(photo_request):
    org, _hotline, thread, files = photo_request
    response = sign_in(org.coordinator).get(_url(thread, files["jpeg"][0]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    data = response.content
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (64, 48)  # still the same picture
    assert dict(image.getexif()) == {} and image.getexif().get_ifd(0x8825) == {}
    assert "exif" not in image.info and "comment" not in image.info
    for marker in (b"Exif\x00\x00", CAMERA_MAKER.encode(), JPEG_COMMENT):
        assert marker not in data


def test_the_working_copy_of_a_png_has_no_text_or_exif_chunk(photo_request):
    org, _hotline, thread, files = photo_request
    data = sign_in(org.coordinator).get(_url(thread, files["png"][0])).content
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (40, 30)
    assert getattr(image, "text", {}) == {} and "exif" not in image.info and "icc_profile" not in image.info
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", PNG_TEXT.encode(), CAMERA_MAKER.encode()):
        assert chunk not in data


def test_a_sideways_photo_stays_upright_once_its_exif_is_removed(org):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    out = io.BytesIO()
    Image.new("RGB", (60, 20), (0, 0, 0)).save(out, format="JPEG", exif=exif)
    receipt_on(send(public_client(), upload("sideways.jpg", out.getvalue())))
    thread = Thread.objects.get()
    data = sign_in(org.coordinator).get(_url(thread, Attachment.objects.get())).content
    assert Image.open(io.BytesIO(data)).size == (20, 60)


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_a_coordinator_gets_the_original_byte_for_byte_and_its_sealed_sha256_matches(photo_request, kind):
    org, _hotline, thread, files = photo_request
    att, uploaded = files[kind]
    response = sign_in(org.coordinator).get(_url(thread, att, original=True))
    assert response.status_code == 200
    assert response.content == uploaded
    key = thread_key(org.coordinator, thread)
    assert fields.open_text(key, att, "sha256") == hashlib.sha256(uploaded).hexdigest()
    assert att.size == padme(len(uploaded))  # rounded up: the exact size stays inside the ciphertext
    # Sealed, not plain: the stored column is not the digest.
    assert hashlib.sha256(uploaded).hexdigest().encode() not in bytes(att.sha256_sealed)


def test_a_hotline_operator_gets_the_working_copy_but_not_the_original(photo_request):
    _org, hotline, thread, files = photo_request
    client = sign_in(hotline)
    att, uploaded = files["jpeg"]
    assert client.get(_url(thread, att, original=True)).status_code == 403
    working = client.get(_url(thread, att))
    assert working.status_code == 200 and working.content != uploaded
    page = client.get(f"/staff/intake/{thread.pk}/").content.decode()
    assert "?original=1" not in page and _url(thread, att) in page


def test_reading_a_file_is_audited_with_its_variant_and_the_file_name_never_leaves_in_a_header(photo_request):
    org, _hotline, thread, files = photo_request
    client = sign_in(org.coordinator)
    att = files["jpeg"][0]
    response = client.get(_url(thread, att, original=True))
    assert response["Content-Disposition"] == "inline" and "IMG_2041" not in str(response.headers)
    assert response["X-Content-Type-Options"] == "nosniff"
    client.get(_url(thread, att))
    variants = [e.details["variant"] for e in AuditEvent.objects.filter(action="intake.file_read")]
    assert variants == ["orig", "work"]
    assert all(e.details["file"] == str(att.pk) for e in AuditEvent.objects.filter(action="intake.file_read"))


def test_the_files_on_disk_are_sealed_and_named_by_uuid_only(photo_request):
    _org, _hotline, thread, files = photo_request
    stored = intake_files()
    assert sorted(p.name for p in stored) == sorted(f"{a.pk}.{v}" for a, _d in files.values()
                                                    for v in ("orig", "work"))
    for path in stored:
        data = path.read_bytes()
        assert data.startswith(b"SPF2")
        for marker in (b"\xff\xd8\xff", b"\x89PNG", b"GPS", CAMERA_MAKER.encode(), JPEG_COMMENT, PNG_TEXT.encode()):
            assert marker not in data


def test_a_file_of_another_thread_is_404(photo_request):
    org, _hotline, thread, files = photo_request
    other, _phrase = submit_through_form()
    client = sign_in(org.coordinator)
    assert client.get(_url(other, files["jpeg"][0])).status_code == 404
    assert client.get(f"/staff/intake/{thread.pk}/files/{other.pk}/").status_code == 404
