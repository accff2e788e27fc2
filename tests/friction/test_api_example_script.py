"""scripts/api_example.py against a running server: a task without a due date reads "no due date",
never "due None" (issue 25 §2.10)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.tokens import token_create
from tests.factories import UserFactory, make_answered_assessment, make_project, make_task

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "api_example.py"


def test_the_example_script_says_no_due_date_instead_of_none(live_server):
    lead = UserFactory(username="lena")
    project = make_project(lead=lead, name="API project")
    make_task(project, title="Undated task", assignee=lead, due_date=None)
    make_answered_assessment(project, user=lead)
    token = token_create(user=lead, name="Example", scope="write", expires_in_days=30, project=None).plaintext

    run = subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={**os.environ, "SMS_TOKEN": token, "SMS_API": f"{live_server.url}/api/v1"},
        capture_output=True,
        text=True,
        timeout=50,
    )

    assert run.returncode == 0, run.stderr
    assert "None" not in run.stdout
    assert "no due date Undated task" in run.stdout
