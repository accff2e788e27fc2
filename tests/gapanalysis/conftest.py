import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(media):
    """Uploaded evidence goes to a temporary directory, not the working tree."""
