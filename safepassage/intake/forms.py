from django import forms
from django.utils.translation import gettext_lazy as _


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Reply to the applicant"), max_length=20000,
                           help_text=_("The applicant sees it as coming from “our team”, never your name."),
                           widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}))


class ConvertForm(forms.Form):
    pseudonym = forms.CharField(label=_("Pseudonym for the new case"), max_length=200,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))


class DeclineForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, decline this request"))
