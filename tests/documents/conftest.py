import pytest

from tests.storage.s3server import stored_names


@pytest.fixture(autouse=True)
def media_root(media):
    """Every test in this package stores files in its own temporary MEDIA_ROOT."""
    return media


def stored_files(root) -> list[str]:
    """The names of every stored file, read through the storage (local disk or the S3 bucket)."""
    return stored_names()
