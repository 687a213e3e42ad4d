"""Every record whose fields are sealed under a case's key. Key rotation re-encrypts all of
them; erasure deletes them. A new model with SEALED_FIELDS under the case key must be listed
here (tests/test_case_key_rotation.py checks that every such model is)."""

from safepassage.dossiers.models import Disclosure, DisclosureItem, Dossier, Redaction
from safepassage.evidence.models import Consent, EvidenceFile, Testimony, Translation

from .models import Case, CheckIn, Corroboration, Document, ExposureEvent, Note, Person, PersonLink, Stay, Task, Vetting

# (model, the lookup from that model to the case whose key seals it)
UNDER_CASE_KEY = [
    (Vetting, "case"),
    (Corroboration, "case"),
    (Person, "case"),
    (PersonLink, "recorded_in"),
    (ExposureEvent, "person__case"),
    (Document, "case"),
    (Note, "case"),
    (Task, "case"),
    (CheckIn, "case"),
    (Stay, "case"),
    (Testimony, "case"),
    (Consent, "testimony__case"),
    (Translation, "testimony__case"),
    (EvidenceFile, "case"),  # each file's own key is a sealed field: its content needs no re-encryption
    (Dossier, "case"),  # the same for a dossier's PDF
    (Redaction, "case"),
    (Disclosure, "case"),
    (DisclosureItem, "disclosure__case"),
]


def records(case: Case):
    yield case
    for model, path in UNDER_CASE_KEY:
        yield from model.objects.filter(**{path: case})


def delete_children(case: Case) -> None:
    """Erasure: the rows go; the case row stays as a tombstone with blank fields."""
    for model, path in reversed(UNDER_CASE_KEY):
        if model is not Stay:
            model.objects.filter(**{path: case}).delete()
    Stay.objects.filter(case=case).update(address_sealed=b"")
