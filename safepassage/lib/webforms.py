"""The one shape of a form-handling view: parse, run the action, put its refusals on the form."""

from django.core.exceptions import ValidationError


def save(form, do) -> bool:
    """Run `do(**form.cleaned_data)` if the form is valid; an action's ValidationError goes back
    onto the form (on its field when it names one). True when saved."""
    if not form.is_valid():
        return False
    try:
        do(**form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    return True
