from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions.work import MAX_CADENCE_HOURS, NOTE_LIMIT, TITLE_LIMIT

NO_AUTOFILL = {"autocomplete": "off"}


class NoteForm(forms.Form):
    prefix = "note"  # unique ids and names on the case page, beside other sections' forms

    body = forms.CharField(label=_("New note"), max_length=NOTE_LIMIT,
                           help_text=_("Only members of this case can read it. Encrypted."),
                           widget=forms.Textarea(attrs={"rows": 3, **NO_AUTOFILL}))


class TaskForm(forms.Form):
    prefix = "task"  # unique ids and names on the case page, beside other sections' forms

    title = forms.CharField(label=_("Task"), max_length=TITLE_LIMIT,
                            help_text=_("What needs doing. Encrypted."),
                            widget=forms.TextInput(attrs=NO_AUTOFILL))
    due_on = forms.DateField(label=_("Due on"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    assignee = forms.ModelChoiceField(label=_("Assigned to"), queryset=None, required=False,
                                      empty_label=_("Nobody yet"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members
        self.fields["assignee"].to_field_name = "uuid"
        self.fields["assignee"].error_messages["invalid_choice"] = _(
            "A task can only go to a member of this case.")


class CheckInForm(forms.Form):
    prefix = "checkin"  # unique ids and names on the case page, beside other sections' forms

    note = forms.CharField(label=_("How are they? (optional)"), max_length=NOTE_LIMIT, required=False,
                           help_text=_("Encrypted."), widget=forms.Textarea(attrs={"rows": 2, **NO_AUTOFILL}))
    at = forms.DateTimeField(label=_("When (optional)"), required=False,
                             help_text=_("Leave empty for now."),
                             input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].label = _("When (%(zone)s time, optional)") % {"zone": timezone.get_current_timezone_name()}


class CadenceForm(forms.Form):
    prefix = "cadence"  # unique ids and names on the case page, beside other sections' forms

    hours = forms.IntegerField(label=_("Check in every (hours)"), required=False, min_value=1,
                               max_value=MAX_CADENCE_HOURS,
                               help_text=_("For example 48 while the person is in danger. Leave empty for no "
                                           "regular check-ins."),
                               # A text box with a digit keyboard: full width and easy to tap on a phone.
                               widget=forms.TextInput(attrs={"inputmode": "numeric", **NO_AUTOFILL}))
