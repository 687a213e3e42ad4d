"""Evidence files with a chain of custody (models/files.py).

A file belongs to a case (its members; the original and exports for coordinators and legal
advisers) or to a source of the evidence base (the researchers). Every action on a file appends
to its custody log, in the same transaction as its audit event; an export carries the log."""

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.cases import access
from safepassage.lib import filetypes, storage
from safepassage.vault import crypto, datakeys, fields
from safepassage.vault import files as sealed_files
from safepassage.vault.errors import Tampered

from .. import keys
from ..models import CustodyEntry, EvidenceFile
from ..models.files import CUSTODY_ACTIONS, EXPORT_PURPOSES

AREA = "evidence"
GENESIS = "0" * 64
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


@dataclass
class OpenFile:
    file: EvidenceFile
    name: str
    description: str
    sha256: str
    working_sha256: str


# Who may do what, and with which key

def _owner_ok(user, case=None, source=None, *, original=False, add=False) -> bool:
    if case is not None:
        if original:
            return access.can_handle_original(user, case)
        return access.can_add_case_files(user, case) if add else access.can_see_case_files(user, case)
    return access.can_work_on_evidence(user, source)


def _check(user, f: EvidenceFile, *, original=False) -> None:
    if not _owner_ok(user, f.case, f.source, original=original):
        raise PermissionDenied


def _owner_key(user, secret: bytes, case=None, source=None) -> bytes:
    if case is not None:
        return datakeys.open_for(case.data_key, user, secret)
    return keys.open_for(user, secret).fields


def _file_key(user, secret: bytes, f: EvidenceFile) -> tuple[bytes, bytes]:
    """(the owner's key, the file's own key)."""
    owner = _owner_key(user, secret, f.case, f.source)
    return owner, bytes.fromhex(fields.open_text(owner, f, "key"))


def _audit_obj(f: EvidenceFile):
    return f.case if f.case_id else f.source


# The chain of custody

def _entry_hash(f_id, seq, at, actor, action, details, prev_hash) -> str:
    body = json.dumps([str(f_id), seq, at.isoformat(), str(actor), action, details, prev_hash],
                      sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(body.encode()).hexdigest()


def _custody(f: EvidenceFile, user, action: str, details: dict | None = None) -> CustodyEntry:
    """Append one entry; the file row is locked so two requests cannot fork the chain."""
    EvidenceFile.objects.select_for_update().filter(pk=f.pk).first()
    last = CustodyEntry.objects.filter(file=f).order_by("-seq").first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    at = timezone.now()
    details = details or {}
    entry = CustodyEntry.objects.create(file=f, seq=seq, at=at, actor=user, action=action, details=details,
                                        prev_hash=prev,
                                        hash=_entry_hash(f.pk, seq, at, user.uuid, action, details, prev))
    EvidenceFile.objects.filter(pk=f.pk).update(custody_head=entry.hash)
    record(f"file.{action}", actor=user, obj=_audit_obj(f), details={"file": str(f.pk), **details})
    return entry


def custody_log(user, f: EvidenceFile):
    _check(user, f)
    return f.custody.select_related("actor").order_by("seq")


def chain_intact(f: EvidenceFile) -> tuple[bool, int | None]:
    """(True, None), or (False, the first entry that does not follow from the ones before; or the
    number after the last one left, when entries were cut off the end)."""
    prev, expected = GENESIS, 1
    for e in f.custody.select_related("actor").order_by("seq"):
        if e.seq != expected or e.prev_hash != prev or e.hash != _entry_hash(
                f.pk, e.seq, e.at, e.actor.uuid, e.action, e.details, e.prev_hash):
            return False, e.seq
        prev, expected = e.hash, expected + 1
    head = EvidenceFile.objects.filter(pk=f.pk).values_list("custody_head", flat=True).first()
    if head and head != prev:
        return False, expected
    return True, None


# Ingest, read, replace, check, export

def _read_upload(upload, limit: int) -> tuple[bytes, filetypes.Kind]:
    if upload is None:
        raise ValidationError({"upload": _("Choose a file.")})
    if upload.size > limit:
        raise ValidationError({"upload": _("The file is too large (at most %(mb)s MB).")
                               % {"mb": limit // (1024 * 1024)}})
    data = upload.read()
    kind = filetypes.detect(data)
    if kind is None:
        raise ValidationError({"upload": _("This kind of file is not accepted: send a photo (JPEG, PNG), a PDF, "
                                           "a sound recording (OGG, MP3, WAV, M4A) or a video (MP4, WebM).")})
    return data, kind


def _working_copy(data: bytes, kind: filetypes.Kind) -> bytes:
    return filetypes.clean_image(data, kind.image_format) if kind.kind == "image" else data


def _write(f: EvidenceFile, file_key: bytes, variant: str, data: bytes):
    return storage.write(AREA, f.pk, variant, sealed_files.seal(file_key, f"{f.pk}:{variant}", data))


def ingest(user, secret: bytes, *, upload, description: str = "", case=None, source=None) -> EvidenceFile:
    """Fingerprint the untouched original, keep it and a working copy, both encrypted. A bad
    file saves nothing (the files written are removed if the database part fails)."""
    if (case is None) == (source is None) or not _owner_ok(user, case, source, add=True):
        raise PermissionDenied
    owner_key = _owner_key(user, secret, case, source)
    data, kind = _read_upload(upload, settings.EVIDENCE_MAX_FILE_BYTES)
    working = _working_copy(data, kind)
    description = (description or "").strip()[:2000]
    file_key = crypto.random_key()
    f = EvidenceFile(organisation_id=user.organisation_id, case=case, source=source, kind=kind.kind,
                     media_type=kind.media_type, size=sealed_files.padme(len(data)),
                     working_size=sealed_files.padme(len(working)), created_by=user)
    values = {"name": (upload.name or "")[:200], "description": description, "key": file_key.hex(),
              "sha256": hashlib.sha256(data).hexdigest(), "working_sha256": hashlib.sha256(working).hexdigest()}
    for name, value in values.items():
        fields.seal_text(owner_key, f, name, value)
    written = []
    try:
        with transaction.atomic():
            f.save()
            written += [_write(f, file_key, "orig", data), _write(f, file_key, "work", working)]
            _custody(f, user, "ingested", {"kind": kind.kind, "size": f.size})  # rounded, as stored
    except BaseException:
        storage.delete(written)
        raise
    return f


def open_file(user, secret: bytes, f: EvidenceFile) -> OpenFile:
    """A file's name, description and fingerprints (its page). Not a custody event: the content
    is not touched."""
    _check(user, f)
    key, _file = _file_key(user, secret, f)
    return OpenFile(f, *(fields.open_text(key, f, n) for n in ("name", "description", "sha256", "working_sha256")))


def files_of(user, *, case=None, source=None):
    if not _owner_ok(user, case, source):
        raise PermissionDenied
    rows = EvidenceFile.objects.filter(case=case) if case is not None else EvidenceFile.objects.filter(source=source)
    return rows.select_related("created_by")


def names_of(user, secret: bytes, rows) -> dict:
    """{file id: name} for a list of files of one owner."""
    out = {}
    for f in rows:
        key, _file = _file_key(user, secret, f)
        out[f.pk] = fields.open_text(key, f, "name")
    return out


@transaction.atomic
def read_working(user, secret: bytes, f: EvidenceFile, *, download: bool = False, action: str = "",
                 details: dict | None = None) -> bytes:
    """The working copy; the custody entry says why it was read (viewed, downloaded, or an
    `action` such as "exported" when a disclosure sends it)."""
    _check(user, f)
    _owner, file_key = _file_key(user, secret, f)
    data = sealed_files.open(file_key, f"{f.pk}:work", storage.read(AREA, f.pk, "work"))
    _custody(f, user, action or ("downloaded" if download else "viewed"), details)
    return data


@transaction.atomic
def read_original(user, secret: bytes, f: EvidenceFile) -> bytes:
    _check(user, f, original=True)
    _owner, file_key = _file_key(user, secret, f)
    data = sealed_files.open(file_key, f"{f.pk}:orig", storage.read(AREA, f.pk, "orig"))
    _custody(f, user, "original_viewed")
    return data


def replace_working(user, secret: bytes, f: EvidenceFile, *, upload) -> None:
    """A new working copy (cropped, redacted, converted). It must be a file of the same kind;
    the original never changes."""
    _check(user, f)
    owner_key, file_key = _file_key(user, secret, f)
    data, kind = _read_upload(upload, settings.EVIDENCE_MAX_FILE_BYTES)
    if kind.kind != f.kind:
        raise ValidationError({"upload": _("The working copy must be of the same kind as the original.")})
    working = _working_copy(data, kind)
    old = storage.read(AREA, f.pk, "work")
    try:
        with transaction.atomic():
            f = EvidenceFile.objects.select_for_update().get(pk=f.pk)
            fields.seal_text(owner_key, f, "working_sha256", hashlib.sha256(working).hexdigest())
            f.working_size, f.working_updated_at = sealed_files.padme(len(working)), timezone.now()
            f.save(update_fields=["working_sha256_sealed", "working_size", "working_updated_at"])
            _write(f, file_key, "work", working)
            _custody(f, user, "working_replaced", {"size": f.working_size})
    except BaseException:
        storage.write(AREA, f.pk, "work", old)
        raise


@transaction.atomic
def verify(user, secret: bytes, f: EvidenceFile) -> bool:
    """Does the original still match the fingerprint taken at ingest, and does the custody log
    still chain? The answer is itself a custody entry."""
    _check(user, f, original=True)
    owner_key, file_key = _file_key(user, secret, f)
    try:
        data = sealed_files.open(file_key, f"{f.pk}:orig", storage.read(AREA, f.pk, "orig"))
    except (Tampered, FileNotFoundError):  # replaced, truncated or gone: it does not match
        same = False
    else:
        same = crypto.equal(hashlib.sha256(data).hexdigest().encode(),
                            fields.open_text(owner_key, f, "sha256").encode())
    chain_ok, _bad = chain_intact(f)
    _custody(f, user, "verified", {"original_matches": same, "log_intact": chain_ok})
    return same and chain_ok


def _staff_ref(user) -> str:
    """How an export names a member of staff: a stable reference, never their name (an export
    goes outside, and staff names are what an infiltrator looks for). The organisation can say
    who it is when a court asks."""
    return "staff-" + str(user.uuid)[:8]


def _custody_rows(f: EvidenceFile) -> list[dict]:
    labels = dict(CUSTODY_ACTIONS)
    return [{"seq": e.seq, "at": e.at.isoformat(), "actor": _staff_ref(e.actor), "actor_id": str(e.actor.uuid),
             "action": e.action,
             "action_label": str(labels.get(e.action, e.action)), "details": e.details, "prev_hash": e.prev_hash,
             "hash": e.hash} for e in f.custody.select_related("actor").order_by("seq")]


@transaction.atomic
def export(user, secret: bytes, f: EvidenceFile, *, purpose: str = "records") -> bytes:
    """A zip with the original, the working copy, the custody log (CSV and JSON, this export
    included) and a manifest of SHA-256 fingerprints. The file's own name stays inside the
    organisation: inside the zip they are original.<ext> and working.<ext>."""
    _check(user, f, original=True)
    if purpose not in dict(EXPORT_PURPOSES):
        raise ValidationError({"purpose": _("Choose what the export is for.")})
    opened = open_file(user, secret, f)
    _owner, file_key = _file_key(user, secret, f)
    original = sealed_files.open(file_key, f"{f.pk}:orig", storage.read(AREA, f.pk, "orig"))
    working = sealed_files.open(file_key, f"{f.pk}:work", storage.read(AREA, f.pk, "work"))
    export_id = crypto.random_bytes(8).hex()
    _custody(f, user, "exported", {"export": export_id, "purpose": purpose})
    rows = _custody_rows(f)
    log_json = json.dumps({"file": f.short_ref, "file_id": str(f.pk), "entries": rows}, ensure_ascii=False,
                          indent=2).encode()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["seq", "at", "actor", "action", "details", "prev_hash", "hash"])
    for r in rows:
        writer.writerow([r["seq"], r["at"], r["actor"], r["action"], json.dumps(r["details"], sort_keys=True),
                         r["prev_hash"], r["hash"]])
    ext = filetypes.BY_MEDIA_TYPE[f.media_type].extension
    manifest = "\n".join([
        f"file {f.short_ref} ({f.media_type}), export {export_id}",
        f"original.{ext}  sha256 {opened.sha256}  ({len(original)} bytes, received {f.created_at.isoformat()})",
        f"working.{ext}  sha256 {opened.working_sha256}  ({len(working)} bytes)",
        f"custody.json  sha256 {hashlib.sha256(log_json).hexdigest()}",
        f"custody log: {len(rows)} entries, last hash {rows[-1]['hash']}",
        "Each entry's hash is the SHA-256 of the JSON array [file_id, seq, at, actor_id, action, details, "
        "prev_hash] (keys sorted, separators ',' and ':', ASCII only); the first prev_hash is 64 zeros.",
    ]) + "\n"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in ((f"original.{ext}", original), (f"working.{ext}", working), ("custody.json", log_json),
                           ("custody.csv", buffer.getvalue().encode()), ("MANIFEST.txt", manifest.encode())):
            z.writestr(zipfile.ZipInfo(name, ZIP_DATE), data)
    return out.getvalue()


def delete_blobs_of_case(case) -> None:
    """Erasure: the encrypted files of a case go with it (their keys die with the case key)."""
    ids = list(EvidenceFile.objects.filter(case=case).values_list("pk", flat=True))
    storage.delete([storage.path(AREA, i, v) for i in ids for v in storage.VARIANTS])
