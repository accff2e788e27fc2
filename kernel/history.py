"""Who changed what and when, read from django-simple-history for display on a record."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from .clauses import ClauseListField, format_clause_list

HIDDEN_FIELDS = {"version", "updated_at", "created_at", "progress"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    action: str  # created / changed / deleted
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def _display(model, field_name, value, fk_labels):
    if value in (None, "", []):
        return "—"
    model_field = model._meta.get_field(field_name)
    if isinstance(model_field, ClauseListField):
        return format_clause_list(value)
    if isinstance(model_field, models.ForeignKey):
        return fk_labels.get((field_name, value), f"#{value}")
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return str(value)


def history_entries(instance, *, limit: int = 50) -> list[HistoryEntry]:
    """The newest `limit` history entries of one record, with field-level changes.

    One query for the history rows and one per referenced model, whatever the length.
    """
    model = type(instance)
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    tracked = {f.attname for f in instance.history.model._meta.fields}
    fk_fields = [
        f for f in model._meta.get_fields() if isinstance(f, models.ForeignKey) and f.attname in tracked
    ]
    fk_labels = {}
    for fk in fk_fields:
        ids = {getattr(r, fk.attname) for r in records} - {None}
        if ids and fk.name not in ("project",):
            for obj in fk.related_model._default_manager.filter(pk__in=ids):
                fk_labels[(fk.name, obj.pk)] = str(obj)
    entries = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        action = {"+": _("created"), "~": _("changed"), "-": _("deleted")}[record.history_type]
        changes = []
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                verbose = model._meta.get_field(change.field).verbose_name
                changes.append(
                    Change(
                        field=str(verbose).capitalize(),
                        old=_display(model, change.field, change.old, fk_labels),
                        new=_display(model, change.field, change.new, fk_labels),
                    )
                )
            if not changes:
                continue
        who = record.history_user.get_username() if record.history_user else _("system")
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=who,
                action=action,
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries
