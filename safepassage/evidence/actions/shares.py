"""Testimonies shared with the documentation researchers.

A case member who records consent gives a redacted copy of a testimony, while the person's
consent to public advocacy is in force. The copy is sealed to the evidence base's drop box: the
researchers read it; nobody else, the sharer included, can. The copy is usable (read, cited,
counted) only while that consent stays in force and the share is not withdrawn: withdrawing the
consent, the share, or erasing the case takes it out of every later page and export."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.cases import access, pipeline
from safepassage.vault import fields

from .. import keys, vocabularies
from ..models import Consent, Source, Term, Testimony, TestimonyShare, Victim
from .dedup import root_of
from .testimonies import LANGUAGE_CODE, MAX_TEXT, consented

PURPOSE = "advocacy"


def usable(organisation_id, on: date | None = None):
    """Shares that may be read, cited and counted on that day (today by default)."""
    on = on or timezone.localdate()
    in_force = Consent.objects.filter(purpose=PURPOSE, given_on__lte=on).exclude(withdrawn_on__lte=on)
    return TestimonyShare.objects.filter(organisation_id=organisation_id, withdrawn_at__isnull=True,
                                         testimony__in=in_force.values("testimony"))


# The case side

@transaction.atomic
def share(user, case, testimony: Testimony, *, text: str, language: str) -> TestimonyShare:
    if not access.can_share_testimony(user, case) or testimony.case_id != case.pk:
        raise PermissionDenied
    if pipeline.disclosure_frozen(case):
        raise ValidationError(_("Disclosure is frozen while this case is suspected of infiltration."))
    if not consented(testimony, PURPOSE):
        raise ValidationError(_("The person has not consented to public advocacy (or withdrew it): record "
                                "that consent before sharing."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The text cannot be empty.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("The text is too long (at most %(n)s characters).") % {"n": MAX_TEXT}})
    language = (language or "").strip()
    if not LANGUAGE_CODE.match(language):
        raise ValidationError({"language": _("Enter a language code such as ru, ce or fr.")})
    public = keys.box_public_key(user)
    row = TestimonyShare(organisation_id=case.organisation_id, testimony=testimony, case=case, language=language,
                         shared_by=user, shared_on=timezone.localdate())
    fields.box_text(public, row, "text", text)
    row.save()
    record("testimony.shared", actor=user, obj=case, details={
        "testimony": str(testimony.pk), "share": str(row.pk), "language": language})
    return row


def shares_of(user, case, testimony: Testimony):
    """The shares of one testimony, for its page (dates and state only: their text is sealed
    to the researchers)."""
    if not access.can_see_testimonies(user, case) or testimony.case_id != case.pk:
        raise PermissionDenied
    return testimony.shares.select_related("shared_by", "withdrawn_by")


@transaction.atomic
def withdraw(user, case, row: TestimonyShare) -> None:
    row = TestimonyShare.objects.select_for_update().get(pk=row.pk)
    if not access.can_share_testimony(user, case) or row.case_id != case.pk:
        raise PermissionDenied
    if row.withdrawn_at is not None:
        raise ValidationError(_("This copy was already withdrawn."))
    _withdraw(row, user)
    record("testimony.share_withdrawn", actor=user, obj=case, details={"share": str(row.pk)})


def _withdraw(row: TestimonyShare, user=None) -> None:
    """The copy's text is deleted, not only hidden: a withdrawn copy must not be readable."""
    row.withdrawn_at, row.withdrawn_by, row.text_boxed = timezone.now(), user, b""
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "text_boxed"])


def withdraw_for_consent(testimony: Testimony, user) -> int:
    """The person withdrew their consent to public advocacy: the copies the researchers had of
    this testimony are deleted, not only hidden (a later consent does not bring them back)."""
    rows = list(TestimonyShare.objects.filter(testimony=testimony, withdrawn_at__isnull=True))
    for row in rows:
        _withdraw(row, user)
    return len(rows)


def withdraw_for_erasure(case) -> None:
    """Erasing a case withdraws its shares and forgets which case they came from."""
    for row in TestimonyShare.objects.filter(case=case):
        if row.withdrawn_at is None:
            _withdraw(row)
    TestimonyShare.objects.filter(case=case).update(case=None, testimony=None)


def wipe_derived(user, secret: bytes) -> int:
    """For every copy withdrawn since (by its sharer, its consent or the case's erasure): wipe
    the description of the victim made from it and the note of every act that only it reported,
    sealing empty text in their place. Codes and dates stay (statistics no longer count those
    acts). Runs inside a researcher's session, since only the evidence base key can seal."""
    if not access.can_use_evidence_base(user):
        return 0
    rows = list(TestimonyShare.objects.filter(organisation_id=user.organisation_id, derived_wiped_at__isnull=True)
                .exclude(withdrawn_at__isnull=True))
    if not rows:
        return 0
    key = keys.open_for(user, secret).fields
    from ..models import Act  # the evidence base builds on shares

    wiped = 0
    with transaction.atomic():
        for row in rows:
            for victim in Victim.objects.filter(share=row):
                fields.seal_text(key, victim, "description", "")
                victim.save(update_fields=["description_sealed"])
                wiped += 1
            source = Source.objects.filter(share=row).first()
            if source is not None:
                for act in Act.objects.filter(attestations__source=source).distinct():
                    others = act.attestations.exclude(source=source).filter(stance="reports")
                    if not others.filter(source__share__isnull=True).exists() and not others.filter(
                            source__share__withdrawn_at__isnull=True).exists():
                        fields.seal_text(key, act, "note", "")
                        act.save(update_fields=["note_sealed"])
                        wiped += 1
            row.derived_wiped_at = timezone.now()
            row.save(update_fields=["derived_wiped_at"])
        record("evidence.derived_wiped", actor=user, details={"shares": [str(r.pk) for r in rows], "records": wiped})
    return wiped


# The researchers' side

def visible(user):
    if not access.can_use_evidence_base(user):
        return TestimonyShare.objects.none()
    return usable(user.organisation_id)


def _usable_or_404(user, row: TestimonyShare) -> TestimonyShare:
    if not visible(user).filter(pk=row.pk).exists():
        raise Http404
    return row


def open_share(user, secret: bytes, row: TestimonyShare) -> str:
    _usable_or_404(user, row)
    text = fields.open_boxed(keys.open_for(user, secret).box_secret, row, "text")
    record("evidence.share_read", actor=user, obj=row)
    return text


@transaction.atomic
def use_as_source(user, secret: bytes, row: TestimonyShare) -> tuple[Source, Victim]:
    """The shared testimony as a source of the evidence base, and its teller as a victim, made
    once: acts reported in the testimony are then recorded against them."""
    _usable_or_404(user, row)
    key = keys.open_for(user, secret).fields
    source = Source.objects.filter(share=row).first()
    if source is None:
        vocabularies.ensure_seeded(user.organisation)
        kind = Term.objects.filter(organisation_id=user.organisation_id, vocabulary="source_type",
                                                code="testimony").first()
        if kind is None:
            raise ValidationError(_("The source type 'testimony' is missing from the vocabulary."))
        source = Source(organisation_id=user.organisation_id, source_type=kind, share=row, public=False,
                        reliability="F", published_on=None, created_by=user)
        for name, value in {"title": _("Testimony %(ref)s") % {"ref": row.short_ref}, "publisher": "",
                            "url": "", "notes": ""}.items():
            fields.seal_text(key, source, name, value)
        source.save()
        record("evidence.source_added", actor=user, obj=source, details={
            "type": "testimony", "public": False, "share": str(row.pk)})
    victim = Victim.objects.filter(share=row).order_by("created_at").first()
    if victim is not None:
        victim = root_of(victim)  # merged since with the same person from another source
    else:
        victim = Victim(organisation_id=user.organisation_id, share=row, created_by=user)
        fields.seal_text(key, victim, "description", "")
        victim.save()
        record("evidence.victim_added", actor=user, obj=victim, details={"from_share": True})
    return source, victim
