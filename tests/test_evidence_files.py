"""Evidence files with a chain of custody: a sealed fingerprint of the untouched original, a
working copy without metadata, every action in a hash-chained custody log with its audit event,
exports that name neither the file nor the staff, refusals, who may do what, key rotation and
erasure."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from safepassage.accounts import roles
from safepassage.audit.models import AuditEvent
from safepassage.cases.actions import core as case_actions
from safepassage.evidence import vocabularies
from safepassage.evidence.actions import files as actions
from safepassage.evidence.actions import incidents
from safepassage.evidence.models import CustodyEntry, EvidenceFile
from safepassage.lib import storage
from safepassage.vault import datakeys, fields
from safepassage.vault import files as sealed_files

from .conftest import erase_with_two_coordinators, sign_in
from .test_shelters_support import make_case, tables_containing

pytestmark = pytest.mark.django_db

NAME = "injuries-Qzxvor-checkpoint.png"
DESCRIPTION = "Photo of the injuries taken near Zqvorsk"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
ACTIONS = ["ingested", "viewed", "downloaded", "original_viewed", "working_replaced", "verified", "exported"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(org):
    staff = {
        "coordinator": org.coordinator,
        "coordinator2": org.add("coord2", roles.COORDINATOR),
        "caseworker": org.add("worker", roles.CASEWORKER),
        "outsider": org.add("outsider", roles.COORDINATOR, roles.CASEWORKER),
    }
    case = make_case(staff["coordinator"], staff["coordinator2"], staff["caseworker"])
    return staff, case


def png(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Qzx Phone Maker"  # Make
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 21.0, 3.5)})  # GPS latitude
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(data, name=NAME):
    return SimpleUploadedFile(name, data)


def url(case, f=None, rest=""):
    return f"/staff/cases/{case.pk}/files/" + (f"{f.pk}/" if f else "") + rest


def add_file(staff, case, data=None, name=NAME) -> EvidenceFile:
    return actions.ingest(staff.user, staff.secret, case=case, upload=upload(data or png(), name),
                          description=DESCRIPTION)


def blobs(f):
    return [storage.path("evidence", f.pk, variant) for variant in storage.VARIANTS]


def files_on_disk(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_an_uploaded_file_keeps_a_sealed_fingerprint_and_nothing_in_the_clear(people):
    staff, case = people
    data = png()
    response = sign_in(staff["caseworker"]).post(url(case, rest="new/"),
                                                 {"upload": upload(data), "description": DESCRIPTION})
    f = EvidenceFile.objects.get()
    assert response.status_code == 302 and response["Location"] == url(case)
    opened = actions.open_file(staff["coordinator"].user, staff["coordinator"].secret, f)
    assert (opened.sha256, opened.name, opened.description) == (hashlib.sha256(data).hexdigest(), NAME, DESCRIPTION)
    assert (f.case, f.kind, f.media_type, f.size) == (case, "image", "image/png", sealed_files.padme(len(data)))
    working = actions.read_working(staff["caseworker"].user, staff["caseworker"].secret, f)
    original_blob, working_blob = (p.read_bytes() for p in blobs(f))
    assert data[:32] not in original_blob and working[:32] not in working_blob
    assert tables_containing(NAME) == [] and tables_containing(DESCRIPTION) == []


def test_the_working_copy_of_a_photo_has_no_exif_and_the_original_is_untouched(people):
    staff, case = people
    data = jpeg_with_exif()
    f = add_file(staff["caseworker"], case, data, name="photo.jpg")
    working = sign_in(staff["caseworker"]).get(url(case, f, "working/"))
    assert working.status_code == 200 and working["Content-Type"] == "image/jpeg"
    assert not Image.open(io.BytesIO(working.content)).getexif()
    assert b"Qzx Phone Maker" not in working.content
    original = sign_in(staff["coordinator"]).get(url(case, f, "original/"))
    assert original.status_code == 200 and original.content == data


def test_every_action_on_a_file_is_in_its_custody_log_in_order_with_its_audit_event(people):
    staff, case = people
    worker, coordinator = sign_in(staff["caseworker"]), sign_in(staff["coordinator"])
    w, c = staff["caseworker"].user, staff["coordinator"].user
    statuses = [worker.post(url(case, rest="new/"), {"upload": upload(png()), "description": DESCRIPTION})]
    f = EvidenceFile.objects.get()
    statuses += [worker.get(url(case, f, "working/")), worker.get(url(case, f, "download/")),
                 coordinator.get(url(case, f, "original/")),
                 worker.post(url(case, f, "replace/"), {"upload": upload(png((0, 0, 255)))}),
                 coordinator.post(url(case, f, "verify/")),
                 coordinator.post(url(case, f, "export/"), {"purpose": "court"})]
    assert [r.status_code for r in statuses] == [302, 200, 200, 200, 302, 302, 200]
    entries = list(CustodyEntry.objects.filter(file=f).order_by("seq"))
    assert [(e.seq, e.action, e.actor) for e in entries] == list(zip(
        range(1, 8), ACTIONS, [w, w, w, c, w, c, c], strict=True))
    for e in entries:
        event = AuditEvent.objects.get(action=f"file.{e.action}")
        assert event.actor == str(e.actor.uuid)
        assert event.details == {"file": str(f.pk), **e.details}
    assert entries[5].details == {"original_matches": True, "log_intact": True}
    assert actions.chain_intact(f) == (True, None)


def test_an_export_carries_the_files_and_the_log_but_no_names(people):
    staff, case = people
    data = png()
    f = add_file(staff["caseworker"], case, data)
    response = sign_in(staff["coordinator"]).post(url(case, f, "export/"), {"purpose": "dossier"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    disposition = response["Content-Disposition"]
    assert f.short_ref in disposition and "injuries" not in disposition and NAME not in disposition
    z = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(z.namelist()) == {"original.png", "working.png", "custody.json", "custody.csv", "MANIFEST.txt"}
    assert z.read("original.png") == data
    log = json.loads(z.read("custody.json"))
    assert [e["action"] for e in log["entries"]] == ["ingested", "exported"]
    assert [e["actor"] for e in log["entries"]] == [
        "staff-" + str(staff[r].user.uuid)[:8] for r in ("caseworker", "coordinator")]
    assert log["entries"][-1]["details"]["purpose"] == "dossier"
    assert len(z.read("custody.csv").decode().splitlines()) == 3
    assert f"original.png  sha256 {hashlib.sha256(data).hexdigest()}" in z.read("MANIFEST.txt").decode()
    everything = b"\n".join([n.encode() for n in z.namelist()] + [z.read(n) for n in z.namelist()]).lower()
    for s in staff.values():
        assert s.user.username.encode() not in everything
        assert s.user.display_name.lower().encode() not in everything
    assert NAME.lower().encode() not in everything and b"qzxvor" not in everything


def test_an_edited_custody_entry_breaks_the_chain_at_that_entry(people):
    staff, case = people
    f = add_file(staff["caseworker"], case)
    actions.read_working(staff["caseworker"].user, staff["caseworker"].secret, f)
    actions.read_working(staff["caseworker"].user, staff["caseworker"].secret, f)
    CustodyEntry.objects.filter(file=f, seq=2).update(action="downloaded")
    assert actions.chain_intact(f) == (False, 2)
    page = sign_in(staff["coordinator"]).get(url(case, f)).content.decode()
    assert "The log is broken at entry 2" in page


def test_edited_custody_details_break_the_chain_at_that_entry(people):
    staff, case = people
    f = add_file(staff["caseworker"], case)
    CustodyEntry.objects.filter(file=f, seq=1).update(details={"kind": "image", "size": 1})
    assert actions.chain_intact(f) == (False, 1)
    assert "The log is broken at entry 1" in sign_in(staff["caseworker"]).get(url(case, f)).content.decode()


def test_the_integrity_check_fails_when_the_sealed_original_was_swapped(people):
    staff, case = people
    coordinator = staff["coordinator"]
    f = add_file(staff["caseworker"], case)
    owner_key = datakeys.open_for(case.data_key, coordinator.user, coordinator.secret)
    file_key = bytes.fromhex(fields.open_text(owner_key, f, "key"))
    storage.write("evidence", f.pk, "orig", sealed_files.seal(file_key, f"{f.pk}:orig", png((0, 255, 0))))
    page = sign_in(coordinator).post(url(case, f, "verify/"), follow=True).content.decode()
    assert "The check FAILED" in page
    assert CustodyEntry.objects.get(file=f, action="verified").details == {
        "original_matches": False, "log_intact": True}


def test_the_integrity_check_reports_failure_when_the_original_on_disk_was_overwritten(people):
    staff, case = people
    f = add_file(staff["caseworker"], case)
    storage.write("evidence", f.pk, "orig", b"some other bytes entirely")
    response = sign_in(staff["coordinator"]).post(url(case, f, "verify/"), follow=True)
    assert response.status_code == 200 and "The check FAILED" in response.content.decode()


def test_an_unknown_kind_of_file_is_refused_and_nothing_is_saved(people, media):
    staff, case = people
    response = sign_in(staff["caseworker"]).post(url(case, rest="new/"),
                                                 {"upload": upload(b"hello", "notes.txt"), "description": "x"})
    assert response.status_code == 200
    assert "This kind of file is not accepted" in response.content.decode()
    assert not EvidenceFile.objects.exists() and not CustodyEntry.objects.exists()
    assert files_on_disk(media) == []


def test_a_working_copy_of_another_kind_is_refused_and_the_old_one_stays(people):
    staff, case = people
    f = add_file(staff["caseworker"], case)
    before = blobs(f)[1].read_bytes()
    response = sign_in(staff["caseworker"]).post(url(case, f, "replace/"), {"upload": upload(PDF, "x.pdf")})
    assert response.status_code == 200
    assert "The working copy must be of the same kind as the original" in response.content.decode()
    assert blobs(f)[1].read_bytes() == before
    assert not CustodyEntry.objects.filter(file=f, action="working_replaced").exists()


def test_a_file_bigger_than_the_cap_is_refused(people, media):
    staff, case = people
    client = sign_in(staff["caseworker"])
    with override_settings(EVIDENCE_MAX_FILE_BYTES=4096):
        response = client.post(url(case, rest="new/"), {"upload": upload(PDF + b"0" * 5000, "big.pdf")})
    assert response.status_code == 200 and "The file is too large" in response.content.decode()
    assert not EvidenceFile.objects.exists() and files_on_disk(media) == []


def test_a_caseworker_member_sees_the_working_copy_but_not_the_original_or_an_export(people):
    staff, case = people
    f = add_file(staff["coordinator"], case)
    client = sign_in(staff["caseworker"])
    assert client.get(url(case, f, "working/")).status_code == 200
    assert client.get(url(case, f, "original/")).status_code == 403
    assert client.get(url(case, f, "export/")).status_code == 403
    assert client.post(url(case, f, "export/"), {"purpose": "court"}).status_code == 403
    assert client.post(url(case, f, "verify/")).status_code == 403
    assert list(CustodyEntry.objects.filter(file=f).values_list("action", flat=True)) == ["ingested", "viewed"]


def test_a_non_member_gets_404_for_every_file_page(people):
    staff, case = people
    f = add_file(staff["caseworker"], case)
    client = sign_in(staff["outsider"])
    for rest in ("", "working/", "download/", "original/", "replace/", "export/"):
        assert client.get(url(case, f, rest)).status_code == 404, rest
    assert client.post(url(case, f, "verify/")).status_code == 404
    assert client.post(url(case, rest="new/"), {"upload": upload(png())}).status_code == 404
    assert client.get(url(case)).status_code == 404
    assert list(CustodyEntry.objects.filter(file=f).values_list("action", flat=True)) == ["ingested"]


def test_a_researcher_adds_a_file_to_a_source_and_others_are_refused(org):
    researcher = org.add("research", roles.RESEARCHER)
    vocabularies.ensure_seeded(org.org)
    source_type = vocabularies.Term.objects.filter(organisation=org.org, vocabulary="source_type").first()
    source = incidents.create_source(researcher.user, researcher.secret, source_type=source_type,
                                     title="Report on Zqvorsk")
    data = png()
    client = sign_in(researcher)
    response = client.post(f"/staff/evidence/sources/{source.pk}/files/new/",
                           {"upload": upload(data), "description": DESCRIPTION})
    f = EvidenceFile.objects.get()
    assert response.status_code == 302 and (f.source, f.case) == (source, None)
    assert actions.open_file(researcher.user, researcher.secret, f).sha256 == hashlib.sha256(data).hexdigest()
    assert client.get(f"/staff/evidence/files/{f.pk}/").status_code == 200
    assert sign_in(org.coordinator).get(f"/staff/evidence/files/{f.pk}/").status_code == 403


def test_removing_a_member_rotates_the_key_and_the_file_still_opens_for_the_others(people):
    staff, case = people
    coordinator = staff["coordinator"]
    data = png()
    f = add_file(staff["caseworker"], case, data)
    old_key = bytes(f.key_sealed)
    case_actions.remove_member(coordinator.user, coordinator.secret, case, staff["caseworker"].user)
    f = EvidenceFile.objects.select_related("case__data_key").get(pk=f.pk)
    assert bytes(f.key_sealed) != old_key
    for member in (coordinator, staff["coordinator2"]):
        assert actions.open_file(member.user, member.secret, f).sha256 == hashlib.sha256(data).hexdigest()
        assert actions.read_original(member.user, member.secret, f) == data
    assert sign_in(staff["caseworker"]).get(url(case, f, "working/")).status_code == 404


def test_erasing_the_case_deletes_its_files_and_their_blobs(people):
    staff, case = people
    f = add_file(staff["caseworker"], case)
    assert all(p.exists() for p in blobs(f))
    erase_with_two_coordinators(sign_in(staff["coordinator"]), sign_in(staff["coordinator2"]), case)
    assert not EvidenceFile.objects.filter(pk=f.pk).exists()
    assert not CustodyEntry.objects.filter(file_id=f.pk).exists()
    assert not any(p.exists() for p in blobs(f))


def test_entries_cut_off_the_end_of_the_custody_log_are_noticed(people):
    staff, case = people
    f = add_file(staff["caseworker"], case)
    client = sign_in(staff["caseworker"])
    client.get(url(case, f, "working/"))
    client.get(url(case, f, "download/"))
    f.custody.filter(seq=3).delete()  # the last entry, removed behind our back
    assert actions.chain_intact(f) == (False, 3)


def test_a_recipient_can_check_every_hash_of_an_exported_custody_log(people):
    staff, case = people
    f = add_file(staff["caseworker"], case)
    response = sign_in(staff["coordinator"]).post(url(case, f, "export/"), {"purpose": "lawyer"})
    log = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("custody.json"))
    previous = "0" * 64
    for e in log["entries"]:
        body = json.dumps([log["file_id"], e["seq"], e["at"], e["actor_id"], e["action"], e["details"], previous],
                          sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        assert e["prev_hash"] == previous and e["hash"] == hashlib.sha256(body.encode()).hexdigest()
        previous = e["hash"]


def test_an_export_purpose_is_a_code_from_the_list_never_free_text(people):
    staff, case = people
    f = add_file(staff["caseworker"], case)
    page = sign_in(staff["coordinator"]).post(url(case, f, "export/"), {"purpose": "court Grozny Qivanov"})
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    assert not f.custody.filter(action="exported").exists()
