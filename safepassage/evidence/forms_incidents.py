"""Forms for the evidence base: sources, events, acts, victims, attestations and merges. They
parse; the rules live in actions/."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.cases.forms_shelters import date_field

from . import vocabularies
from .models import Event, Source, Term, Victim
from .models.incidents import CERTAINTIES, DATE_PRECISIONS, QUALIFIERS, RELIABILITY, STANCES, UNITS, VALIDITY

TEXT = {"autocomplete": "off"}


def _terms(organisation, vocabulary, current=None):
    """Active terms of a vocabulary, and the one a record already uses even if inactive."""
    terms = vocabularies.active_terms(organisation, vocabulary)
    if current is not None:
        terms = terms | Term.objects.filter(pk=current.pk)
    return terms.distinct()


class TermField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class RecordChoiceField(forms.ChoiceField):
    """A choice among records whose labels were opened for this form (sealed titles)."""

    def __init__(self, *args, queryset=None, **kwargs):
        self.queryset = queryset
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        return self.queryset.filter(pk=value).first()


class SourceForm(forms.Form):
    source_type = TermField(label=_("Kind of source"), queryset=Term.objects.none(), empty_label=_("Choose"))
    title = forms.CharField(label=_("Title"), max_length=300, widget=forms.TextInput(attrs=TEXT),
                            help_text=_("E.g. the headline of the article or the name of the report. Encrypted."))
    publisher = forms.CharField(label=_("Author or publisher"), max_length=300, required=False,
                                widget=forms.TextInput(attrs=TEXT))
    published_on = date_field(_("Published on"), required=False)
    url = forms.CharField(label=_("Address (URL)"), max_length=2000, required=False,
                          widget=forms.TextInput(attrs={**TEXT, "inputmode": "url"}),
                          help_text=_("Kept encrypted; shown in public exports only for a public source."))
    public = forms.BooleanField(label=_("Published: may be cited in public statistics"), required=False,
                                help_text=_("Tick only for a report anyone can read (a newspaper, an NGO report, an "
                                            "official statement). Never for a confidential testimony."))
    reliability = forms.ChoiceField(label=_("Reliability of the source"), choices=RELIABILITY, initial="F",
                                    help_text=_("How far this source can usually be trusted, whatever it says "
                                                "this time."))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=20000,
                            widget=forms.Textarea(attrs={**TEXT, "rows": 4}), help_text=_("Encrypted."))

    def __init__(self, *args, organisation=None, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_type"].queryset = _terms(organisation, "source_type", current)


class DatedForm(forms.Form):
    occurred_on = date_field(_("Date"), required=False,
                             help_text=_("Any day in the period: with the precision 'Month', 2017-04-15 means "
                                         "April 2017."))
    date_precision = forms.ChoiceField(label=_("Precision of the date"), choices=DATE_PRECISIONS, initial="day")


class EventForm(DatedForm):
    title = forms.CharField(label=_("What happened"), max_length=300, widget=forms.TextInput(attrs=TEXT),
                            help_text=_("A short title, e.g. 'Wave of detentions in Argun'. Encrypted."))
    description = forms.CharField(label=_("Description"), required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={**TEXT, "rows": 5}), help_text=_("Encrypted."))
    region = TermField(label=_("Region"), queryset=Term.objects.none(), required=False,
                       empty_label=_("Not known"))
    place = forms.CharField(label=_("Place, in more detail"), max_length=300, required=False,
                            widget=forms.TextInput(attrs=TEXT),
                            help_text=_("Encrypted and never exported: statistics show the region only."))
    field_order = ["title", "description", "occurred_on", "date_precision", "region", "place"]

    def __init__(self, *args, organisation=None, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _terms(organisation, "region", current)


class ActForm(DatedForm):
    act_type = TermField(label=_("What was done"), queryset=Term.objects.none(), empty_label=_("Choose"))
    perpetrator_type = TermField(label=_("By whom"), queryset=Term.objects.none(), empty_label=_("Choose"))
    victim = RecordChoiceField(label=_("To whom"), required=False,
                               help_text=_("A victim already recorded, or nobody in particular for a group "
                                           "counted as a number."))
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=1_000_000, initial=1,
                               widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
                               help_text=_("As the source reports it. An act done to one victim counts 1."))
    qualifier = forms.ChoiceField(label=_("The number is"), choices=QUALIFIERS, initial="exact")
    unit = forms.ChoiceField(label=_("Counting"), choices=UNITS, initial="persons")
    region = TermField(label=_("Region"), queryset=Term.objects.none(), required=False,
                       empty_label=_("As the event"))
    certainty = forms.ChoiceField(label=_("Certainty that this act happened"), choices=CERTAINTIES,
                                  initial="probable")
    note = forms.CharField(label=_("Note"), required=False, max_length=20000,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 3}), help_text=_("Encrypted."))
    field_order = ["act_type", "perpetrator_type", "victim", "count", "qualifier", "unit", "occurred_on",
                   "date_precision", "region", "certainty", "note"]

    def __init__(self, *args, organisation=None, victims=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["act_type"].queryset = _terms(organisation, "act_type", current.act_type if current else None)
        f["perpetrator_type"].queryset = _terms(organisation, "perpetrator_type",
                                                current.perpetrator_type if current else None)
        f["region"].queryset = _terms(organisation, "region", current.region if current else None)
        f["victim"].choices = [("", _("Nobody in particular (a group, counted)"))] + list(victims)
        f["victim"].queryset = Victim.objects.filter(organisation=organisation)
        f["occurred_on"].help_text = _("Leave empty, with the precision 'As the event', when the act happened "
                                       "when the event did.")
        f["date_precision"].choices = [("", _("As the event"))] + list(DATE_PRECISIONS)
        f["date_precision"].required = False
        f["date_precision"].initial = ""


class SourceChoiceMixin(forms.Form):
    source = RecordChoiceField(label=_("Reported by"))
    validity = forms.ChoiceField(label=_("How far this source's account of the act is borne out"),
                                 choices=VALIDITY, initial="6")

    def set_sources(self, organisation, sources):
        self.fields["source"].choices = [("", _("Choose a source"))] + list(sources)
        self.fields["source"].queryset = Source.objects.filter(organisation=organisation)


class NewActForm(ActForm, SourceChoiceMixin):
    """A new act comes with its first source; `events` (id, title) adds a choice of event when
    the act is not recorded from an event's page."""

    def __init__(self, *args, sources=(), events=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = kwargs.get("organisation")
        self.set_sources(organisation, sources)
        order = ["source", "validity"] + ActForm.field_order
        if events is not None:
            self.fields["event"] = RecordChoiceField(
                label=_("Event"), choices=[("", _("Choose an event"))] + list(events),
                queryset=Event.objects.filter(organisation=organisation))
            order = ["event"] + order
        self.order_fields(order)


class AttestationForm(SourceChoiceMixin):
    stance = forms.ChoiceField(label=_("This source"), choices=STANCES, initial="reports",
                               help_text=_("An official denial is recorded too; only a source that reports the act "
                                           "counts it."))
    field_order = ["source", "stance", "validity"]

    def __init__(self, *args, organisation=None, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_sources(organisation, sources)
        self.order_fields(self.field_order)


class VictimForm(forms.Form):
    description = forms.CharField(
        label=_("Description"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT),
        help_text=_("No name: what tells this person apart, e.g. 'man, about 25, student'. Encrypted."))


class MergeForm(forms.Form):
    reason = forms.CharField(label=_("Why they are the same"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
                             help_text=_("E.g. 'same date, place and victim in both reports'. Encrypted."))


class ConfirmForm(forms.Form):
    """A POST with its CSRF token and nothing else: the confirmation page's button. Bind it to
    request.POST whenever the method is POST (an empty POST is falsy, and `or None` would leave
    the form unbound and never valid)."""
