"""The case page is assembled from one section per domain; each domain module decides what
it shows (and asks the access policy itself)."""

from dataclasses import dataclass, field

from safepassage.dossiers import views as dossiers
from safepassage.evidence.views import files as evidence_files
from safepassage.evidence.views import testimonies as evidence

from . import deadlines, documents, people, stays, vetting, work


@dataclass
class Section:
    template: str
    context: dict = field(default_factory=dict)


# Day-to-day work first: a missed check-in or an open alert must be the first thing a member sees.
SECTIONS = [work.section, vetting.section, people.section, stays.section, documents.section, deadlines.section,
            evidence.section, evidence_files.section, dossiers.section]


def build(request, case) -> list[Section]:
    return [s for s in (make(request, case) for make in SECTIONS) if s is not None]
