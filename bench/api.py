"""Benchmark: the API's task list and answers endpoints at the large data set (issue 13).

Reuses bench/pages.py's harness: the 100× data set (bench/dataset.py; 50 projects of 300 tasks,
4 gap assessments with every answer given, …) in its own PostgreSQL database (BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/sms_bench_api), gunicorn with DEBUG off (2 workers),
a fixed number of concurrent connections (8) per endpoint for a few seconds. Requests carry a
personal access token of the lead (the token's rate limit is lifted for the run). Reports, per
endpoint: requests per second, p50/p99 latency, and the SQL queries one request makes (counted
in-process on the same data with Django's test client). The login page is measured as well, as the
yardstick the page benchmark uses.

    .venv/bin/python bench/api.py [--projects 50] [--seconds 5] [--concurrency 8] [--port 8170]
"""

import argparse
import http.client
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402 - the page benchmark's harness (configure, database, gunicorn, load)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sms_bench_api"


def fetch(port, path, token, connection=None):
    """pages.fetch with a bearer token instead of a session cookie (pages.load calls this)."""
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


pages.fetch = fetch  # pages.load() looks the function up at call time


def prepare(args):
    """The data set (made once, kept between runs), a fresh token of the lead, the endpoints."""
    import django

    pages.ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    import dataset
    from django.core.management import call_command

    from projects.models import Project

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    have = Project.objects.filter(name__startswith="Bench ").count()
    started = time.perf_counter()
    for index in range(have, args.projects):
        dataset.make_project(
            f"Bench {index:02d}",
            dataset.bench_people(),
            gap_assessments=4,
            versions=5,
            findings=160,
            activity=400,
        )
        print(f"  project {index + 1}/{args.projects} ({time.perf_counter() - started:.0f} s)", flush=True)
    return endpoints()


def endpoints():
    import dataset
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from api.models import AccessToken
    from api.tokens import token_create
    from gapanalysis.models import Assessment, Response
    from projects.models import Project, Task

    lead = get_user_model().objects.get(username=dataset.LEAD)
    project = Project.objects.filter(name__startswith="Bench ").order_by("name").first()
    assessment = (
        Assessment.objects.filter(project=project, kind="gap")
        .annotate(n=Count("responses"))
        .order_by("-n")
        .first()
    )
    AccessToken.objects.filter(user=lead, name="bench").delete()
    token = token_create(user=lead, name="bench", scope="read", expires_in_days=7).plaintext
    base = f"/api/v1/projects/{project.pk}/"
    answers = f"{base}assessments/{assessment.pk}/answers/"
    paths = {
        "tasks": f"{base}tasks/",
        "tasks 100/page": f"{base}tasks/?page_size=100",
        "tasks filtered": f"{base}tasks/?status=open&due_before=2099-12-31&clause=8",
        "answers": answers,
        "answers 100/page": f"{answers}?page_size=100",
        "answers clause 8": f"{answers}?clause=8",
    }
    sizes = {
        "projects": Project.objects.count(),
        "tasks": Task.objects.count(),
        "tasks in the project": Task.objects.filter(project=project).count(),
        "answers": Response.objects.count(),
        "answers in the assessment": assessment.n,
    }
    return paths, token, sizes


def queries_per_request(paths, token):
    """SQL statements of one request to each endpoint (after a warm-up request), in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    counts = {}
    for name, path in paths.items():
        assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        counts[name] = len(queries)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8170)))
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "api.json"))
    args = parser.parse_args()
    args.in_process = False
    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_DB)
    env = pages.configure(args)
    env["API_TOKEN_RATE"] = os.environ["API_TOKEN_RATE"] = "1000000/minute"  # measure the work, not the limit
    paths, token, sizes = prepare(args)
    print("Data: " + ", ".join(f"{v} {k}" for k, v in sizes.items()), flush=True)
    queries = queries_per_request(paths, token)
    server = pages.start_server(args, env)
    results = {}
    try:
        for path in paths.values():
            status, body = fetch(args.port, path, token)
            if status != 200:
                raise SystemExit(f"{path} answered {status}: {body[:200]!r}")
        results["login page"] = pages.load(
            args.port, "/accounts/login/", None, seconds=args.seconds, concurrency=args.concurrency
        )
        for name, path in paths.items():
            results[name] = pages.load(
                args.port, path, token, seconds=args.seconds, concurrency=args.concurrency
            )
            results[name].update(path=path, queries=queries[name])
            print(f"  {name:18s} {results[name]['rps']:7.1f} req/s  {queries[name]:2d} queries", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    login = results["login page"]["rps"]
    header = ("endpoint", "req/s", "× login", "p50 ms", "p99 ms", "queries", "errors")
    print("\n{:18s} {:>7s} {:>7s} {:>7s} {:>7s} {:>7s} {:>6s}".format(*header))
    for name, row in results.items():
        print(
            f"{name:18s} {row['rps']:7.1f} {row['rps'] / login:7.2f} {row['p50_ms']:7.0f} "
            f"{row['p99_ms']:7.0f} {row.get('queries', ''):>7} {row['errors']:6d}"
        )
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "command": " ".join(["bench/api.py", *sys.argv[1:]]),
                "concurrency": args.concurrency,
                "workers": args.workers,
                "seconds_per_endpoint": args.seconds,
                "data": sizes,
                "login_rps": login,
                "endpoints": results,
                "median_rps": statistics.median(r["rps"] for k, r in results.items() if k != "login page"),
            },
            indent=2,
        )
    )
    print(f"\nWritten to {args.json}")


if __name__ == "__main__":
    main()
