"""Kept so older imports work: the builders live in tests/factories.py (under clearer names)."""

from tests.factories import make_answered_assessment, make_assessment, make_review  # noqa: F401
from tests.factories import make_audit_with_findings as make_audit  # noqa: F401


def make_gap_assessment(project, *, user, title="Baseline gap analysis", answer_all=True):
    if answer_all:
        return make_answered_assessment(project, user=user, title=title)
    return make_assessment(project, user=user, title=title)
