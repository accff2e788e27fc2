import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded evidence goes to a temporary directory, not the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
