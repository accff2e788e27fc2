"""The audit checklist is a gap-analysis Assessment of kind "audit", scoped to the audit's
clauses and filled through the gap-analysis pages: one mechanism for both."""

from __future__ import annotations


def checklist_create(*, audit, user):
    """Create the audit's checklist when the audit starts (wired to gapanalysis once merged)."""
    return None


def checklist_sync_auditors(*, audit, user) -> None:
    """Keep the checklist's assigned auditors equal to the audit's team."""
    return None
