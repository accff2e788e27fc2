from django.shortcuts import render
from django.utils.translation import gettext_lazy

SAVE = gettext_lazy("Save")


def form_page(request, access, *, title, form, cancel_url, submit=SAVE, status=200, intro="", extra=None):
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
