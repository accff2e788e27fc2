"""The API does what its OpenAPI schema says (issue 19 defect 10): Schemathesis, every check, against
gunicorn as production runs it (DEBUG off) on PostgreSQL, with a seeded project and a write token.

Fixed seed, a fixed number of examples per operation and a time cap, so a run is repeatable and
bounded; the token's rate limit is raised for the run (Schemathesis sends a few thousand requests).
The test fails on any failure Schemathesis reports and prints the operation and case counts."""

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from gapanalysis.models import Result
from projects.models import Role
from tests.background.workers import database_url, need_shared_database
from tests.factories import (
    UserFactory,
    add_member,
    add_version,
    answer,
    make_assessment,
    make_audit_with_findings,
    make_document,
    make_project,
    make_report,
    make_task,
)
from tests.faults.servers import Gunicorn

SEED = 20_000_1
EXAMPLES_PER_OPERATION = 15
TIME_CAP_SECONDS = 900
CONFIG = Path(__file__).with_name("schemathesis.toml")


def _seed(token_for):
    """Sequences start again at 1 (django_db_reset_sequences): the seeded project and its first task,
    assessment, answer, document, audit and report have id 1, the smallest id the schema allows, which
    Schemathesis tries in its coverage phase, so requests reach the records and not only 404s."""
    lead = UserFactory(username="contract-lead")
    project = make_project(lead=lead, name="Contract project")
    auditor = UserFactory(username="contract-auditor")
    add_member(project, auditor, Role.AUDITOR)
    make_task(project, title="Seeded task", assignee=lead, due_in=7)
    add_version(make_document(project, owner=lead), lead)
    assessment = make_assessment(project, user=lead)
    answer(assessment, assessment.responses.first().question.code, Result.PARTIAL, user=lead)
    make_audit_with_findings(project, user=lead, auditor=auditor, findings=2)
    make_report(project, user=lead)
    _seed_registers(project, lead)
    _seed_connectors(project, lead)
    return project, token_for(lead, scope="write", days=7)


def _seed_registers(project, lead):
    """One entry of every register (id 1 each), so the registers' routes reach records too."""
    from tests.registers.builders import (
        make_actual,
        make_issue,
        make_measurement,
        make_objective,
        make_party,
        make_risk,
        make_service,
        make_supplier,
        make_target,
    )  # fmt: skip

    target = make_target(make_service(project, owner=lead))
    make_actual(target)
    make_measurement(make_objective(project, owner=lead))
    make_issue(project, owner=lead)
    make_party(project, owner=lead)
    make_supplier(project, owner=lead)
    make_risk(project, owner=lead)


def _seed_connectors(project, lead):
    """A connector (id 1, to an address nothing answers: a sync asked for is queued and fails), a
    frozen month of its tickets with a sample (id 1 each), so the connectors' routes reach records."""
    from datetime import timedelta

    from django.utils import timezone

    from connectors.evidence import services as evidence
    from connectors.services import connector_create
    from tests.ticket_evidence.helpers import ticket

    connector = connector_create(
        project=project, user=lead, kind="jira", name="Jira", base_url="http://127.0.0.1:9/", secret="token"
    )
    evidence.rule_create(project=project, user=lead, field="ticket_type", value="incident", clause="8.6.1")
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    ticket(connector, opened=timezone.make_aware(timezone.datetime(month.year, month.month, 10, 9)), hours=3)
    population = evidence.population_freeze(project=project, clause="8.6.1", month=month, user=lead)
    evidence.sample_draw(population=population, user=lead, seed=1)


def _schemathesis() -> str:
    found = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert found, "schemathesis is not installed: pip install -e '.[test]'"
    return found


@pytest.mark.contract
@pytest.mark.timeout(TIME_CAP_SECONDS + 300)
def test_the_running_api_matches_its_schema(django_db_reset_sequences, token_for, media, tmp_path):
    need_shared_database()
    project, token = _seed(token_for)
    assert project.pk == 1, "sequences were not reset: Schemathesis would mostly meet 404s"
    server = Gunicorn(
        tmp_path,
        {
            "DATABASE_URL": database_url(),
            "CACHE_URL": "",  # each worker's local memory: nothing shared with other runs
            "API_TOKEN_RATE": "100000/minute",
            "API_SESSION_RATE": "100000/minute",
            "MEDIA_ROOT": str(media),
        },
    )
    server.start()
    # The schema is generated on each request (about 100 operations): fetched once here with a
    # generous timeout, so a busy machine does not fail Schemathesis's 10-second schema load.
    schema = tmp_path / "openapi.json"
    with urllib.request.urlopen(f"{server.base}/api/v1/schema/?format=json", timeout=120) as answer:
        schema.write_bytes(answer.read())
    report = tmp_path / "schemathesis.json"
    started = time.monotonic()
    try:
        run = subprocess.run(
            [
                _schemathesis(),
                "--no-color",
                "--config-file",
                str(CONFIG),
                "run",
                str(schema),
                "--url",
                server.base,
                "--checks",
                "all",
                "--seed",
                str(SEED),
                "--max-examples",
                str(EXAMPLES_PER_OPERATION),
                "--workers",
                "2",
                "--request-timeout",
                "30",
                "--header",
                f"Authorization: Bearer {token}",
                "--report",
                "json",
                "--report-json-path",
                str(report),
                "--warnings",
                "off",
            ],
            capture_output=True,
            text=True,
            timeout=TIME_CAP_SECONDS,
            cwd=tmp_path,
        )
    finally:
        server.stop()
    seconds = time.monotonic() - started
    (tmp_path / "schemathesis.txt").write_text(run.stdout + run.stderr)
    summary = json.loads(report.read_text()) if report.exists() else {}
    operations, cases = summary.get("operations", {}), summary.get("test_cases", {})
    failures = sum(kind["count"] for kind in summary.get("failures", []))
    print(
        f"\nSchemathesis {summary.get('schemathesis_version')}: {operations.get('tested')} of "
        f"{operations.get('total')} operations, {cases.get('generated')} cases, {failures} failures, "
        f"{len(summary.get('errors', []))} errors in {seconds:.0f} s (output: {tmp_path}/schemathesis.txt)"
    )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-3000:] + server.log_text()[-3000:]
    assert operations.get("tested") == operations.get("total") >= 35  # every operation ran
    assert failures == 0 and not summary.get("errors")
