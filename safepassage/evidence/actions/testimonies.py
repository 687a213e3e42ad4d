"""Testimonies, consents and translations: each action asks the access policy, changes data in
one transaction and writes its audit event (codes and ids only, never the text)."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.cases import access
from safepassage.cases.models import Case
from safepassage.vault import datakeys, fields

from .. import translation as mt
from ..models import PURPOSES, Consent, Testimony, Translation

MAX_TEXT = 100_000
# A BCP 47 language tag, simplified to a language, an optional script and an optional region:
# "ru", "ce", "fr", "sr-Latn", "pt-BR". Nothing freer: it is stored in the clear.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


def consented(testimony: Testimony, purpose: str, on: date | None = None) -> bool:
    """Is a consent for this purpose in force on that day (today by default)? Given on or before
    the day and not withdrawn on or before it. Every export of a testimony must ask this."""
    on = on or timezone.localdate()
    return testimony.consents.filter(purpose=purpose, given_on__lte=on).exclude(withdrawn_on__lte=on).exists()


@dataclass
class OpenConsent:
    consent: Consent
    note: str
    in_force: bool


@dataclass
class OpenTranslation:
    translation: Translation
    text: str
    external_translator: str


@dataclass
class OpenTestimony:
    testimony: Testimony
    text: str
    consents: list[OpenConsent] = field(default_factory=list)
    translations: list[OpenTranslation] = field(default_factory=list)


def _key(user, secret: bytes, case: Case) -> bytes:
    return datakeys.open_for(case.data_key, user, secret)


def _language(code: str, field_name: str) -> str:
    code = (code or "").strip()
    if not LANGUAGE_CODE.match(code):
        raise ValidationError({field_name: _("Enter a language code such as ru, ce or fr.")})
    return code


def _text(text: str, field_name: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field_name: _("The text cannot be empty.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({field_name: _("The text is too long (at most %(n)s characters).") % {"n": MAX_TEXT}})
    return text


def _check(allowed: bool, case: Case, testimony: Testimony | None = None) -> None:
    if not allowed or (testimony is not None and testimony.case_id != case.pk):
        raise PermissionDenied


def list_testimonies(user, case: Case):
    """Testimonies of a case with their consents: dates, languages and purposes only (nothing
    sealed is opened, so nothing is read)."""
    _check(access.can_see_testimonies(user, case), case)
    return list(case.testimonies.select_related("taken_by").prefetch_related("consents", "translations"))


def open_testimony(user, secret: bytes, case: Case, testimony: Testimony) -> OpenTestimony:
    _check(access.can_see_testimonies(user, case), case, testimony)
    key = _key(user, secret, case)
    today = timezone.localdate()
    opened = OpenTestimony(testimony, fields.open_text(key, testimony, "text"))
    for consent in testimony.consents.select_related("recorded_by", "withdrawal_recorded_by"):
        opened.consents.append(OpenConsent(consent, fields.open_text(key, consent, "note"),
                                           consent.in_force_on(today)))
    for tr in testimony.translations.select_related("translator", "recorded_by"):
        opened.translations.append(OpenTranslation(tr, fields.open_text(key, tr, "text"),
                                                   fields.open_text(key, tr, "external_translator")))
    record("testimony.read", actor=user, obj=case, details={"testimony": str(testimony.pk)})
    return opened


@transaction.atomic
def record_testimony(user, secret: bytes, case: Case, *, text: str, language: str, taken_on: date) -> Testimony:
    _check(access.can_record_testimony(user, case), case)
    text, language = _text(text, "text"), _language(language, "language")
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": _("A testimony cannot be taken in the future.")})
    testimony = Testimony(case=case, language=language, taken_by=user, taken_on=taken_on)
    fields.seal_text(_key(user, secret, case), testimony, "text", text)
    testimony.save()
    record("testimony.recorded", actor=user, obj=case,
           details={"testimony": str(testimony.pk), "language": language})
    return testimony


@transaction.atomic
def record_consent(user, secret: bytes, case: Case, testimony: Testimony, *, purpose: str, given_on: date,
                   note: str = "") -> Consent:
    _check(access.can_record_consent(user, case), case, testimony)
    if purpose not in dict(PURPOSES):
        raise ValidationError({"purpose": _("Choose what the consent is for.")})
    if testimony.consents.filter(purpose=purpose, withdrawn_on__isnull=True).exists():
        raise ValidationError({"purpose": _("A consent for this purpose is already recorded; withdraw it first.")})
    consent = Consent(testimony=testimony, purpose=purpose, given_on=given_on, recorded_by=user)
    fields.seal_text(_key(user, secret, case), consent, "note", (note or "").strip())
    consent.save()
    record("consent.recorded", actor=user, obj=case, details={
        "testimony": str(testimony.pk), "consent": str(consent.pk), "purpose": purpose,
        "given_on": given_on.isoformat()})
    return consent


@transaction.atomic
def withdraw_consent(user, case: Case, consent: Consent, *, withdrawn_on: date | None = None) -> None:
    consent = Consent.objects.select_for_update().select_related("testimony").get(pk=consent.pk)
    _check(access.can_record_consent(user, case), case, consent.testimony)
    withdrawn_on = withdrawn_on or timezone.localdate()
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("A consent cannot be withdrawn before it was given (%(d)s).") % {
            "d": date_format(consent.given_on, "j M Y")}})
    consent.withdrawn_on, consent.withdrawal_recorded_by = withdrawn_on, user
    consent.save(update_fields=["withdrawn_on", "withdrawal_recorded_by"])
    if consent.purpose == "advocacy" and withdrawn_on <= timezone.localdate():
        from .shares import withdraw_for_consent  # shares build on testimonies

        withdraw_for_consent(consent.testimony, user)
    record("consent.withdrawn", actor=user, obj=case, details={
        "testimony": str(consent.testimony_id), "consent": str(consent.pk), "purpose": consent.purpose,
        "withdrawn_on": withdrawn_on.isoformat()})


@transaction.atomic
def add_translation(user, secret: bytes, case: Case, testimony: Testimony, *, text: str, target_language: str,
                    external_translator: str = "") -> Translation:
    """A human translation. The translator is the staff member recording it, unless they name an
    outside translator (sealed: a translator's name can expose them)."""
    _check(access.can_translate(user, case), case, testimony)
    text, target_language = _text(text, "text"), _language(target_language, "target_language")
    external_translator = (external_translator or "").strip()
    tr = Translation(testimony=testimony, target_language=target_language, recorded_by=user,
                     translator=None if external_translator else user)
    key = _key(user, secret, case)
    fields.seal_text(key, tr, "text", text)
    fields.seal_text(key, tr, "external_translator", external_translator)
    tr.save()
    record("translation.added", actor=user, obj=case, details={
        "testimony": str(testimony.pk), "translation": str(tr.pk), "target_language": target_language,
        "external": bool(external_translator)})
    return tr


@transaction.atomic
def machine_translate(user, secret: bytes, case: Case, testimony: Testimony, *, target_language: str) -> Translation:
    """A machine translation through the configured Translator; refused when none is."""
    _check(access.can_translate(user, case), case, testimony)
    translator = mt.machine_translator()
    if translator is None:
        raise PermissionDenied
    target_language = _language(target_language, "target_language")
    key = _key(user, secret, case)
    text = translator.translate(fields.open_text(key, testimony, "text"), testimony.language, target_language)
    tr = Translation(testimony=testimony, target_language=target_language, recorded_by=user, machine=True)
    fields.seal_text(key, tr, "text", _text(text, "target_language"))
    fields.seal_text(key, tr, "external_translator", str(getattr(translator, "name", ""))[:200])
    tr.save()
    record("translation.machine_added", actor=user, obj=case, details={
        "testimony": str(testimony.pk), "translation": str(tr.pk), "target_language": target_language})
    return tr


def human_translations(testimony: Testimony):
    """Translations an export may carry next to the consented testimony: never a machine one."""
    return testimony.translations.filter(machine=False)
