from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .concurrency import EditConflict

# The window of dates a user may enter. Anything outside is a typo (0202, 9999) that would otherwise
# be stored and make every computation on it (forecast, timeline, cycles) work at the calendar's edge.
DATE_MIN = date(1990, 1, 1)
DATE_MAX = date(2099, 12, 31)


def bound_date_fields(form) -> None:
    """Give every date field of the form the DATE_MIN..DATE_MAX window: a form error outside it."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.validators += [
                MinValueValidator(
                    DATE_MIN,
                    _("Enter a date on or after %(date)s.") % {"date": date_format(DATE_MIN, "DATE_FORMAT")},
                ),
                MaxValueValidator(
                    DATE_MAX,
                    _("Enter a date on or before %(date)s.") % {"date": date_format(DATE_MAX, "DATE_FORMAT")},
                ),
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


# Callers fill {noun} with .format(): a lazy string, translated when it is formatted.
CONFLICT_MESSAGE = gettext_lazy(
    "Someone else saved this {noun} while you were editing. The form now shows the saved version; "
    "make your change again if it is still needed."
)


def flag_conflict(form, message: str):
    """Put a conflict message on a fresh, unbound form that shows the saved state; returns the form.

    Django's add_error expects cleaned_data, which an unbound form never gets.
    """
    form.cleaned_data = {}
    form.add_error(None, message)
    return form


def conflict_form(form_class, current, *, noun: str, **kwargs):
    """The edit form showing the record's saved values (and new version), with the conflict message."""
    return flag_conflict(form_class(instance=current, **kwargs), CONFLICT_MESSAGE.format(noun=noun))


@dataclass
class Edit:
    """What became of one pass through an edit form (see versioned_edit)."""

    form: Any
    status: int = 200  # 200 shown or saved, 422 refused input, 409 someone else saved first
    saved: bool = False
    result: Any = None  # what the service returned, once saved
    current: Any = None  # the record as saved by the other person, after a conflict


def versioned_edit(
    request,
    form,
    save: Callable[[dict, int], Any],
    *,
    on_conflict: Callable[[Any], Any] | None = None,
) -> Edit:
    """The POST loop of every edit with optimistic locking, written once.

    Before a POST the form is only shown (200). On a POST the bound form is validated and
    `save(data, version)` called with its cleaned data (without "version") and the version the form
    was rendered with; it calls the service. A refused save (EditConflict) answers 409 with
    `on_conflict(current)`, a form showing what the other person saved (see conflict_form); a
    ValidationError, or invalid input, answers 422 with the errors on the form.
    """
    if request.method != "POST":
        return Edit(form)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            result = save(data, version)
        except EditConflict as conflict:
            current = conflict.current
            return Edit(on_conflict(current) if on_conflict else form, status=409, current=current)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return Edit(form, saved=True, result=result)
    return Edit(form, status=422)
