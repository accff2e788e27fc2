import pytest
from rest_framework.test import APIClient

from api.tokens import token_create


@pytest.fixture
def token_for():
    """token_for(user, scope="write", project=None, days=30) -> the plaintext token."""

    def make(user, scope="write", project=None, days=30, name="Test script"):
        return token_create(
            user=user, name=name, scope=scope, expires_in_days=days, project=project
        ).plaintext

    return make


@pytest.fixture
def api(token_for):
    """api(user, **token options) -> an APIClient sending that user's bearer token."""

    def make(user=None, **options):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user, **options)}")
        return client

    return make


def url(project, path=""):
    return f"/api/v1/projects/{project.pk}/{path}"
