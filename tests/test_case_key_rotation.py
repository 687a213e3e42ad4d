"""Every record sealed under a case's key is registered with cases (cases/registry.py), so key
rotation re-encrypts it and erasure deletes it. Apps register their own models in their
AppConfig.ready; this test finds any that was forgotten, in any app, present or future."""

from django.apps import apps

from safepassage.cases import registry
from safepassage.cases.models import Case


def _has_own_key(model) -> bool:
    """Sealed under a key of its own (an intake thread, a shelter), not its case's."""
    return any(f.name == "data_key" for f in model._meta.concrete_fields)


def under_case_key() -> set:
    """Models with sealed fields whose rows hang from a case, directly or through another such
    model (a consent from a testimony), and that have no key of their own."""
    found, grew = set(), True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in found or not getattr(model, "SEALED_FIELDS", ()) or model is Case or _has_own_key(model):
                continue
            parents = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
            if Case in parents or parents & found:
                found.add(model)
                grew = True
    return found


def test_every_model_sealed_under_a_case_key_is_registered_for_rotation_and_erasure():
    registered = {entry.model for entry in registry.sealed()}
    missing = sorted(m._meta.label for m in under_case_key() - registered)
    assert missing == []


def test_the_finder_sees_the_models_of_every_app_above_cases():
    labels = {m._meta.label for m in under_case_key()}
    assert {"cases.Person", "cases.ExposureEvent", "evidence.Testimony", "evidence.Consent",
            "dossiers.DisclosureItem"} <= labels
    assert "intake.Message" not in labels  # sealed under its thread's own key


def test_children_are_deleted_before_their_parents():
    order = [entry.model for entry in reversed(registry.sealed())]
    for model in order:
        for field in model._meta.concrete_fields:
            parent = field.related_model if field.is_relation else None
            if parent in order:
                assert order.index(model) < order.index(parent), (model._meta.label, parent._meta.label)
