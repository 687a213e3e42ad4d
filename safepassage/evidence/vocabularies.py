"""Controlled vocabularies (DOMAIN.md, "Documenting violations"): act, perpetrator and source
types and regions, per organisation, labelled in English, French and Russian and editable by admins.

Each organisation's vocabularies are seeded lazily with the founding case's types the first time
they are used (ensure_seeded). Terms are deactivated, never deleted. Changes are audited with
codes and ids only."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safepassage.audit.chain import record
from safepassage.cases import access

from .models import VOCABULARIES, Term

CODE = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
LABELS = ("label_en", "label_fr", "label_ru")
MAX_LABEL = 200

# (vocabulary, code, English, French, Russian), in the order they are offered.
SEED = [
    ("act_type", "arbitrary_detention", "Arbitrary detention", "Détention arbitraire",
     "Произвольное задержание"),
    ("act_type", "torture", "Torture or ill-treatment", "Torture ou mauvais traitements",
     "Пытки или жестокое обращение"),
    ("act_type", "sexual_violence", "Sexual violence", "Violences sexuelles", "Сексуальное насилие"),
    ("act_type", "killing_by_state_agents", "Killing by state agents", "Meurtre par des agents de l'État",
     "Убийство представителями государства"),
    ("act_type", "killing_by_relatives", 'Killing by relatives ("honour" killing)',
     "Meurtre par des proches (crime dit « d'honneur »)", "Убийство родственниками («убийство чести»)"),
    ("act_type", "enforced_disappearance", "Enforced disappearance", "Disparition forcée",
     "Насильственное исчезновение"),
    ("act_type", "extortion", "Extortion", "Extorsion", "Вымогательство"),
    ("act_type", "forced_outing", "Forced outing or threats", "Outing forcé ou menaces",
     "Принудительный аутинг или угрозы"),
    ("act_type", "phone_seizure", "Phone seizure and surveillance", "Saisie du téléphone et surveillance",
     "Изъятие телефона и слежка"),
    ("act_type", "coerced_statements", "Coerced statements", "Déclarations obtenues sous la contrainte",
     "Показания, полученные под принуждением"),
    ("perpetrator_type", "police_security", "Police or security forces", "Police ou forces de sécurité",
     "Полиция или силовые структуры"),
    ("perpetrator_type", "relatives", "Relatives", "Proches", "Родственники"),
    ("perpetrator_type", "unknown", "Unknown", "Inconnu", "Неизвестно"),
    ("perpetrator_type", "other", "Other", "Autre", "Другое"),
    ("source_type", "testimony", "Testimony", "Témoignage", "Свидетельские показания"),
    ("source_type", "media_report", "Media report", "Article de presse", "Сообщение СМИ"),
    ("source_type", "ngo_report", "NGO report", "Rapport d'ONG", "Доклад НКО"),
    ("source_type", "official_statement", "Official statement (including denials)",
     "Déclaration officielle (y compris les démentis)", "Официальное заявление (в том числе опровержение)"),
    # Regions where acts took place, coded as in ISO 3166-2 (country, hyphen, region): statistics
    # group them by country through the part before the hyphen. A code without one is the
    # country itself (region not known).
    ("region", "ru-ce", "Chechnya", "Tchétchénie", "Чечня"),
    ("region", "ru-da", "Dagestan", "Daghestan", "Дагестан"),
    ("region", "ru-in", "Ingushetia", "Ingouchie", "Ингушетия"),
    ("region", "ru-kb", "Kabardino-Balkaria", "Kabardino-Balkarie", "Кабардино-Балкария"),
    ("region", "ru-mow", "Moscow", "Moscou", "Москва"),
    ("region", "ru-spe", "Saint Petersburg", "Saint-Pétersbourg", "Санкт-Петербург"),
    ("region", "ru", "Russia (region not known)", "Russie (région inconnue)", "Россия (регион неизвестен)"),
    ("region", "abroad", "Outside Russia", "Hors de Russie", "За пределами России"),
]


@transaction.atomic
def ensure_seeded(organisation) -> int:
    """Add the founding case's terms the organisation does not have yet (by code); terms already
    there, edited or deactivated by an admin, are left alone. Returns how many were added."""
    have = set(Term.objects.filter(organisation=organisation).values_list("vocabulary", "code"))
    missing = []
    for position, (vocabulary, code, en, fr, ru) in enumerate(SEED, start=1):
        if (vocabulary, code) not in have:
            missing.append(Term(organisation=organisation, vocabulary=vocabulary, code=code, label_en=en,
                                label_fr=fr, label_ru=ru, position=position * 10))
    if missing:
        Term.objects.bulk_create(missing, ignore_conflicts=True)  # a concurrent first use adds the same
        record("vocabulary.seeded", organisation=organisation, object_type="term",
               details={"codes": [f"{t.vocabulary}:{t.code}" for t in missing]})
    return len(missing)


def active_terms(organisation, vocabulary: str):
    """The terms a form offers (for the coming events and acts forms)."""
    ensure_seeded(organisation)
    return Term.objects.filter(organisation=organisation, vocabulary=vocabulary, active=True)


def _check(user, term: Term | None = None) -> None:
    if not access.can_edit_vocabularies(user):
        raise PermissionDenied
    if term is not None and term.organisation_id != user.organisation_id:
        raise PermissionDenied


def list_vocabularies(user) -> list[tuple[str, str, list[Term]]]:
    """Every vocabulary of the user's organisation with all its terms, active or not."""
    _check(user)
    ensure_seeded(user.organisation)
    terms = Term.objects.filter(organisation_id=user.organisation_id)
    return [(code, name, [t for t in terms if t.vocabulary == code]) for code, name in VOCABULARIES]


def terms_for(user):
    """The terms an admin may open: those of their own organisation."""
    _check(user)
    return Term.objects.filter(organisation_id=user.organisation_id)


def _labels(data: dict) -> dict:
    labels = {name: (data.get(name) or "").strip() for name in LABELS}
    if not labels["label_en"]:
        raise ValidationError({"label_en": _("Enter the English label: it is shown when a translation is missing.")})
    for name, text in labels.items():
        if len(text) > MAX_LABEL:
            raise ValidationError({name: _("A label has at most %(n)s characters.") % {"n": MAX_LABEL}})
    return labels


def add_term(user, *, vocabulary: str, code: str, label_en: str, label_fr: str = "", label_ru: str = "",
             position: int = 0) -> Term:
    _check(user)
    ensure_seeded(user.organisation)  # first, and kept even if this term is refused: no seeded code is taken
    with transaction.atomic():
        return _add_term(user, vocabulary, code, label_en, label_fr, label_ru, position)


def _add_term(user, vocabulary, code, label_en, label_fr, label_ru, position) -> Term:
    if vocabulary not in dict(VOCABULARIES):
        raise ValidationError({"vocabulary": _("Choose a vocabulary.")})
    code = (code or "").strip().lower()
    if not CODE.match(code) or len(code) > 64:
        raise ValidationError({"code": _("Use lower-case letters, digits, - and _ only, e.g. forced_eviction.")})
    labels = _labels({"label_en": label_en, "label_fr": label_fr, "label_ru": label_ru})
    organisation = user.organisation
    duplicate = ValidationError({"code": _("This vocabulary already has a term with this code.")})
    if Term.objects.filter(organisation=organisation, vocabulary=vocabulary, code=code).exists():
        raise duplicate
    try:
        with transaction.atomic():  # two admins adding the same code at once: the second is refused
            term = Term.objects.create(organisation=organisation, vocabulary=vocabulary, code=code,
                                       position=position or 0, **labels)
    except IntegrityError:
        raise duplicate from None
    record("vocabulary.term_added", actor=user, obj=term,
           details={"vocabulary": vocabulary, "code": code})
    return term


@transaction.atomic
def update_term(user, term: Term, *, label_en: str, label_fr: str = "", label_ru: str = "", active: bool = True,
                position: int = 0) -> list[str]:
    """Change labels, position and whether the term is offered. The code never changes. Returns
    the names of the fields that changed (what the audit event records)."""
    term = Term.objects.select_for_update().get(pk=term.pk)
    _check(user, term)
    new = {**_labels({"label_en": label_en, "label_fr": label_fr, "label_ru": label_ru}),
           "active": bool(active), "position": position or 0}
    changed = [name for name, value in new.items() if getattr(term, name) != value]
    if changed:
        for name in changed:
            setattr(term, name, new[name])
        term.save(update_fields=changed)
        record("vocabulary.term_updated", actor=user, obj=term, details={
            "vocabulary": term.vocabulary, "code": term.code, "changed": changed, "active": term.active})
    return changed
