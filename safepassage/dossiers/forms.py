"""Forms for dossiers, disclosures, links and redactions. They parse; the rules live in actions/."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from safepassage.cases.forms_shelters import date_field
from safepassage.evidence.models import PURPOSES, Consent, EvidenceFile, Testimony, Translation

from .actions.disclosures import MAX_DAYS, MAX_DOWNLOADS
from .models import RECIPIENT_KINDS, Dossier

TEXT = {"autocomplete": "off"}


def _testimony_choices(case):
    return [("", _("Choose a testimony"))] + [
        (str(t.pk), _("Taken on %(day)s, in %(language)s") % {"day": date_format(t.taken_on, "j M Y"),
                                                           "language": t.language})
        for t in Testimony.objects.filter(case=case)]


def _translation_choices(case):
    rows = Translation.objects.filter(testimony__case=case, machine=False, target_language__startswith="fr")
    return [("", _("None (the testimony is in French)"))] + [
        (str(t.pk), _("Into %(language)s, recorded on %(day)s") % {"language": t.target_language,
                                                                   "day": date_format(t.created_at, "j M Y")})
        for t in rows.select_related("testimony")]


class AccountForm(forms.Form):
    """What every dossier built on a testimony asks for."""

    # Nothing here is required by the form itself: what a dossier lacks is listed all at once by
    # the action (actions/dossiers.py), with the case's own missing pieces.
    testimony = forms.ChoiceField(label=_("Testimony the account comes from"), required=False)
    translation = forms.ChoiceField(label=_("Its French translation"), required=False,
                                    help_text=_("A translation made by a person; a machine translation is never "
                                                "used in a dossier."))
    nationality = forms.CharField(label=_("Nationality (in French)"), max_length=100, required=False,
                                  initial="russe", widget=forms.TextInput(attrs=TEXT))
    date = date_field(_("Date of the document"))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["testimony"].choices = _testimony_choices(case)
        self.fields["translation"].choices = _translation_choices(case)
        self.fields["date"].initial = timezone.localdate()


class VisaForm(AccountForm):
    consulate = forms.CharField(label=_("Consulate (as on the envelope)"), max_length=600, required=False,
                                widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
                                help_text=_("E.g. Consulat général de France à Moscou, with its address."))
    place = forms.CharField(label=_("Signed at (town)"), max_length=100, required=False,
                            widget=forms.TextInput(attrs=TEXT))
    signatory = forms.CharField(label=_("Signed by"), max_length=200, required=False,
                                widget=forms.TextInput(attrs=TEXT))
    signatory_title = forms.CharField(label=_("Their position"), max_length=200, required=False,
                                      widget=forms.TextInput(attrs=TEXT))
    letterhead = forms.CharField(label=_("Organisation's letterhead"), max_length=1000, required=False,
                                 widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
                                 help_text=_("Name, postal address, contact: printed at the top of the letter."))
    evidence = forms.ModelMultipleChoiceField(
        label=_("Evidence files in the index"), required=False, queryset=EvidenceFile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their descriptions and fingerprints are printed in the dossier. None ticked: all of them."))
    reason = forms.CharField(label=_("Why the organisation supports the request (in French)"), required=False,
                             max_length=4000, widget=forms.Textarea(attrs={**TEXT, "rows": 5}),
                             help_text=_("One paragraph of the letter, e.g. what the person went through and why "
                                         "they cannot stay. Never where they are now."))
    field_order = ["consulate", "place", "date", "signatory", "signatory_title", "letterhead", "testimony",
                   "translation", "nationality", "reason", "evidence"]

    def __init__(self, *args, case=None, file_names=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["evidence"].queryset = EvidenceFile.objects.filter(case=case)
        names = file_names or {}
        self.fields["evidence"].label_from_instance = lambda f: f"{names.get(f.pk) or f.short_ref} " \
                                                                f"({f.get_kind_display()})"


class PackForm(AccountForm):
    pass


class DisclosureForm(forms.Form):
    recipient = forms.CharField(label=_("Recipient"), max_length=1000,
                                widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
                                help_text=_("Who receives it, as precisely as you can (office, person). Encrypted."))
    recipient_kind = forms.ChoiceField(label=_("Kind of recipient"), choices=[("", _("Choose"))] + RECIPIENT_KINDS)
    recipient_country = forms.CharField(label=_("Country the recipient belongs to"), max_length=2, min_length=2,
                                        widget=forms.TextInput(attrs={**TEXT, "size": 3}),
                                        help_text=_("Two letters, e.g. FR for a French consulate in Moscow."))
    origin_authority = forms.BooleanField(
        label=_("This recipient is an authority of a country the person fled"), required=False,
        help_text=_("Then nothing is sent, ever."))
    not_an_authority = forms.BooleanField(
        label=_("I confirm this recipient is not, and does not work for, an authority of a country the person fled"),
        required=False, help_text=_("Asked only when the recipient is in such a country."))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", _("Choose"))] + PURPOSES)
    consent = forms.ModelChoiceField(label=_("The person's consent it relies on"), queryset=Consent.objects.none(),
                                     empty_label=_("Choose a consent"))
    dossiers = forms.ModelMultipleChoiceField(label=_("Dossiers to send"), required=False,
                                              queryset=Dossier.objects.none(), widget=forms.CheckboxSelectMultiple)
    evidence_files = forms.ModelMultipleChoiceField(
        label=_("Evidence files to send (their working copies)"), required=False,
        queryset=EvidenceFile.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("Only photos are cleaned of their hidden data (place, device). PDFs, recordings and videos are "
                    "sent as they are: check them first."))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}), help_text=_("Encrypted."))

    def __init__(self, *args, case=None, file_names=None, **kwargs):
        super().__init__(*args, **kwargs)
        consents = Consent.objects.filter(testimony__case=case, withdrawn_on__isnull=True,
                                          given_on__lte=timezone.localdate()).select_related("testimony")
        self.fields["consent"].queryset = consents
        self.fields["consent"].label_from_instance = lambda c: _(
            "%(purpose)s, given on %(given)s (testimony of %(taken)s)") % {
            "purpose": c.get_purpose_display(), "given": date_format(c.given_on, "j M Y"),
            "taken": date_format(c.testimony.taken_on, "j M Y")}
        self.fields["dossiers"].queryset = Dossier.objects.filter(case=case)
        self.fields["dossiers"].label_from_instance = lambda d: f"{d.get_kind_display()} {d.short_ref} " \
                                                                f"({date_format(d.created_at, 'j M Y')})"
        self.fields["evidence_files"].queryset = EvidenceFile.objects.filter(case=case)
        names = file_names or {}
        self.fields["evidence_files"].label_from_instance = lambda f: f"{names.get(f.pk) or f.short_ref} " \
                                                                      f"({f.get_kind_display()})"


class LinkForm(forms.Form):
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=7,
                              widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}))
    max_downloads = forms.IntegerField(label=_("Downloads allowed"), min_value=1, max_value=MAX_DOWNLOADS, initial=3,
                                       widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}))


class RedactionForm(forms.Form):
    words = forms.CharField(label=_("Also redact these words"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
                            help_text=_("One per line: names, nicknames, places the proposals missed."))

    def __init__(self, *args, findings=(), text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = list(findings)
        for i, f in enumerate(self.findings):
            self.fields[f"p{i}"] = forms.BooleanField(label=f.text(text), required=False, initial=True)

    def chosen(self) -> list[int]:
        return [i for i in range(len(self.findings)) if self.cleaned_data.get(f"p{i}")]
