"""Case models, split by domain (zulip-style): the case itself, approvals, vetting, people and
their links, shelters, documents, and day-to-day work (notes, tasks, check-ins, alerts, events)."""

from .approvals import Approval
from .case import URGENCY_CHOICES, Case
from .documents import Document
from .people import BlindIndex, ExposureEvent, IndexKey, Person, PersonLink
from .shelters import Shelter, Stay
from .vetting import Corroboration, Vetting
from .work import Alert, CaseEvent, CheckIn, Note, Task

__all__ = ["URGENCY_CHOICES", "Alert", "Approval", "BlindIndex", "Case", "CaseEvent", "CheckIn", "Corroboration",
           "Document", "ExposureEvent", "IndexKey", "Note", "Person", "PersonLink", "Shelter", "Stay", "Task",
           "Vetting"]
