"""Forms for the shelter registry and for stays. They parse; the rules (capacity, dates,
who may do what) live in actions/shelters.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions.shelters import MAX_CAPACITY
from .models import Shelter

DATE_WIDGET = {"type": "date", "autocomplete": "off"}


def date_field(label, required=True, help_text=""):
    """ISO dates only: what a date picker sends, and never ambiguous (is 02/05 May or February?)."""
    return forms.DateField(label=label, required=required, help_text=help_text, input_formats=["%Y-%m-%d"],
                           widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
                           error_messages={"invalid": _("Enter a date as year-month-day, e.g. 2024-03-31.")})


class ShelterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("What the team calls this place. Encrypted; only shelter coordinators read it."),
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))
    address = forms.CharField(label=_("Address"), max_length=2000,
                              help_text=_("Encrypted. A case's members see it only after two coordinators "
                                          "release it to them."),
                              widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}))
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=MAX_CAPACITY,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class ShareKeysForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Shelter coordinator"), queryset=None,
                                    empty_label=_("Choose a shelter coordinator"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates
        self.fields["member"].to_field_name = "uuid"


class ShelterChoiceField(forms.ModelChoiceField):
    """Labels come from the actions (decrypted names only for holders of a shelter's key)."""

    def __init__(self, *args, labels, **kwargs):
        self.labels = labels
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self.labels.get(obj.pk, "")


class StayForm(forms.Form):
    starts_on = date_field(_("From"))
    ends_on = date_field(_("Until (the day they leave)"), required=False,
                         help_text=_("Leave empty while the end is not known."))
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=MAX_CAPACITY, initial=1,
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class PlaceForm(StayForm):
    shelter = ShelterChoiceField(label=_("Shelter"), queryset=None, labels={},
                                 empty_label=_("Choose a shelter"),
                                 help_text=_("Free places today. The dates you enter are checked when you save."))
    field_order = ["shelter", "starts_on", "ends_on", "people"]

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["shelter"]
        field.labels = {shelter.pk: str(label) for shelter, label in choices}
        field.queryset = Shelter.objects.filter(pk__in=list(field.labels)).order_by("created_at")
