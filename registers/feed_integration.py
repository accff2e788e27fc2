"""What the registers feed into the rest of the product (issue 23 §2), added to the registers app's
declaration (registers/integration.py) by `with_feeds`: the readiness rules, the management review
inputs, the management PDF's SLA chart and objectives table, and the register entries citable as
checklist evidence."""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext_lazy

from kernel.extensions import Contributions, DemoData, ReportSection, WebhookEventSpec

from . import charts, webhooks
from .demo_certified import seed_certified_registers
from .evidence import EVIDENCE_SOURCES
from .readiness import READINESS_GROUP, register_blockers
from .review_inputs import register_review_inputs

REPORT_SECTIONS = (
    ReportSection(
        "sla", gettext_lazy("SLA attainment"), 64, "registers_feed/sections/sla.html", charts.sla_section,
        break_before=True,
    ),
    ReportSection(
        "objectives", gettext_lazy("Service management objectives"), 66,
        "registers_feed/sections/objectives.html", charts.objectives_section,
    ),
)  # fmt: skip


def with_feeds(contributions: Contributions) -> Contributions:
    """The app's own contributions plus the feeds (tuples joined, the app's first); connects the
    webhook receivers."""
    webhooks.connect()
    demo = contributions.demo_data
    if demo is not None and demo.certified_seed is None:
        # the certified demo project gets complete registers, so it stays ready (no register blocker)
        demo = DemoData(seed=demo.seed, order=demo.order, certified_seed=seed_certified_registers)
    return dataclasses.replace(
        contributions,
        demo_data=demo,
        readiness_blockers=(*contributions.readiness_blockers, register_blockers),
        readiness_groups=(*contributions.readiness_groups, READINESS_GROUP),
        review_inputs=(*contributions.review_inputs, register_review_inputs),
        report_sections=(*contributions.report_sections, *REPORT_SECTIONS),
        evidence_sources=(*contributions.evidence_sources, *EVIDENCE_SOURCES),
        webhook_events=(
            *contributions.webhook_events,
            WebhookEventSpec(
                "register.created",
                "A register entry was added (context, service, SLA, supplier, risk, objective)",
            ),
            WebhookEventSpec("register.updated", "A register entry was edited"),
            WebhookEventSpec("register.deleted", "A register entry was deleted"),
        ),
    )
