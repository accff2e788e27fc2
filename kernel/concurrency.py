"""Optimistic locking for records that several people edit.

Every editable record carries a `version`. The form sends back the version it was rendered
with; the service locks the row and refuses the save if someone else saved in between.
"""

from django.db import models
from django.utils.translation import gettext as _


class EditConflict(Exception):
    """The record changed since the form was loaded; `current` holds the saved state."""

    def __init__(self, current):
        super().__init__(_("This record was changed by someone else while you were editing it."))
        self.current = current


def lock_for_edit(model: type[models.Model], pk, *, expected_version: int | None):
    """Return the row locked for update, or raise EditConflict if its version moved on."""
    instance = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and instance.version != expected_version:
        raise EditConflict(instance)
    return instance
