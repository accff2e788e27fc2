from django.core.exceptions import ValidationError


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
