"""Making dossiers: a humanitarian visa dossier for a French consulate, an asylum support pack,
and the PDF of a redacted testimony. Generation refuses with the list of what is missing; what
is made is kept encrypted, byte for byte, with its SHA-256 and the inputs it was made from."""

import hashlib
import json
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.audit.chain import record
from safepassage.cases import access, pipeline
from safepassage.cases.models import Case
from safepassage.evidence.models import Testimony
from safepassage.lib import storage
from safepassage.vault import crypto, datakeys, fields
from safepassage.vault import files as sealed_files

from .. import content, pdf
from ..models import Dossier, Redaction

AREA = "dossiers"
HEADER_NOTE = "Confidentiel — à ne transmettre à aucune autorité du pays d’origine"

VISA_REQUIRED = {
    "consulate": gettext_lazy("Name the consulate the letter is addressed to."),
    "place": gettext_lazy("Say where the letter is signed."),
    "signatory": gettext_lazy("Name the person who signs the attestation."),
    "letterhead": gettext_lazy("Give the organisation's letterhead."),
}
PACK_REQUIRED = {}

# (document kind in the register, or a special item; the line in French)
VISA_CHECKLIST = [
    ("international_passport", "Passeport international en cours de validité"),
    ("photos", "Photographies d'identité récentes"),
    ("-form", "Formulaire de demande de visa de long séjour (France-Visas)"),
    ("-attestation", "Attestation de soutien de l'organisation"),
    ("-account", "Récit des persécutions, en français"),
    ("-evidence", "Éléments de preuve"),
    ("medical_certificate", "Certificats médicaux, le cas échéant"),
]
ASYLUM_CHECKLIST = [
    ("ofpra_form", "Formulaire de demande d'asile de l'OFPRA, signé"),
    ("recit_french", "Récit en français, joint au formulaire"),
    ("asylum_certificate", "Attestation de demande d'asile (remise à l'enregistrement au GUDA)"),
    ("international_passport", "Passeport ou documents d'identité (originaux)"),
    ("internal_passport", "Passeport intérieur"),
    ("photos", "Photographies d'identité"),
    ("visa", "Visa d'entrée en France, s'il y a lieu"),
    ("medical_certificate", "Certificats médicaux, le cas échéant"),
    ("decision", "Décisions et courriers reçus, avec leur date de notification"),
    ("-evidence", "Éléments de preuve"),
]


class Incomplete(ValidationError):
    """A dossier cannot be made yet; `.messages` lists what to do, one sentence each."""


def _check(user, case: Case) -> None:
    if not access.can_make_dossier(user, case):
        raise PermissionDenied


def _checklist(items, m: content.Material, attached: dict) -> list[tuple[str, str]]:
    """(line, state) for each item: what the register says of it, else what this dossier itself
    provides (`attached`: kind -> state), else that nothing is recorded."""
    rows = []
    for kind, label in items:
        doc = m.documents.get(kind)
        if kind == "-evidence":
            n = len(m.evidence)
            state = f"{n} pièce{'s' if n > 1 else ''} indexée{'s' if n > 1 else ''}" if n else "aucune"
        elif doc is not None:
            state = str(doc.get_status_display())
            if doc.expires_on:
                state += f", valable jusqu'au {doc.expires_on.strftime('%d/%m/%Y')}"
        elif kind in attached:
            state = attached[kind]
        elif kind == "-form":
            state = "à remplir par la personne"
        else:
            state = "non enregistrée"
        rows.append((label, state))
    return rows


def _day(inputs: dict) -> date:
    try:
        return date.fromisoformat(inputs.get("date") or "")
    except ValueError:
        return timezone.localdate()


def _prepare(user, secret: bytes, case: Case, kind: str, inputs: dict) -> tuple[str, dict]:
    """(template, context) for a dossier, or Incomplete with everything that is missing."""
    if pipeline.disclosure_frozen(case):
        raise ValidationError(_("Disclosure is frozen while this case is suspected of infiltration."))
    if kind == "visa":
        inputs, missing = content.clean_inputs(inputs, VISA_REQUIRED)
        m = content.gather(user, secret, case, inputs)
        if m.passport is None or m.passport.status not in ("obtained", "submitted"):
            missing.append(_("Record the international passport in the documents register, as obtained."))
        if m.passport is not None and m.passport.expires_on and m.passport.expires_on < _day(inputs):
            missing.append(_("The international passport expired on %(day)s: a visa cannot be put in it.")
                           % {"day": m.passport.expires_on.isoformat()})
        here = "dans le présent dossier"
        checklist = (VISA_CHECKLIST, {"-attestation": here, "-account": here})
        template = "dossiers/pdf/visa.html"
    elif kind == "asylum_pack":
        inputs, missing = content.clean_inputs(inputs, PACK_REQUIRED)
        m = content.gather(user, secret, case, inputs, deadlines=True)
        checklist = (ASYLUM_CHECKLIST, {"recit_french": "plan et récit traduit dans le présent dossier ; "
                                                         "le récit signé reste à joindre"})
        template = "dossiers/pdf/asylum_pack.html"
    else:
        raise ValidationError(_("Choose what to make."))
    missing = list(dict.fromkeys(missing + m.missing))
    if missing:
        raise Incomplete(missing)
    return template, {"m": m, "inputs": inputs, "checklist": checklist, "day": _day(inputs)}


def _reference(kind: str, case: Case, inputs: dict) -> str:
    """A reference printed on every page, the same for the same inputs (so the bytes are too)."""
    digest = hashlib.sha256(json.dumps([kind, str(case.pk), inputs], sort_keys=True).encode()).hexdigest()
    return {"visa": "V", "asylum_pack": "A", "redacted_testimony": "T"}[kind] + "-" + digest[:8].upper()


def _store(user, secret: bytes, case: Case, kind: str, inputs: dict, data: bytes, pages: int) -> Dossier:
    key = datakeys.open_for(case.data_key, user, secret)
    file_key = crypto.random_key()
    dossier = Dossier(case=case, kind=kind, size=sealed_files.padme(len(data)), pages=pages, created_by=user)
    fields.seal_text(key, dossier, "inputs", json.dumps(inputs, sort_keys=True, ensure_ascii=False))
    fields.seal_text(key, dossier, "key", file_key.hex())
    fields.seal_text(key, dossier, "sha256", hashlib.sha256(data).hexdigest())
    written = []
    try:
        with transaction.atomic():
            dossier.save()
            written.append(storage.write(AREA, dossier.pk, "orig", sealed_files.seal(file_key, str(dossier.pk), data)))
            record("dossier.made", actor=user, obj=case, details={
                "dossier": str(dossier.pk), "kind": kind, "pages": pages, "size": dossier.size})
    except BaseException:
        storage.delete(written)
        raise
    return dossier


def make(user, secret: bytes, case: Case, kind: str, inputs: dict) -> Dossier:
    """A dossier in French, whatever the language of the person making it; Incomplete lists
    what is missing (in their language)."""
    _check(user, case)
    template, context = _prepare(user, secret, case, kind, inputs)
    with translation.override("fr"):  # labels from the code (statuses, deadlines) in French too
        return _make(user, secret, case, kind, template, context)


def _make(user, secret, case, kind, template, context) -> Dossier:
    items, attached = context["checklist"]
    context = {**context, "checklist": _checklist(items, context["m"], attached),
               "ref": _reference(kind, case, context["inputs"]), "header_note": HEADER_NOTE}
    data, pages = pdf.render(template, context)
    return _store(user, secret, case, kind, context["inputs"], data, pages)


def make_redacted(user, secret: bytes, case: Case, redaction: Redaction) -> Dossier:
    """The PDF of a confirmed redaction, to be disclosed to investigators or published."""
    _check(user, case)
    if redaction.case_id != case.pk:
        raise PermissionDenied
    if pipeline.disclosure_frozen(case):
        raise ValidationError(_("Disclosure is frozen while this case is suspected of infiltration."))
    key = datakeys.open_for(case.data_key, user, secret)
    applied = json.loads(fields.open_text(key, redaction, "applied"))
    from safepassage.evidence import redaction as engine

    with translation.override("fr"):
        kinds = ", ".join(sorted({str(engine.ENTITY_LABELS.get(a["entity"], a["entity"])).lower() for a in applied}))
    context = {"r": redaction, "text": fields.open_text(key, redaction, "text"), "applied": applied,
               "kinds": kinds or "aucun", "day": redaction.created_at.date(), "header_note": HEADER_NOTE,
               "ref": _reference("redacted_testimony", case, {"redaction": str(redaction.pk)})}
    data, pages = pdf.render("dossiers/pdf/redacted.html", context)
    return _store(user, secret, case, "redacted_testimony", {"redaction": str(redaction.pk)}, data, pages)


def read(user, secret: bytes, dossier: Dossier) -> bytes:
    """The PDF itself, for a member to look at before it is disclosed (an audited read)."""
    _check(user, dossier.case)
    key = datakeys.open_for(dossier.case.data_key, user, secret)
    file_key = bytes.fromhex(fields.open_text(key, dossier, "key"))
    data = sealed_files.open(file_key, str(dossier.pk), storage.read(AREA, dossier.pk, "orig"))
    record("dossier.read", actor=user, obj=dossier.case, details={"dossier": str(dossier.pk)})
    return data


def fingerprint(user, secret: bytes, dossier: Dossier) -> str:
    key = datakeys.open_for(dossier.case.data_key, user, secret)
    return fields.open_text(key, dossier, "sha256")


def inputs_of(user, secret: bytes, dossier: Dossier) -> dict:
    _check(user, dossier.case)
    key = datakeys.open_for(dossier.case.data_key, user, secret)
    return json.loads(fields.open_text(key, dossier, "inputs"))


def starting_inputs(user, secret: bytes, case: Case, kind: str) -> dict:
    """What a new dossier's form starts from: the inputs of the case's last dossier of this kind
    (but today's date), else the testimony consented for a dossier and its French translation
    by a person."""
    last = Dossier.objects.filter(case=case, kind=kind).first()
    previous = {k: v for k, v in inputs_of(user, secret, last).items() if k != "date"} if last else {}
    return {**_likely_account(case), **previous}


def _likely_account(case: Case) -> dict:
    testimony = Testimony.objects.filter(case=case, consents__purpose="dossier",
                                         consents__withdrawn_on__isnull=True).first()
    if testimony is None:
        return {}
    tr = testimony.translations.filter(machine=False, target_language__startswith="fr").first()
    return {"testimony": str(testimony.pk), "translation": str(tr.pk) if tr else ""}
