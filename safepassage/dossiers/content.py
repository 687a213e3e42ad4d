"""What a dossier is made of, opened from the case for one request (never cached, never logged):
the applicant, their passport, the consented testimony and its French translation, the evidence
index with fingerprints and custody, the documents register and the deadlines. Each dossier
kind says what it needs; what is missing is returned as a list of plain sentences, so that a
refusal tells the person exactly what to do."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from safepassage.cases.models import Case, Document, Person
from safepassage.cases.views.deadlines import for_cases
from safepassage.evidence.actions import files as file_actions
from safepassage.evidence.actions.testimonies import consented
from safepassage.evidence.models import EvidenceFile, Testimony, Translation
from safepassage.vault import datakeys, fields

MAX_INPUT = 4000


@dataclass
class EvidenceRow:
    ref: str
    description: str
    kind: str
    media_type: str
    received: date
    sha256: str
    custody_entries: int
    chain_intact: bool
    last_check: str  # "", "passed" or "failed"


@dataclass
class Material:
    """Everything a dossier template reads, and what is missing."""

    case: Case
    inputs: dict
    applicant_name: str = ""
    applicant_birth_date: date | None = None
    passport: Document | None = None
    passport_number: str = ""
    testimony: Testimony | None = None
    translation: Translation | None = None
    account: str = ""  # the account in French: a human translation, or the testimony itself
    account_language: str = ""
    translator: str = ""
    consent_given_on: date | None = None
    evidence: list[EvidenceRow] = field(default_factory=list)
    documents: dict = field(default_factory=dict)  # kind -> Document
    deadlines: list = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _applicant(key: bytes, case: Case, m: Material) -> None:
    person = Person.objects.filter(case=case, role="applicant").order_by("created_at").first()
    if person is None:
        m.missing.append(_("Record the applicant under People (with their name)."))
        return
    m.applicant_name = fields.open_text(key, person, "name")
    born = fields.open_text(key, person, "birth_date")
    m.applicant_birth_date = date.fromisoformat(born) if born else None  # people.py stores ISO dates


def _documents(key: bytes, case: Case, m: Material) -> None:
    for doc in case.documents.order_by("-updated_at"):
        m.documents.setdefault(doc.kind, doc)
    m.passport = m.documents.get("international_passport")
    if m.passport is not None:
        m.passport_number = fields.open_text(key, m.passport, "reference")


def _account(key: bytes, case: Case, m: Material, purpose: str) -> None:
    """The chosen testimony, with a consent for the dossier in force, and its French text."""
    testimony = Testimony.objects.filter(case=case, pk=m.inputs.get("testimony") or None).first()
    if testimony is None:
        m.missing.append(_("Choose the testimony the account comes from."))
        return
    m.testimony = testimony
    if not consented(testimony, purpose):
        m.missing.append(_("The person has not consented to the use of this testimony in a visa or asylum "
                           "dossier (or withdrew it): record that consent on the testimony."))
    else:
        m.consent_given_on = testimony.consents.filter(purpose=purpose, withdrawn_on__isnull=True).order_by(
            "-given_on").values_list("given_on", flat=True).first()
    if testimony.language.split("-")[0] == "fr":
        m.account, m.account_language = fields.open_text(key, testimony, "text"), "fr"
        return
    tr = Translation.objects.filter(testimony=testimony, pk=m.inputs.get("translation") or None, machine=False,
                                    target_language__startswith="fr").first()
    if tr is None:
        m.missing.append(_("The account must be in French: add a French translation made by a person (a machine "
                           "translation is not enough) and choose it."))
        return
    m.translation, m.account_language = tr, testimony.language
    m.account = fields.open_text(key, tr, "text")
    # Who translated, never by name: a dossier goes outside, and a translator's name can expose them.
    m.translator = "un traducteur de l'organisation" if tr.translator_id else "un traducteur extérieur"


def _evidence(user, secret: bytes, case: Case, m: Material) -> None:
    """The evidence files the person chose for this dossier (all of them if they chose none)."""
    rows = EvidenceFile.objects.filter(case=case).order_by("created_at")
    chosen = m.inputs.get("evidence")
    if chosen:
        rows = rows.filter(pk__in=chosen)
    for f in rows:
        opened = file_actions.open_file(user, secret, f)
        intact, _bad = file_actions.chain_intact(f)
        last = f.custody.filter(action="verified").order_by("-seq").first()
        check = "" if last is None else (
            "passed" if last.details.get("original_matches") and last.details.get("log_intact") else "failed")
        m.evidence.append(EvidenceRow(f.short_ref, opened.description, f.get_kind_display(), f.media_type,
                                      f.created_at.date(), opened.sha256, f.custody.count(), intact, check))


def _text(inputs: dict, name: str) -> str:
    return str(inputs.get(name) or "").strip()[:MAX_INPUT]


def clean_inputs(inputs: dict, required: dict) -> tuple[dict, list[str]]:
    """Trimmed inputs, and a sentence for each required one left empty."""
    clean = {}
    for k, v in inputs.items():
        if isinstance(v, date):
            clean[k] = v.isoformat()
        elif isinstance(v, list | tuple) or hasattr(v, "model"):  # chosen records: their ids
            clean[k] = sorted(str(getattr(x, "pk", x)) for x in v)
        else:
            clean[k] = _text(inputs, k)
    missing = [str(message) for name, message in required.items() if not clean.get(name)]
    return clean, missing


def gather(user, secret: bytes, case: Case, inputs: dict, *, purpose: str = "dossier", evidence=True,
           deadlines=False) -> Material:
    key = datakeys.open_for(case.data_key, user, secret)
    m = Material(case=case, inputs=inputs)
    _applicant(key, case, m)
    _documents(key, case, m)
    _account(key, case, m, purpose)
    if evidence:
        _evidence(user, secret, case, m)
    if deadlines:
        m.deadlines = [d.deadline for d in for_cases([case])]
    return m
