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


def conflict_form(form_class, current, *, noun: str, **kwargs):
    """A form bound to the record's current saved values, carrying the conflict message.

    Bound (not merely initial) so the error renders and a re-submit carries the new version.
    """
    unbound = form_class(instance=current, **kwargs)
    data = {name: unbound[name].value() for name in unbound.fields if unbound[name].value() is not None}
    data["version"] = current.version
    form = form_class(data=data, instance=current, **kwargs)
    form.is_valid()
    form.add_error(None, CONFLICT_MESSAGE.format(noun=noun))
    return form
