import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test in this package stores files in its own temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
