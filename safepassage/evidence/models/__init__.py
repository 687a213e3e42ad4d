"""Evidence models, split by domain: testimonies on cases, the vocabularies, the organisation's
evidence base (who did what to whom), testimonies shared with it, and files with their custody."""

from .base import EvidenceKey
from .files import CustodyEntry, EvidenceFile
from .incidents import Act, Attestation, Event, Merge, Source, Victim
from .shares import TestimonyShare
from .testimonies import PURPOSES, Consent, Testimony, Translation
from .vocabulary import VOCABULARIES, Term

__all__ = ["PURPOSES", "VOCABULARIES", "Act", "Attestation", "Consent", "CustodyEntry", "EvidenceFile",
           "EvidenceKey", "Event", "Merge", "Source", "Term", "Testimony", "TestimonyShare", "Translation",
           "Victim"]
