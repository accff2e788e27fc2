"""Reads of the ticket evidence, each in a constant number of queries whatever the data's size."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.utils import timezone

from connectors.models import Ticket
from documents.operation.processes import process_by_clause
from gapanalysis.models import AssessmentAuditor, AssessmentStatus, Response

from .charts import figures_chart
from .figures import monthly_figures
from .mapping import TICKET_PROCESSES, project_rules
from .models import FrozenTicket, Population, Sample, SampleItem, Verdict
from .populations import KEY_FIELDS, differences, month_tickets


def process_label(clause: str) -> str:
    process = process_by_clause().get(clause)
    return process.label if process else "Matched by no rule"


def _order(clause: str) -> tuple:
    return (clause == "", clause not in TICKET_PROCESSES, clause)


def figures_overview(project, *, months: int = 12, today: date | None = None, rules=None) -> dict:
    """Every mapped process's figures and chart for the last `months` closed months (4 queries)."""
    columns, by_process = monthly_figures(project, months=months, today=today, rules=rules)
    rows = [
        {
            "clause": clause,
            "label": process_label(clause),
            "slug": clause.replace(".", "-"),
            "figures": figures,
            "latest": figures[-1],
            "total": sum(f.volume for f in figures),
            "chart": figures_chart(figures) if clause else None,
        }
        for clause, figures in sorted(by_process.items(), key=lambda item: _order(item[0]))
    ]
    return {"columns": columns, "rows": rows}


def populations(project, *, clause: str | None = None):
    rows = Population.objects.filter(project=project).select_related("frozen_by", "sample")
    if clause:
        rows = rows.filter(clause=clause)
    return rows.order_by("-month", "clause")


def process_panel(project, clause: str) -> dict | None:
    """The process page's panel: its monthly figures, chart and frozen months, or None when no rule
    maps tickets to the process (1 query then, 5 otherwise)."""
    rules = project_rules(project)
    if not any(rule.clause == clause for rule in rules):
        return None
    overview = figures_overview(project, rules=rules)
    row = next((r for r in overview["rows"] if r["clause"] == clause), None)
    return {
        "project": project,
        "clause": clause,
        "row": row,
        "columns": overview["columns"],
        "populations": list(populations(project, clause=clause)[:12]),
    }


def dashboard_card(project) -> dict | None:
    """Compact charts of the ticket processes for the dashboard (1 query without rules, 4 with)."""
    rules = project_rules(project)
    if not rules:
        return None
    overview = figures_overview(project, months=6, rules=rules)
    rows = [row for row in overview["rows"] if row["clause"]]
    for row in rows:
        row["spark"] = figures_chart(row["figures"], compact=True)
    return {"project": project, "rows": rows[:6], "columns": overview["columns"]}


def population_detail(population: Population) -> dict:
    """The frozen rows against what the tickets say now (3 queries: rules, frozen, current)."""
    rules = project_rules(population.project)
    frozen = list(population.tickets.values("connector_id", "external_id", *KEY_FIELDS))
    current = list(month_tickets(population.project, population.clause, population.month, rules))
    return {"differences": differences(frozen, current)}


def population_rows(population: Population):
    return FrozenTicket.objects.filter(population=population).order_by("connector_id", "external_id")


def sample_items(sample: Sample):
    return (
        SampleItem.objects.filter(sample=sample)
        .select_related("ticket", "marked_by", "finding")
        .order_by("order")
    )


def sample_counts(sample: Sample) -> dict:
    counts = dict(sample.items.values_list("verdict").annotate(n=Count("id")).order_by())
    return {verdict: counts.get(verdict, 0) for verdict in Verdict.values}


def evidence_choices(access, clause: str):
    """Checklist answers in progress that the user may add evidence to, for questions of the
    process's clause or its sub-clauses (2 queries)."""
    responses = (
        (
            Response.objects.filter(
                assessment__project=access.project, assessment__status=AssessmentStatus.IN_PROGRESS
            ).filter(question__clause__number=clause)
            | Response.objects.filter(
                assessment__project=access.project,
                assessment__status=AssessmentStatus.IN_PROGRESS,
                question__clause__number__startswith=clause + ".",
            )
        )
        .select_related("assessment", "question", "question__clause")
        .order_by("assessment_id", "question__order")
    )
    if access.is_lead:
        return responses
    assigned = AssessmentAuditor.objects.filter(assessment__project=access.project, user=access.user)
    allowed = list(assigned.values_list("assessment_id", "clause_id"))
    whole = {a for a, c in allowed if c is None}
    clauses = {(a, c) for a, c in allowed if c is not None}
    return [
        r for r in responses if r.assessment_id in whole or (r.assessment_id, r.question.clause_id) in clauses
    ]


def unmapped_count(project, rules) -> int:
    from .mapping import annotate_process

    return annotate_process(Ticket.objects.filter(project=project), rules).filter(process="").count()


def today() -> date:
    return timezone.localdate()
