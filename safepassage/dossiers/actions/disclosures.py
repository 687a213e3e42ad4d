"""Disclosures: asking to send documents outside, the second coordinator's approval, share
links for the recipient, and the log of it all.

The rules, in order: nothing leaves a case suspected of infiltration; nothing goes to a body of
a state the person fled (refused outright, and the attempt is recorded); every disclosure relies
on a consent for its purpose that is in force, and checked again at approval and at every link;
a second coordinator, member of the case, approves before any link can be made; what a link
sends must be byte for byte what was approved (its SHA-256 is recorded with the request)."""

import base64
import hashlib
import io
import re
import secrets
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.cases import access, pipeline
from safepassage.cases.models import Approval, Case
from safepassage.evidence.actions import files as file_actions
from safepassage.evidence.models import PURPOSES, Consent, Testimony
from safepassage.lib import filetypes, storage
from safepassage.vault import crypto, datakeys, fields
from safepassage.vault import files as sealed_files

from ..models import (
    RECIPIENT_KINDS,
    STATE_BODIES,
    Disclosure,
    DisclosureItem,
    Dossier,
    LinkDownload,
    Redaction,
    ShareLink,
)
from . import dossiers as dossier_actions

AREA = "links"
MAX_DAYS, MAX_DOWNLOADS = 30, 20
TOKEN_CONTEXT = b"sp-share-link"
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
COUNTRY = re.compile(r"^[A-Z]{2}$")


class Gone(Exception):
    """A link that expired, was used up or was revoked."""


def origin_countries() -> set[str]:
    return {c.strip().upper() for c in settings.ORIGIN_COUNTRIES.split(",") if c.strip()}


def is_blocked(kind: str, country: str, origin_authority: bool) -> bool:
    """A body of a state the people we help flee (or one the person said is such): never."""
    return origin_authority or (kind in STATE_BODIES and country.upper() in origin_countries())


def _consent(case: Case, consent: Consent | None, purpose: str) -> Consent:
    if consent is not None:  # as it is now, not as the caller last saw it
        consent = Consent.objects.select_related("testimony").filter(pk=consent.pk).first()
    if consent is None or consent.testimony.case_id != case.pk or consent.purpose != purpose:
        raise ValidationError({"consent": _("Choose the person's consent for this purpose.")})
    if not consent.in_force:
        raise ValidationError({"consent": _("This consent is not in force (not yet given, or withdrawn).")})
    return consent


# The purposes a dossier of each kind may be sent for.
PURPOSES_OF = {"visa": {"dossier"}, "asylum_pack": {"dossier"}, "redacted_testimony": {"investigators", "advocacy"}}


def _testimony_of(user, secret: bytes, dossier: Dossier):
    """The testimony a dossier was made from (its sealed inputs say which)."""
    inputs = dossier_actions.inputs_of(user, secret, dossier)
    if dossier.kind == "redacted_testimony":
        row = Redaction.objects.filter(pk=inputs.get("redaction"), case=dossier.case).first()
        return row.testimony if row else None
    return Testimony.objects.filter(pk=inputs.get("testimony") or None, case=dossier.case).first()


def _in_force(testimony_id, purpose: str) -> bool:
    today = timezone.localdate()
    return Consent.objects.filter(testimony_id=testimony_id, purpose=purpose, given_on__lte=today).exclude(
        withdrawn_on__lte=today).exists()


def consent_problems(disclosure: Disclosure) -> list[str]:
    """What keeps a disclosure from going now: the consent it relies on, and, for each dossier,
    a consent for this purpose from the person whose testimony it was made from."""
    problems = []
    if not Consent.objects.get(pk=disclosure.consent_id).in_force:
        problems.append(_("The consent this disclosure relies on is no longer in force."))
    for item in disclosure.items.filter(dossier__isnull=False):
        if item.testimony_id is None or not _in_force(item.testimony_id, disclosure.purpose):
            problems.append(_("The person whose testimony a dossier comes from has no consent in force for this "
                              "purpose."))
    return list(dict.fromkeys(problems))


def _item_sha(user, secret: bytes, item) -> tuple[str, int]:
    if isinstance(item, Dossier):
        return dossier_actions.fingerprint(user, secret, item), item.size
    return file_actions.open_file(user, secret, item).working_sha256, item.working_size


def request(user, secret: bytes, case: Case, *, recipient: str, recipient_kind: str, recipient_country: str,
            purpose: str, consent: Consent | None, dossiers=(), evidence_files=(), note: str = "",
            origin_authority: bool = False, not_an_authority: bool = False) -> Disclosure:
    if not access.can_request_disclosure(user, case):
        raise PermissionDenied
    if pipeline.disclosure_frozen(case):
        raise ValidationError(_("Disclosure is frozen while this case is suspected of infiltration."))
    country = (recipient_country or "").strip().upper()
    if recipient_kind not in dict(RECIPIENT_KINDS):
        raise ValidationError({"recipient_kind": _("Choose what kind of recipient this is.")})
    if not COUNTRY.match(country):
        raise ValidationError({"recipient_country": _("Give the recipient's country as two letters, e.g. FR.")})
    if is_blocked(recipient_kind, country, origin_authority):
        # Refused outright, and the attempt itself is kept (it may be the sign of a coerced account).
        record("disclosure.blocked", actor=user, obj=case, details={"kind": recipient_kind, "country": country})
        raise ValidationError(_("Refused: nothing is ever sent to the authorities of a country the people we help "
                                "have fled. This attempt was recorded."))
    if country in origin_countries() and not not_an_authority:
        # Not a state body by its kind, but in a country people flee: say so, out loud, first.
        raise ValidationError({"not_an_authority": _(
            "This recipient is in a country the people we help have fled. Confirm that it is not, and does not "
            "work for, any authority of that country.")})
    recipient = (recipient or "").strip()
    if not recipient:
        raise ValidationError({"recipient": _("Say who receives it.")})
    if purpose not in dict(PURPOSES):
        raise ValidationError({"purpose": _("Choose what the disclosure is for.")})
    consent = _consent(case, consent, purpose)
    items = [d for d in dossiers] + [f for f in evidence_files]
    if not items:
        raise ValidationError(_("Choose at least one document to send."))
    if any(getattr(i, "case_id", None) != case.pk for i in items):
        raise PermissionDenied
    testimony_of = {}
    for d in dossiers:
        if purpose not in PURPOSES_OF[d.kind]:
            raise ValidationError({"purpose": _("A dossier of this kind cannot be sent for this purpose.")})
        testimony_of[d.pk] = _testimony_of(user, secret, d)
        if testimony_of[d.pk] is None or not _in_force(testimony_of[d.pk].pk, purpose):
            raise ValidationError(_("The person whose testimony a dossier comes from has no consent in force for "
                                    "this purpose."))
    with transaction.atomic():
        disclosure_id = uuid.uuid4()  # the approval names the disclosure it is for
        approval = Approval.objects.create(case=case, kind="export", requested_by=user, target=str(disclosure_id))
        disclosure = Disclosure(id=disclosure_id, case=case, recipient_kind=recipient_kind, recipient_country=country,
                                purpose=purpose, consent=consent, approval=approval, requested_by=user)
        key = datakeys.open_for(case.data_key, user, secret)
        fields.seal_text(key, disclosure, "recipient", recipient[:1000])
        fields.seal_text(key, disclosure, "note", (note or "").strip()[:2000])
        disclosure.save()
        for item in items:
            sha, size = _item_sha(user, secret, item)
            row = DisclosureItem(disclosure=disclosure, size=size, testimony=testimony_of.get(item.pk), **(
                {"dossier": item} if isinstance(item, Dossier) else {"evidence_file": item}))
            fields.seal_text(key, row, "sha256", sha)
            row.save()
        record("disclosure.requested", actor=user, obj=case, details={
            "disclosure": str(disclosure.pk), "kind": recipient_kind, "country": country, "purpose": purpose,
            "consent": str(consent.pk), "items": [str(i.pk) for i in items]})
    return disclosure


def execute_approved(user, secret: bytes, approval: Approval) -> None:
    """Runs inside the second coordinator's decision (cases/actions/pipeline.decide): the checks
    are made again, as things may have changed since the request."""
    disclosure = Disclosure.objects.select_related("consent__testimony", "case").get(approval=approval)
    if pipeline.disclosure_frozen(disclosure.case):
        raise ValidationError(_("Disclosure is frozen while this case is suspected of infiltration."))
    if is_blocked(disclosure.recipient_kind, disclosure.recipient_country, False):
        raise ValidationError(_("Refused: nothing is ever sent to the authorities of a country the people we help "
                                "have fled."))
    problems = consent_problems(disclosure)
    if problems:
        raise ValidationError(problems)
    record("disclosure.approved", actor=user, obj=disclosure.case, details={"disclosure": str(disclosure.pk)})


def review_page(approval: Approval) -> str:
    """A disclosure is decided on its own page, which shows what would leave and to whom."""
    return reverse("cases:disclosure", args=[approval.case_id, approval.target])


@dataclass
class OpenDisclosure:
    disclosure: Disclosure
    recipient: str
    note: str
    items: list  # (item, label, sha256)


def open_disclosure(user, secret: bytes, disclosure: Disclosure) -> OpenDisclosure:
    if not access.can_see_disclosures(user, disclosure.case):
        raise PermissionDenied
    key = datakeys.open_for(disclosure.case.data_key, user, secret)
    items = []
    for item in disclosure.items.select_related("dossier", "evidence_file"):
        label = item.dossier.get_kind_display() if item.dossier else item.evidence_file.get_kind_display()
        ref = item.dossier.short_ref if item.dossier else item.evidence_file.short_ref
        items.append((item, f"{label} {ref}", fields.open_text(key, item, "sha256")))
    return OpenDisclosure(disclosure, fields.open_text(key, disclosure, "recipient"),
                          fields.open_text(key, disclosure, "note"), items)


def log(user, secret: bytes, case: Case) -> list[OpenDisclosure]:
    """The case's disclosure log, newest first; one audit event covers the read."""
    if not access.can_see_disclosures(user, case):
        raise PermissionDenied
    rows = [open_disclosure(user, secret, d) for d in case.disclosures.select_related(
        "approval__decided_by", "requested_by", "consent__testimony").prefetch_related("links")]
    record("disclosure.log_read", actor=user, obj=case)
    return rows


# Links

def _bytes_of(user, secret: bytes, item: DisclosureItem, link: ShareLink) -> tuple[str, bytes]:
    """(name inside what is sent, the exact bytes), refused if they are not what was approved.
    Reading an evidence file for a link is its export, in its chain of custody."""
    key = datakeys.open_for(item.disclosure.case.data_key, user, secret)
    if item.dossier:
        data = dossier_actions.read(user, secret, item.dossier)
        name = f"dossier-{item.dossier.short_ref}.pdf"
    else:
        data = file_actions.read_working(user, secret, item.evidence_file, action="exported",
                                         details={"export": link.short_ref, "purpose": "disclosure"})
        f = item.evidence_file
        name = f"piece-{f.short_ref}.{filetypes.BY_MEDIA_TYPE[f.media_type].extension}"
    if hashlib.sha256(data).hexdigest() != fields.open_text(key, item, "sha256"):
        raise ValidationError(_("A document changed since this disclosure was approved: ask for a new one."))
    return name, data


def _package(user, secret: bytes, disclosure: Disclosure, link: ShareLink) -> tuple[str, str, bytes]:
    """(file name, media type, bytes): one document as it is, several in a zip with a manifest."""
    parts = [_bytes_of(user, secret, item, link)
             for item in disclosure.items.select_related("dossier", "evidence_file")]
    if len(parts) == 1:
        name, data = parts[0]
        kind = filetypes.detect(data)
        return name, kind.media_type if kind else "application/octet-stream", data
    out = io.BytesIO()
    manifest = [f"{name}  sha256 {hashlib.sha256(data).hexdigest()}  ({len(data)} bytes)" for name, data in parts]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, ZIP_DATE), data)
        z.writestr(zipfile.ZipInfo("MANIFEST.txt", ZIP_DATE), "\n".join(manifest) + "\n")
    return f"documents-{disclosure.short_ref}.zip", "application/zip", out.getvalue()


def _key(token: str) -> bytes:
    return crypto.subkey(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)), TOKEN_CONTEXT)


def _lookup(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(user, secret: bytes, disclosure: Disclosure, *, days: int = 7, max_downloads: int = 3
                ) -> tuple[ShareLink, str]:
    """A link for the recipient; returns it and its token, which is shown once and kept nowhere."""
    disclosure = Disclosure.objects.select_related("approval", "consent", "case").get(pk=disclosure.pk)
    case = disclosure.case
    if not access.can_request_disclosure(user, case):
        raise PermissionDenied
    if not disclosure.approved:
        raise ValidationError(_("A second coordinator must approve this disclosure first."))
    if pipeline.disclosure_frozen(case):
        raise ValidationError(_("Disclosure is frozen while this case is suspected of infiltration."))
    if is_blocked(disclosure.recipient_kind, disclosure.recipient_country, False):
        raise ValidationError(_("Refused: nothing is ever sent to the authorities of a country the people we help "
                                "have fled."))
    problems = consent_problems(disclosure)
    if problems:
        raise ValidationError(problems)
    if not 1 <= (days or 0) <= MAX_DAYS:
        raise ValidationError({"days": _("Choose from 1 to %(n)s days.") % {"n": MAX_DAYS}})
    if not 1 <= (max_downloads or 0) <= MAX_DOWNLOADS:
        raise ValidationError({"max_downloads": _("Choose from 1 to %(n)s downloads.") % {"n": MAX_DOWNLOADS}})
    token = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    written = []
    try:
        with transaction.atomic():
            link = ShareLink(disclosure=disclosure, lookup=_lookup(token), created_by=user,
                             expires_at=timezone.now() + timedelta(days=days), max_downloads=max_downloads)
            link.filename, link.media_type, data = _package(user, secret, disclosure, link)
            link.size = sealed_files.padme(len(data))
            link.save()
            written.append(storage.write(AREA, link.pk, "orig", sealed_files.seal(_key(token), str(link.pk), data)))
            record("disclosure.link_created", actor=user, obj=case, details={
                "disclosure": str(disclosure.pk), "link": str(link.pk), "days": days, "max_downloads": max_downloads})
    except BaseException:
        storage.delete(written)
        raise
    return link, token


@transaction.atomic
def revoke(user, link: ShareLink) -> None:
    link = ShareLink.objects.select_for_update().select_related("disclosure__case").get(pk=link.pk)
    if not access.can_request_disclosure(user, link.disclosure.case):
        raise PermissionDenied
    if link.revoked_at is not None:
        raise ValidationError(_("This link was already revoked."))
    link.revoked_at, link.revoked_by = timezone.now(), user
    link.save(update_fields=["revoked_at", "revoked_by"])
    storage.delete([storage.path(AREA, link.pk, "orig")])
    record("disclosure.link_revoked", actor=user, obj=link.disclosure.case, details={"link": str(link.pk)})


def state(link: ShareLink) -> str:
    """open, revoked, withdrawn (the case is now suspected of infiltration, or the consent was
    withdrawn: an open link stops at once), expired or used."""
    if link.revoked_at is not None:
        return "revoked"
    disclosure = link.disclosure
    if (pipeline.disclosure_frozen(disclosure.case) or consent_problems(disclosure)
            or is_blocked(disclosure.recipient_kind, disclosure.recipient_country, False)):
        return "withdrawn"
    if link.expires_at <= timezone.now():
        return "expired"
    if link.downloads >= link.max_downloads:
        return "used"
    return "open"


def find(token: str) -> ShareLink:
    """The link a token names (Http404 if none); Gone when it can no longer be used. A link
    stopped by a withdrawn consent or a suspicion of infiltration stays stopped: lifting the
    suspicion later does not reopen it (a new approval and a new link are needed)."""
    link = ShareLink.objects.filter(lookup=_lookup(token or "")).select_related("disclosure__case").first()
    if link is None:
        raise Http404
    now = state(link)
    if now != "open":
        if now == "withdrawn":
            ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        storage.delete([storage.path(AREA, link.pk, "orig")])
        raise Gone(now)
    return link


def stop_links_of_case(user, case: Case) -> None:
    """Every open link of the case stops now: the case is suspected of infiltration."""
    rows = list(ShareLink.objects.filter(disclosure__case=case, revoked_at__isnull=True))
    ShareLink.objects.filter(pk__in=[r.pk for r in rows]).update(revoked_at=timezone.now())
    storage.delete([storage.path(AREA, r.pk, "orig") for r in rows])
    if rows:
        record("disclosure.links_stopped", actor=user, obj=case, details={"links": len(rows)})


def download(token: str) -> tuple[ShareLink, bytes]:
    """The recipient's download: counted, recorded, and refused once the link is used up."""
    with transaction.atomic():
        link = find(token)
        link = ShareLink.objects.select_for_update().get(pk=link.pk)
        if state(link) != "open":
            raise Gone(state(link))
        try:
            data = sealed_files.open(_key(token), str(link.pk), storage.read(AREA, link.pk, "orig"))
        except FileNotFoundError:  # emptied (e.g. stopped, then the case's state moved on): gone, never a 500
            raise Gone("revoked") from None
        link.downloads += 1
        link.save(update_fields=["downloads"])
        LinkDownload.objects.create(link=link)
        case = link.disclosure.case
        record("disclosure.downloaded", organisation=case.organisation, obj=case, details={
            "disclosure": str(link.disclosure_id), "link": str(link.pk), "download": link.downloads})
    return link, data


def purge_expired() -> int:
    """Delete what expired or used-up links hold (the rows stay, for the log). For cron."""
    done = 0
    for link in ShareLink.objects.filter(revoked_at__isnull=True):
        if state(link) != "open" and storage.path(AREA, link.pk, "orig").exists():
            storage.delete([storage.path(AREA, link.pk, "orig")])
            done += 1
    return done
