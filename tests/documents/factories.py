"""Kept so older imports work: the builders live in tests/factories.py."""

from tests.factories import PDF_BYTES, add_version, bulk_versions, make_document, mandatory, pdf_upload  # noqa: F401
