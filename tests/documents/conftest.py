import pytest


@pytest.fixture(autouse=True)
def media_root(media):
    """Every test in this package stores files in its own temporary MEDIA_ROOT."""
    return media


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
