"""Kept so older imports work: the builders live in tests/factories.py."""

from tests.factories import (  # noqa: F401
    ISO_FILE,
    ISO_SLUG,
    add_file_evidence,
    answer,
    answer_all,
    iso_template,
    make_assessment,
    make_template,
    pdf_upload,
    template_json,
)
