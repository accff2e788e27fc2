"""The sign-in page asks for the configured identity-provider apps once per request (allauth asks
twice while rendering it; identity.adapters remembers the answer for the request)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_the_sign_in_page_reads_the_provider_apps_once(client, db):
    client.get("/accounts/login/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/accounts/login/")
    assert response.status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if "socialaccount_socialapp" in q["sql"]]
    assert len(reads) == 1
