from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safepassage.intake import service

OFF = {"autocomplete": "off", "autocorrect": "off", "spellcheck": "false"}
URGENCY_PUBLIC = [
    (1, _("I am in danger now")),
    (2, _("I will be in danger within days")),
    (3, _("Not immediately")),
]
assert [c for c, _l in URGENCY_PUBLIC] == service.URGENCY_LEVELS
LANGUAGES = [("ru", "Русский"), ("en", "English"), ("fr", "Français")]


class PublicForm(forms.Form):
    @property
    def field_errors(self) -> bool:
        """Errors on fields (listed in the summary at the top), not only general ones."""
        return any(name != forms.forms.NON_FIELD_ERRORS for name in self.errors)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def files_field():
    return MultipleFileField(
        label=_("Photos or documents (optional)"), required=False,
        help_text=_("Up to %(n)s files, photos (JPEG, PNG) or PDF, %(mb)s MB each. We remove the hidden "
                    "location and camera details from photos.") % {
            "n": settings.INTAKE_MAX_FILES, "mb": settings.INTAKE_MAX_FILE_BYTES // (1024 * 1024)},
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf", **OFF}))


class RequestForm(PublicForm):
    story = forms.CharField(
        label=_("What is happening?"), max_length=settings.INTAKE_MAX_TEXT,
        help_text=_("Tell us what you can safely say: what happened, who is looking for you, what you need. "
                    "Any language is fine."),
        widget=forms.Textarea(attrs={"rows": 7, **OFF}),
        error_messages={"required": _("Please tell us what is happening.")})
    urgency = forms.TypedChoiceField(label=_("How urgent is it?"), choices=URGENCY_PUBLIC, coerce=int,
                                     widget=forms.RadioSelect(attrs=OFF), error_messages={
                                         "required": _("Please choose how urgent it is.")})
    region = forms.ChoiceField(label=_("Where are you now, roughly?"), choices=service.REGION_CHOICES, required=False,
                               widget=forms.Select(attrs=OFF))
    contact = forms.CharField(
        label=_("A safe way to reach you (optional)"), max_length=500, required=False,
        help_text=_("Only if it is safe: for example a Signal number or an e-mail address nobody else reads. "
                    "You can always come back here with your receipt instead."),
        widget=forms.TextInput(attrs=OFF))
    referrer = forms.CharField(
        label=_("Who told you about us? (optional)"), max_length=500, required=False,
        help_text=_("A person or an organisation. It helps us make sure this request is genuine."),
        widget=forms.TextInput(attrs=OFF))
    language = forms.ChoiceField(label=_("Which language should we write in?"), choices=LANGUAGES,
                                 widget=forms.Select(attrs=OFF))
    # A trap for robots: hidden from people by the stylesheet; a person leaves it empty.
    website = forms.CharField(label=_("Leave this empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", **OFF}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"] = files_field()


class ReceiptForm(PublicForm):
    receipt = forms.CharField(label=_("Your receipt"), max_length=300,
                              help_text=_("The words you were given when you sent your request."),
                              widget=forms.TextInput(attrs={"autocapitalize": "none", **OFF}),
                              error_messages={"required": _("Please type your receipt.")})


class MessageForm(PublicForm):
    body = forms.CharField(label=_("Your message"), max_length=settings.INTAKE_MAX_TEXT, required=False,
                           widget=forms.Textarea(attrs={"rows": 5, **OFF}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"] = files_field()
