"""Forms for testimonies, consents and translations. They parse; the rules live in actions.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.cases.forms_shelters import date_field

from .models import PURPOSES, VOCABULARIES

NO_AUTOCOMPLETE = {"autocomplete": "off"}


LANGUAGE_HELP = _("A language code, e.g. ru (Russian), ce (Chechen), fr (French).")


def language_field(label, help_text=LANGUAGE_HELP):
    return forms.CharField(label=label, max_length=16, help_text=help_text,
                           widget=forms.TextInput(attrs={**NO_AUTOCOMPLETE, "size": 8}))


class TestimonyForm(forms.Form):
    text = forms.CharField(label=_("Testimony"), help_text=_("In the words of the person. Encrypted."),
                           widget=forms.Textarea(attrs={**NO_AUTOCOMPLETE, "rows": 14}))
    language = language_field(_("Language of the testimony"))
    taken_on = date_field(_("Taken on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taken_on"].initial = timezone.localdate()


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Consent for"), choices=[("", _("Choose a purpose"))] + PURPOSES)
    given_on = date_field(_("Given on"), help_text=_("A later date means the consent starts on that day."))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           help_text=_("E.g. how the consent was given, any limits. Encrypted."),
                           widget=forms.Textarea(attrs={**NO_AUTOCOMPLETE, "rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()


class WithdrawConsentForm(forms.Form):
    withdrawn_on = date_field(_("Withdrawn on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()


class TranslationForm(forms.Form):
    target_language = language_field(_("Translated into"))
    text = forms.CharField(label=_("Translation"), help_text=_("Encrypted."),
                           widget=forms.Textarea(attrs={**NO_AUTOCOMPLETE, "rows": 14}))
    external_translator = forms.CharField(
        label=_("Translated by someone outside the organisation"), required=False, max_length=200,
        help_text=_("Their name, if you are recording someone else's translation. Encrypted."),
        widget=forms.TextInput(attrs=NO_AUTOCOMPLETE))


class ShareForm(forms.Form):
    text = forms.CharField(label=_("Redacted text for the researchers"),
                           help_text=_("Remove names, nicknames, addresses, phone numbers, exact places and dates, "
                                       "and anything else by which someone could be recognised."),
                           widget=forms.Textarea(attrs={**NO_AUTOCOMPLETE, "rows": 14}))
    language = language_field(_("Language of this text"))


class MachineTranslationForm(forms.Form):
    target_language = language_field(_("Translate into"), help_text="")


LABEL_EN_REQUIRED = _("Enter the English label: it is shown when a translation is missing.")


class TermLabelsForm(forms.Form):
    label_en = forms.CharField(label=_("Label in English"), max_length=200,
                               error_messages={"required": LABEL_EN_REQUIRED})
    label_fr = forms.CharField(label=_("Label in French"), max_length=200, required=False)
    label_ru = forms.CharField(label=_("Label in Russian"), max_length=200, required=False)
    position = forms.IntegerField(label=_("Position"), required=False, initial=0, min_value=0, max_value=100_000,
                                  help_text=_("Terms are listed from the lowest position up."))


class TermForm(TermLabelsForm):
    vocabulary = forms.ChoiceField(label=_("Vocabulary"), choices=VOCABULARIES)
    code = forms.SlugField(label=_("Code"), max_length=64,
                           help_text=_("A short, stable name used in records and exports, e.g. forced_eviction. "
                                       "It cannot be changed later."),
                           error_messages={"required": _("Enter a code."),
                                           "invalid": _("Use lower-case letters, digits, - and _ only, "
                                                        "e.g. forced_eviction.")})
    field_order = ["vocabulary", "code", "label_en", "label_fr", "label_ru", "position"]


class TermEditForm(TermLabelsForm):
    active = forms.BooleanField(label=_("Active"), required=False,
                                help_text=_("An inactive term is no longer offered in forms; records that use "
                                            "it keep it."))
