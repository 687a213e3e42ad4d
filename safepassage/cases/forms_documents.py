"""The form for one entry of a case's documents register. It parses; the date rules live in
actions/documents.py, which reports them against the right field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms_shelters import date_field
from .models.documents import DOCUMENT_KINDS, DOCUMENT_STATUSES


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=[("", _("Choose a kind of document"))] + DOCUMENT_KINDS)
    status = forms.ChoiceField(label=_("Status"), choices=DOCUMENT_STATUSES, initial="missing")
    reference = forms.CharField(label=_("Number or reference"), max_length=200, required=False,
                                help_text=_("Encrypted."), widget=forms.TextInput(attrs={"autocomplete": "off"}))
    issued_on = date_field(_("Issued on"), required=False)
    expires_on = date_field(_("Expires on"), required=False)
    notified_on = date_field(_("Notified on"), required=False,
                             help_text=_("For decisions: the day it was notified, which starts appeal deadlines."))
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False,
                            help_text=_("E.g. who holds the original, the translator, what is missing. Encrypted."),
                            widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}))
