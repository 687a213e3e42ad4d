from django import forms
from django.utils.translation import gettext_lazy as _

from .models import URGENCY_CHOICES


class CaseForm(forms.Form):
    pseudonym = forms.CharField(label=_("Pseudonym"), max_length=200,
                                help_text=_("A name the team uses for this person. Encrypted."),
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    summary = forms.CharField(label=_("Summary"), max_length=20000, required=False,
                              help_text=_("What is happening and what is needed. Encrypted."),
                              widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}))
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=URGENCY_CHOICES, coerce=int, initial=3)


class AddMemberForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Staff member"), queryset=None,
                                    empty_label=_("Choose a staff member"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates
        self.fields["member"].to_field_name = "uuid"


class EraseForm(forms.Form):
    confirm = forms.CharField(label=_("Type ERASE to confirm"), max_length=10)

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip().upper() != "ERASE":
            raise forms.ValidationError(_("Type ERASE in capital letters to confirm."))
        return "ERASE"
