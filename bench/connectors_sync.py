"""Benchmark: a connector syncs 100,000 tickets from a local ServiceNow double in flat memory (issue 24 §1).

Not a test. The double (tests/connectors/fake_tools.py) runs in a process of its own so its memory is
not counted; the sync runs here, as a worker runs it (connectors.sync.run_sync), page by page with
1,000 records a page. Peak memory is measured for 10,000 and 100,000 tickets, each in a fresh process:
tracemalloc's peak (Python allocations) and the peak RSS (getrusage). Flat memory means the peak does
not grow with the number of tickets. The connector, its project and tickets are deleted afterwards.

    DATABASE_URL=postgres://... .venv/bin/python bench/connectors_sync.py \
        [--counts 10000,100000] [--page 1000]

Writes bench/results/connectors-sync.json; the table is in docs/benchmarks.md.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def serve(count: int) -> None:
    from tests.connectors.fake_tools import FakeTool

    with FakeTool("servicenow", count=count) as tool:
        print(tool.url, flush=True)
        sys.stdin.read()  # until the parent closes our stdin


def measure(count: int, page: int) -> dict:
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    url = server.stdout.readline().strip()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tracker.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    import tracemalloc

    from django.conf import settings

    from connectors import services
    from connectors.models import Connector, Ticket
    from connectors.sync import run_sync
    from projects.models import Project
    from tests.factories import UserFactory, make_project

    settings.CONNECTOR_PAGE_SIZE = page
    settings.DEBUG = False  # DEBUG keeps every query's SQL in memory: a worker runs without it
    lead = UserFactory(username=f"bench-connectors-{os.getpid()}")
    project = make_project(lead=lead, name=f"Connector benchmark {os.getpid()}")
    connector = services.connector_create(
        project=project,
        user=lead,
        kind="servicenow",
        name="bench",
        base_url=url,
        username="bench",
        secret="good-token",
    )
    try:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        started = time.perf_counter()
        run = run_sync(connector.pk, trigger="manual")
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        stored = Ticket.objects.filter(connector=connector).count()
        assert run.status == "succeeded" and stored == count, (run.status, run.error, stored)
        # A second sync of the same data: everything unchanged, nothing written.
        again_started = time.perf_counter()
        Connector.objects.filter(pk=connector.pk).update(synced_until=None)
        again = run_sync(connector.pk, trigger="manual")
        again_seconds = time.perf_counter() - again_started
        return {
            "tickets": count,
            "page_size": page,
            "pages": run.pages,
            "seconds": round(seconds, 1),
            "tickets_per_second": round(count / seconds),
            "tracemalloc_peak_mb": round(peak / 1048576, 1),
            "rss_peak_mb": round(rss_after / 1024, 1),
            "rss_before_mb": round(rss_before / 1024, 1),
            "resync_unchanged_seconds": round(again_seconds, 1),
            "resync_unchanged": again.unchanged,
        }
    finally:
        Project.objects.filter(pk=project.pk).delete()
        lead.delete()
        server.stdin.close()
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", default="10000,100000")
    parser.add_argument("--page", type=int, default=1000)
    parser.add_argument("--serve", type=int)
    parser.add_argument("--one", type=int)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    if args.one:
        print(json.dumps(measure(args.one, args.page)))
        return None
    results = []
    for count in (int(c) for c in args.counts.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(count), "--page", str(args.page)],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode:
            sys.exit(out.stderr[-3000:])
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(results[-1], flush=True)
    target = ROOT / "bench" / "results" / "connectors-sync.json"
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {target}")
    return None


if __name__ == "__main__":
    main()
