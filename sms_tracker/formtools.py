from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

# The window of dates a user may enter. Anything outside is a typo (0202, 9999) that would otherwise
# be stored and make every computation on it (forecast, timeline, cycles) work at the calendar's edge.
DATE_MIN = date(1990, 1, 1)
DATE_MAX = date(2099, 12, 31)


def bound_date_fields(form) -> None:
    """Give every date field of the form the DATE_MIN..DATE_MAX window: a form error outside it."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.validators += [
                MinValueValidator(DATE_MIN, f"Enter a date on or after {DATE_MIN:%-d %B %Y}."),
                MaxValueValidator(DATE_MAX, f"Enter a date on or before {DATE_MAX:%-d %B %Y}."),
            ]
            field.widget.attrs.setdefault("min", DATE_MIN.isoformat())
            field.widget.attrs.setdefault("max", DATE_MAX.isoformat())


def add_validation_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


CONFLICT_MESSAGE = (
    "Someone else saved this {noun} while you were editing. The form now shows the saved version; "
    "make your change again if it is still needed."
)


def flag_conflict(form, message: str) -> None:
    """Put a conflict message on a fresh, unbound form that shows the saved state.

    Django's add_error expects cleaned_data, which an unbound form never gets.
    """
    form.cleaned_data = {}
    form.add_error(None, message)


def conflict_form(form_class, current, *, noun: str, **kwargs):
    """The edit form showing the record's saved values (and new version), with the conflict message."""
    form = form_class(instance=current, **kwargs)
    flag_conflict(form, CONFLICT_MESSAGE.format(noun=noun))
    return form
