import io

import pytest

from sms_tracker.transfer import exporter
from tests.browser.demo import seed_demo


@pytest.fixture
def demo(db, media):
    """The demo project of `seed_demo`, with its uploaded files in the test's own MEDIA_ROOT."""
    return seed_demo()


@pytest.fixture
def demo_archive(demo) -> bytes:
    buffer = io.BytesIO()
    exporter.write(demo, buffer)
    return buffer.getvalue()
