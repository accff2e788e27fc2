"""Kept so older imports work: the builders live in tests/factories.py."""

from tests.factories import (  # noqa: F401
    hold_audit,
    make_action,
    make_audit,
    make_finding,
    make_review,
)
from tests.factories import iso_template as ensure_checklist_template  # noqa: F401
