import pytest

from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver(settings):
    """A receiver on 127.0.0.1, which the installation may post to only when internal addresses
    are allowed (as in the embedded start)."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    found = Receiver()
    yield found
    found.stop()
