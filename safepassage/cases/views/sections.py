"""The case page is assembled from one section per domain; each domain module decides what
it shows (and asks the access policy itself)."""

from dataclasses import dataclass, field

from . import deadlines, documents, people, stays, vetting, work


@dataclass
class Section:
    template: str
    context: dict = field(default_factory=dict)


SECTIONS = [vetting.section, people.section, stays.section, documents.section, deadlines.section, work.section]


def build(request, case) -> list[Section]:
    return [s for s in (make(request, case) for make in SECTIONS) if s is not None]
