import pytest

from connectors import services
from tests.background.conftest import workers  # noqa: F401 (real Celery workers, for test_worker_sync.py)
from tests.factories import UserFactory, make_project


@pytest.fixture
def lead_project(db):
    lead = UserFactory(username="conn-lead")
    return make_project(lead=lead, name="Connector project"), lead


@pytest.fixture
def make_connector(lead_project):
    project, lead = lead_project

    def make(kind, url, *, secret="good-token", username="bot@example.com", scope="", name=None):
        return services.connector_create(
            project=project,
            user=lead,
            kind=kind,
            name=name or f"{kind} desk",
            base_url=url,
            scope=scope,
            username=username,
            secret=secret,
        )

    return make


class Sleeps(list):
    """Records the pauses the client asked for and takes them (the 429 tests check both)."""

    def __call__(self, seconds):
        import time

        self.append(seconds)
        time.sleep(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()
