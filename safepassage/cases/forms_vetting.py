from django import forms
from django.utils.translation import gettext_lazy as _

from .models.vetting import TRUST_LEVELS

NO_AUTOFILL = {"autocomplete": "off"}


class VettingForm(forms.Form):
    prefix = "vetting"

    referrer = forms.CharField(
        label=_("Referrer"), max_length=500, required=False,
        help_text=_("Who sent this person to us, and how to reach them. Encrypted."),
        widget=forms.TextInput(attrs=NO_AUTOFILL))
    referrer_trust = forms.ChoiceField(label=_("How far we trust the referrer"), choices=TRUST_LEVELS,
                                       initial="unknown")
    identity_checked = forms.BooleanField(label=_("Identity checked"), required=False)
    referrer_checked = forms.BooleanField(label=_("Referrer checked"), required=False)
    story_corroborated = forms.BooleanField(label=_("Story corroborated by an independent source"), required=False)
    duplicates_checked = forms.BooleanField(label=_("Checked against other cases (duplicates)"), required=False)
    notes = forms.CharField(
        label=_("Consistency notes"), max_length=20000, required=False,
        help_text=_("What fits and what does not fit in the story. Encrypted."),
        widget=forms.Textarea(attrs={"rows": 6, **NO_AUTOFILL}))


class CorroborationForm(forms.Form):
    prefix = "corroboration"

    source = forms.CharField(label=_("Source"), max_length=500,
                             help_text=_("Who or what confirms the story (a person, an NGO, a media report). "
                                         "Encrypted."),
                             widget=forms.TextInput(attrs=NO_AUTOFILL))
    detail = forms.CharField(label=_("What it confirms"), max_length=20000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3, **NO_AUTOFILL}))
    independent = forms.BooleanField(label=_("Independent of the applicant and the referrer"), required=False,
                                     initial=True)
