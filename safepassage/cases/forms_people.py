"""Forms for persons, links and exposure events. Everything typed here is sealed by the actions."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions.people import EXPOSURE_MAX, NAME_MAX, NOTES_MAX, PHONE_MAX
from .models.people import EXPOSURE_KINDS, PERSON_ROLES

# Day first as written in Russia and France, or ISO; a text box, so nobody scrolls a date picker
# back forty years on a phone.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"]
RELATIONS = [(code, label) for code, label in PERSON_ROLES if code != "applicant"]


def _text(**attrs):
    return forms.TextInput(attrs={"autocomplete": "off", **attrs})


class DateText(forms.DateField):
    def __init__(self, **kwargs):
        super().__init__(input_formats=DATE_FORMATS, widget=_text(placeholder="1990-04-23"), **kwargs)
        self.error_messages["invalid"] = _("Write the date as year-month-day (1990-04-23) or day.month.year "
                                           "(23.04.1990).")

    def clean(self, value):
        value = super().clean(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        if value and value < datetime.date(1900, 1, 1):
            raise forms.ValidationError(_("This date is too far in the past."))
        return value


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Who they are in this case"), choices=PERSON_ROLES)
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX, widget=_text(),
                           help_text=_("As written in their documents, in any alphabet; a nickname if that is "
                                       "all you have. Encrypted."))
    phone = forms.CharField(label=_("Phone number"), max_length=PHONE_MAX, required=False,
                            widget=_text(inputmode="tel"), help_text=_("Any format. Encrypted."))
    birth_date = DateText(label=_("Birth date"), required=False, help_text=_("Leave empty if unknown. Encrypted."))
    notes = forms.CharField(label=_("Notes"), max_length=NOTES_MAX, required=False,
                            widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
                            help_text=_("Where they are, how to reach them safely, what they know. Encrypted."))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = sum(ch.isdigit() for ch in phone)
        if phone and (digits < 6 or any(not (ch.isdigit() or ch in "+-() .") for ch in phone)):
            raise forms.ValidationError(_("A phone number has at least 6 digits and only digits, spaces, "
                                          "+ - ( ) and dots."))
        return phone


class LinkCaseForm(forms.Form):
    """Step 1 of a link: which case the other person is in (only cases the user is a member of)."""

    case = forms.ChoiceField(label=_("The other person is in"))

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = cases


class LinkForm(forms.Form):
    """Step 2: the other person, how they are connected, what exposes them."""

    other = forms.ChoiceField(label=_("Person"))
    relation = forms.ChoiceField(label=_("How they are connected"), choices=RELATIONS)
    exposure = forms.CharField(label=_("What exposes them"), max_length=EXPOSURE_MAX, required=False,
                               widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
                               help_text=_("For example: his photo is in the other's phone. Encrypted in this "
                                           "case; members of the other case only see that a link exists."))

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [("", _("Choose a person"))] + persons


class ExposureForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=EXPOSURE_KINDS)
    happened_on = DateText(label=_("When"))
    note = forms.CharField(label=_("Note"), max_length=NOTES_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
                           help_text=_("What is known, and from whom. Encrypted. Other cases only see "
                                       "what happened (the category), never this note."))
