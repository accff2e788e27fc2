"""Which process a ticket belongs to: the lead's rules, read in order, the first that matches wins.

The rules become one SQL CASE expression (`process_case`), so every reader maps any number of
tickets inside its own query: no ticket is ever mapped in a Python loop."""

from __future__ import annotations

from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Lower

from documents.operation.processes import process_by_clause

from .models import MappingRule, RuleField

# The processes whose records live in a ticketing tool; rules may name any operating process.
TICKET_PROCESSES = ("8.6.1", "8.6.2", "8.6.3", "8.5.1", "8.5.3")


def process_choices() -> list[tuple[str, str]]:
    """The ticket processes first, then every other operating process (titles from the standard)."""
    processes = process_by_clause()
    first = [(c, processes[c].label) for c in TICKET_PROCESSES]
    rest = [(c, p.label) for c, p in processes.items() if c not in TICKET_PROCESSES]
    return first + rest


def project_rules(project) -> list[MappingRule]:
    return list(MappingRule.objects.filter(project=project).order_by("position", "id"))


def rule_matches(rule: MappingRule, *, queue: str = "", ticket_type: str = "", category: str = "") -> bool:
    """The same test as the SQL, for one ticket (the rule form's preview and the tests)."""
    values = {RuleField.QUEUE: queue, RuleField.TYPE: ticket_type, RuleField.CATEGORY: category}
    return (values[rule.field] or "").strip().lower() == rule.value.strip().lower()


def first_match(rules, **fields) -> str:
    return next((rule.clause for rule in rules if rule_matches(rule, **fields)), "")


def process_case(rules) -> Case | Value:
    """CASE WHEN lower(<field>) = <value> THEN <clause> … ELSE '' END, in the rules' order."""
    whens = [
        When(Q(**{f"_rule_{rule.field}": rule.value.strip().lower()}), then=Value(rule.clause))
        for rule in rules
    ]
    if not whens:
        return Value("", output_field=CharField())
    return Case(*whens, default=Value(""), output_field=CharField())


def annotate_process(tickets, rules):
    """The tickets with `process` (a clause, "" when no rule matches)."""
    lowered = {f"_rule_{f}": Lower(f) for f in {rule.field for rule in rules}}
    return tickets.annotate(**lowered).annotate(process=process_case(rules))


def rules_snapshot(rules) -> list[dict]:
    """The rules as a population records them: what mapped its tickets."""
    return [{"field": r.field, "value": r.value, "clause": r.clause} for r in rules]
