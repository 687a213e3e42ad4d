from django import forms
from django.utils.translation import gettext_lazy as _

from .rules.events import EVENTS


class EventForm(forms.Form):
    code = forms.ChoiceField(label=_("What happened"), choices=[(e.code, e.label) for e in EVENTS.values()])
    happened_on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("For a decision: the day it was notified."))
