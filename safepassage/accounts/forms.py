from django import forms
from django.utils.translation import gettext_lazy as _

from . import roles


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Password"), max_length=1024, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TokenForm(forms.Form):
    token = forms.CharField(label=_("Code"), max_length=16, widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}))


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False, max_length=1024,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label=_("New password"), strip=False, max_length=1024,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                   help_text=_("At least 12 characters. A phrase of several words is best."))
    new_password2 = forms.CharField(label=_("New password again"), strip=False, max_length=1024,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password2"):
            raise forms.ValidationError(_("The two new passwords differ."))
        return data


class StaffForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=150, required=False)
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=roles.CHOICES,
                                      widget=forms.CheckboxSelectMultiple)


class NewStaffForm(StaffForm):
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$",
                                error_messages={"invalid": _("Letters, digits and . @ + - _ only.")})
    field_order = ["username", "display_name", "roles"]


class EditStaffForm(StaffForm):
    is_active = forms.BooleanField(label=_("Active (may sign in)"), required=False)


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(label=_("Recovery code"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
