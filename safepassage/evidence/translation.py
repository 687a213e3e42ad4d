"""Machine translation as a pluggable interface. safepassage ships no model and downloads
nothing: with settings.EVIDENCE_MACHINE_TRANSLATOR unset (the default) there is no machine
translation at all, and the pages do not offer it.

An operator who wants it names a class implementing Translator by its dotted path; it runs
inside the staff member's request, on the decrypted text, so it must run on the server itself
(a remote service would receive the testimony)."""

from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string


@runtime_checkable
class Translator(Protocol):
    name: str  # shown next to the translation, e.g. "argos 1.9 ru→fr"

    def translate(self, text: str, source: str, target: str) -> str:
        """The text translated from language `source` to `target` (BCP 47 codes)."""


def machine_translator() -> Translator | None:
    """The configured translator, or None when machine translation is off."""
    path = getattr(settings, "EVIDENCE_MACHINE_TRANSLATOR", None)
    if not path:
        return None
    translator = import_string(path)()
    if not isinstance(translator, Translator):
        raise TypeError(f"{path} does not implement evidence.translation.Translator")
    return translator


def enabled() -> bool:
    return bool(getattr(settings, "EVIDENCE_MACHINE_TRANSLATOR", None))
