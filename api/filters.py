"""List filters (django-filter): status, assignee or owner, due date, clause.

A clause filter matches the clause and its sub-clauses ("8.5" finds 8.5, 8.5.1, 8.5.1.2)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from audits.models import ActionStatus, CorrectiveAction, Finding, FindingStatus, Grade
from documents.models import Document, DocumentStatus, DocumentType, EvidenceEntry
from documents.operation.processes import PROCESS_CLAUSE_CHOICES
from gapanalysis.models import Response, Result
from kernel.clauses import CLAUSE_NUMBER, clause_list_filter
from projects.models import Priority, Task, TaskStatus


class _IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1})
class IdFilter(django_filters.NumberFilter):
    """A record id (a whole number from 1): anything else is refused (422), as the schema says."""

    field_class = _IdField


class _StrictBooleanField(forms.Field):
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError(_("Use true or false.")) from None


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.BooleanFilter):
    """true/false (or 1/0); django-filter's own ignores any other value silently."""

    field_class = _StrictBooleanField


class ApiFilterSet(django_filters.FilterSet):
    """An empty value of a date, choice, id or boolean parameter is refused (422) like any other
    value outside the schema, rather than read as "no filter"; text parameters may be empty."""

    def is_valid(self):
        valid = super().is_valid()
        for name, declared in self.filters.items():
            if self.data.get(name) == "" and not isinstance(declared, django_filters.CharFilter):
                self.form.add_error(name, _("Give a value, or leave the parameter out."))
                valid = False
        return valid


def _clause_q(field: str, value: str) -> Q:
    return Q(**{field: value}) | Q(**{f"{field}__startswith": value + "."})


class ClauseFilter(django_filters.CharFilter):
    """A clause number like 8.5.1; anything else matches nothing (a typo is not a 500)."""

    def __init__(self, *args, lookup=None, **kwargs):
        kwargs.setdefault("help_text", "A clause number, e.g. 8.5; sub-clauses match too.")
        super().__init__(*args, **kwargs)
        self.lookup = lookup

    def filter(self, qs, value):
        if not value:
            return qs
        value = value.strip()
        if not CLAUSE_NUMBER.match(value):
            return qs.none()
        return qs.filter(self.lookup(value)).distinct() if self.distinct else qs.filter(self.lookup(value))


class DueFilterSet(ApiFilterSet):
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after")


def _remediates_clause(number):
    """Tasks created as remediation of a gap answer on the clause."""
    answers = Response.objects.filter(remediation_tasks=OuterRef("pk")).filter(
        _clause_q("question__clause__number", number)
    )
    return Q(Exists(answers))


class TaskFilter(DueFilterSet):
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    assignee = IdFilter(field_name="assignee_id", help_text="A user id.")
    unassigned = StrictBooleanFilter(field_name="assignee", lookup_expr="isnull")
    phase = django_filters.CharFilter(field_name="phase__key", help_text="A phase key: 1–12, S1, S2.")
    clause = ClauseFilter(lookup=_remediates_clause, help_text="Tasks remediating gaps on this clause.")

    class Meta:
        model = Task
        fields = [
            "status",
            "priority",
            "assignee",
            "unassigned",
            "phase",
            "due_before",
            "due_after",
            "clause",
        ]


class AnswerFilter(ApiFilterSet):
    result = django_filters.ChoiceFilter(choices=Result.choices)
    clause = ClauseFilter(lookup=lambda n: _clause_q("question__clause__number", n))
    answered_by = IdFilter(field_name="answered_by_id")

    class Meta:
        model = Response
        fields = ["result", "clause", "answered_by"]


class DocumentFilter(ApiFilterSet):
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices)
    doc_type = django_filters.ChoiceFilter(choices=DocumentType.choices)
    owner = IdFilter(field_name="owner_id")
    clause = ClauseFilter(lookup=lambda n: clause_list_filter("clauses", n))

    class Meta:
        model = Document
        fields = ["status", "doc_type", "owner", "clause"]


class FindingFilter(DueFilterSet):
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices)
    grade = django_filters.ChoiceFilter(choices=Grade.choices)
    owner = IdFilter(field_name="owner_id")
    audit = IdFilter(field_name="audit_id")
    clause = ClauseFilter(lookup=lambda n: _clause_q("clause", n))

    class Meta:
        model = Finding
        fields = ["status", "grade", "owner", "audit", "clause", "due_before", "due_after"]


class ActionFilter(DueFilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    owner = IdFilter(field_name="owner_id")
    finding = IdFilter(field_name="finding_id")
    clause = ClauseFilter(lookup=lambda n: _clause_q("finding__clause", n))

    class Meta:
        model = CorrectiveAction
        fields = ["status", "owner", "finding", "clause", "due_before", "due_after"]


class EntryFilter(ApiFilterSet):
    process = django_filters.ChoiceFilter(
        field_name="process__clause", choices=PROCESS_CLAUSE_CHOICES, help_text="One process, e.g. 8.6.1."
    )
    clause = ClauseFilter(lookup=lambda n: _clause_q("process__clause", n))
    on_after = django_filters.DateFilter(field_name="on", lookup_expr="gte", label="Dated on or after")
    on_before = django_filters.DateFilter(field_name="on", lookup_expr="lte", label="Dated on or before")
    created_by = IdFilter(field_name="created_by_id", help_text="A user id.")

    class Meta:
        model = EvidenceEntry
        fields = ["process", "clause", "on_after", "on_before", "created_by"]
