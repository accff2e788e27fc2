"""One extension mechanism: every app declares what it contributes in its integration.py and
registers it in its AppConfig.ready(); the readers get everything from the registry."""

import importlib

import pytest
from django.apps import apps

from kernel import extensions
from reports.models import Report

LABELS = [
    "reports",
    "notifications",
    "identity",  # its throttle scope
    "projects",
    "gapanalysis",
    "documents",
    "audits",
    "registers",
    "readiness",
    "ticket_evidence",
]


def test_every_app_registered_its_declaration_in_installed_apps_order():
    assert list(extensions._registry) == LABELS
    for label in LABELS:
        module = importlib.import_module(f"{apps.get_app_config(label).name}.integration")
        assert extensions._registry[label] is module.CONTRIBUTIONS


def test_what_the_apps_contribute_is_read_in_a_stable_order():
    assert [k.kind for k in extensions.report_kinds()] == ["management", "gap", "audit", "review"]
    assert [s.key for s in extensions.report_sections()] == [
        "summary",
        "timeline",
        "phases",
        "gap",
        "documents",
        "ticket_figures",
        "findings",
        "sla",  # the registers: SLA attainment chart
        "objectives",  # the registers: objectives table
        "overdue",
        "blockers",
    ]
    assert [e.key for e in extensions.exports()] == [
        "tasks",
        "findings",
        "corrective-actions",
        "context-issues",
        "interested-parties",
        "services",
        "sla-actuals",
        "suppliers",
        "risks",
        "objectives",
    ]
    assert [s.__name__ for s in extensions.reminder_sources()] == [
        "task_reminders",
        "document_review_reminders",
        "version_approval_reminders",
        "corrective_action_reminders",
        "audit_start_reminders",
        "surveillance_reminders",
        "register_review_reminders",
        "contract_expiry_reminders",
    ]
    assert [w.key for w in extensions.waiting_sources()] == ["versions", "actions", "findings"]
    assert [c.template.split("/")[0] for c in extensions.dashboard_cards()] == [
        "documents",
        "documents",  # the operating-evidence heat map
        "ticket_evidence",  # figures from the ticketing tool, beside the heat map
        "gapanalysis",
        "audits",
    ]
    panels = [p.template for p in extensions.process_panels()]
    assert panels == ["ticket_evidence/partials/process_panel.html"]
    assert [d.seed.__name__ for d in extensions.demo_data()] == [
        "seed_documents",
        "seed_gap_analysis",
        "seed_audits",
        "seed_registers",
    ]
    assert [s.key for s in extensions.setup_steps()] == [
        "invite-members",
        "phase-owners",
        "gap-analysis",
        "report-schedule",
    ]


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("1", "its tasks"),
        ("3", "its tasks and the answers of the latest gap assessment"),
        ("6", "its tasks and the approval of its mandatory documents"),
        ("9", "its tasks and the months of operating evidence of each process"),
        ("S1", "its tasks and the Stage 1 audit and its findings"),
    ],
)
def test_progress_derived_from_text_comes_from_the_declarations(key, text):
    from projects.roadmap import progress_source

    assert progress_source(key) == text


def test_report_kinds_live_only_in_the_registry():
    field = Report._meta.get_field("kind")
    assert not field.choices
    assert not [c for c in Report._meta.constraints if "kind" in c.name]
    assert Report(kind="gap").kind_label == "Gap-analysis report"
