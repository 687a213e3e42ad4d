"""Every record whose fields are sealed under a case's key. Key rotation re-encrypts all of
them; erasure deletes them. Each app registers its own models (cases.registry.add_sealed, in its
AppConfig.ready); tests/test_case_key_rotation.py checks that no such model is left out."""

from . import registry
from .models import Case, CheckIn, Corroboration, Document, ExposureEvent, Note, Person, PersonLink, Stay, Task, Vetting


def register_own() -> None:
    """The models of cases itself (CasesConfig.ready), before those of the apps above it."""
    for model, path in [(Vetting, "case"), (Corroboration, "case"), (Person, "case"), (PersonLink, "recorded_in"),
                        (ExposureEvent, "person__case"), (Document, "case"), (Note, "case"), (Task, "case"),
                        (CheckIn, "case")]:
        registry.add_sealed(model, path)
    # A stay stays (the shelter's occupancy counts it); only its copy of the address goes.
    registry.add_sealed(Stay, "case", erase=lambda rows: rows.update(address_sealed=b""))


def records(case: Case):
    yield case
    for entry in registry.sealed():
        yield from entry.model.objects.filter(**{entry.path: case})


def delete_children(case: Case) -> None:
    """Erasure: the rows go, children before parents; the case row stays as a tombstone with
    blank fields."""
    for entry in reversed(registry.sealed()):
        rows = entry.model.objects.filter(**{entry.path: case})
        if entry.erase:
            entry.erase(rows)
        else:
            rows.delete()
