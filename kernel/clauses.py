"""Clause numbers of the standard ("8.5.1"), in one place: parsing, order, prefixes, the stored
list format and the roadmap's clause references ("4.1–4.4, 5.1", "8.x", "all").

The model fields that store clause numbers live here too: `ClauseListField` (a normalised JSON list,
used by every model that names several clauses) and `ClauseField` (one clause number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# A clause number as people type it into a document's clause list: "8", "8.5", "8.5.1".
CLAUSE_NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2}){0,4}$")
# A clause number in an imported checklist template, which may number deeper than the standard.
TEMPLATE_CLAUSE_NUMBER = re.compile(r"^\d+(\.\d+)*$")
SEPARATORS = re.compile(r"[\s,;]+")


def clause_key(number: str) -> tuple[int, ...]:
    """Sort key: "8.10" after "8.9"."""
    return tuple(int(part) for part in re.findall(r"\d+", number))


def sort_clauses(numbers: Iterable[str]) -> list[str]:
    return sorted(numbers, key=clause_key)


def top_clause(number: str) -> str:
    """The top-level clause a number belongs to: "8" for "8.5.1"."""
    return number.split(".")[0]


def clause_depth(number: str) -> int:
    """How far below the top level a clause sits: 0 for "8", 2 for "8.5.1"."""
    return number.count(".")


def parent_clause(number: str) -> str | None:
    """The clause directly above: "8.5" for "8.5.1", None for a top-level clause."""
    parent, dot, _ = number.rpartition(".")
    return parent if dot else None


def is_within(number: str, prefix: str) -> bool:
    """Is `number` the clause `prefix` or one of its sub-clauses? ("8.5.1" is within "8.5", "8.50" is not.)"""
    return number == prefix or number.startswith(prefix + ".")


def with_parents(number: str) -> list[str]:
    """The clause and every clause above it: "8.5.1" -> ["8", "8.5", "8.5.1"]."""
    parts = number.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def parse_clause_list(text: str | None) -> list[str]:
    """The clause numbers in free text or a stored list, split on commas, semicolons and spaces."""
    return [part for part in SEPARATORS.split(text or "") if part]


def format_clause_list(numbers: Iterable[str]) -> str:
    """The stored format of a list of clauses: "5.2.1, 5.2.2" (duplicates dropped, order kept)."""
    return ", ".join(dict.fromkeys(numbers))


def normalise_clause_list(value) -> list[str]:
    """A list of clause numbers from typed text ("5.2.2, 5.2.1") or a list: stripped, without
    duplicates, in clause order. Never raises: checking the numbers is `validate_clause_list`'s job."""
    if value is None:
        return []
    numbers = parse_clause_list(value) if isinstance(value, str) else [str(n).strip() for n in value]
    return sort_clauses(dict.fromkeys(n for n in numbers if n))


def validate_clause_number(number: str) -> None:
    if not CLAUSE_NUMBER.match(number or ""):
        raise ValidationError(
            _("“%(number)s” is not a clause number such as 8.5.1.") % {"number": number},
            code="invalid_clause",
        )


def validate_clause_list(numbers) -> None:
    for number in numbers:
        validate_clause_number(number)


def validate_clause_list_length(numbers, max_text: int | None) -> None:
    """The list written out as text ("5.2.1, 5.2.2") may hold at most `max_text` characters."""
    if max_text is not None and len(format_clause_list(numbers)) > max_text:
        raise ValidationError(
            _("Name at most %(count)d characters of clause numbers.") % {"count": max_text},
            code="clause_list_too_long",
        )


def clause_list_regex(number: str) -> str:
    """Database regex matching the JSON text of a stored clause list (`["8.5", "8.5.1"]`) that names
    `number` or one of its sub-clauses: "8.5" matches "8.5" and "8.5.1", not "8.50"."""
    return '"' + re.escape(number) + '[".]'


def clause_list_filter(field: str, number: str) -> models.Q:
    """Rows whose `ClauseListField` `field` names `number` or one of its sub-clauses: one condition
    in the query, the same on PostgreSQL (jsonb as text) and SQLite (JSON stored as text)."""
    return models.Q(**{f"{field}__regex": clause_list_regex(number)})


# Model and form fields -------------------------------------------------------------------------


class ClauseListFormField(forms.CharField):
    """Clause numbers typed by people ("5.2.1, 5.2.2" or "5.2.1 5.2.2"); cleans to the stored list."""

    def prepare_value(self, value):
        return value if isinstance(value, str) else format_clause_list(value or [])

    def to_python(self, value):
        return normalise_clause_list(super().to_python(value))

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
        validate_clause_list(value)
        validate_clause_list_length(value, self.max_length)


class _NormalisingAttribute(DeferredAttribute):
    """Whatever is assigned (typed text or a list) is kept as the normalised list."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = normalise_clause_list(value)


class ClauseListField(models.JSONField):
    """A list of clause numbers, stored as a JSON list of strings, de-duplicated and in clause order.

    Assigning text ("5.2.1, 5.2.2") stores the list; `full_clean` checks each number and, with
    `max_text`, the length of the list written out as text. Filter with `clause_list_filter`.
    Migrations see a plain JSONField (`deconstruct`), so they never import this module and stay
    frozen whatever becomes of it.
    """

    descriptor_class = _NormalisingAttribute
    default_validators = [validate_clause_list]

    def __init__(self, *args, max_text: int | None = None, **kwargs):
        kwargs.setdefault("default", list)
        self.max_text = max_text
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # max_text is validation, not schema: left out like the validators
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        validate_clause_list_length(value, self.max_text)

    def get_prep_value(self, value):
        return super().get_prep_value(normalise_clause_list(value) if isinstance(value, str) else value)

    def formfield(self, **kwargs):
        defaults = {
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
            "max_length": self.max_text,
        }
        if self.has_default():
            defaults["initial"] = self.get_default()
        form_class = kwargs.pop("form_class", ClauseListFormField)
        return form_class(**{**defaults, **kwargs})


class ClauseField(models.CharField):
    """One clause number ("8.5.1"). Migrations see a plain CharField (`deconstruct`)."""

    default_validators = [validate_clause_number]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def _in_range(number: tuple[int, ...], low: tuple[int, ...], high: tuple[int, ...]) -> bool:
    width = max(len(low), len(high))
    return low <= number[: len(low)] and number[:width] <= high


def clause_in_reference(number: str, reference: str) -> bool:
    """Does the leaf clause `number` fall under a roadmap reference such as "4.1–4.4, 5.1", "8.x"?

    "all" means the whole standard; it is used by the certification stages only.
    """
    key = clause_key(number)
    for part in (p.strip() for p in reference.split(",")):
        if not part:
            continue
        if part == "all":
            return True
        if part.endswith(".x"):
            if key[:1] == clause_key(part[:-2]):
                return True
            continue
        bounds = re.split(r"\s*[–-]\s*", part)
        if len(bounds) == 2:
            if _in_range(key, clause_key(bounds[0]), clause_key(bounds[1])):
                return True
            continue
        prefix = clause_key(part)
        if key[: len(prefix)] == prefix:
            return True
    return False
