from django.shortcuts import render

CONFLICT_MESSAGE = (
    "Someone else saved this while you were editing. The form now shows their version; "
    "make your change again."
)


def add_conflict(form, message: str = CONFLICT_MESSAGE) -> None:
    """Put the conflict message on a fresh, unbound form that shows the saved state.

    Django's add_error expects cleaned_data, which an unbound form never gets.
    """
    form.cleaned_data = {}
    form.add_error(None, message)


def form_page(request, access, *, title, form, cancel_url, submit="Save", status=200, intro="", extra=None):
    """A focused form page: used for GETs of the small lifecycle forms and for their errors."""
    context = {
        "project": access.project,
        "title": title,
        "form": form,
        "cancel_url": cancel_url,
        "submit": submit,
        "intro": intro,
        **(extra or {}),
    }
    return render(request, "audits/form_page.html", context, status=status)


def int_or_zero(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
