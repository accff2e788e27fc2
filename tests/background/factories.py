"""Kept so older imports work: the builders live in tests/factories.py."""

from tests.factories import make_report  # noqa: F401
