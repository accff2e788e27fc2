"""Profile one page of the page benchmark's 100× data, in-process (no server), DEBUG off.

Runs the page `--runs` times through Django's test client, logged in as the bench lead, under
cProfile, and prints the costliest functions, the SQL queries of one request with their time, and
(with --explain) EXPLAIN ANALYZE of every query. The data set must exist (run `make bench-pages`
once); the database is BENCH_DATABASE_URL as for bench/pages.py.

    .venv/bin/python bench/profile_page.py dashboard [--runs 20] [--sort cumulative] [--explain]
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="a page name of bench/pages.py, e.g. dashboard, 'gap overview'; "
                        "'all': a table of every page (time, queries, SQL time), no profile")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative)")
    parser.add_argument("--limit", type=int, default=40, help="functions to print")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE every query")
    parser.add_argument("--out", help="also write the profile to this file (for snakeviz etc.)")
    parser.add_argument("--page-cache", action="store_true",
                        help="with the cached page parts (default: every part rendered, as on a miss)")
    args = parser.parse_args()
    args.in_process = False
    args.no_page_cache = not args.page_cache
    pages.configure(args)
    import django

    django.setup()
    import dataset
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from projects.models import Project

    lead = get_user_model().objects.get(username=dataset.LEAD)
    project = Project.objects.filter(name__startswith="Bench ").order_by("name").first()
    paths = pages.page_paths(project, lead)
    client = Client()
    client.force_login(lead)
    if args.page == "all":
        return table(client, {"login": "/accounts/login/", **paths}, args.runs)
    path = paths[args.page]
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    print(f"{path}: {len(captured)} queries, {len(response.content) / 1024:.1f} KB")
    for query in captured.captured_queries:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:160]}")
    if args.explain:
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN ANALYZE " + sql)
                plan = [row[0] for row in cursor.fetchall()]
                print("\n" + sql[:300])
                print("\n".join("    " + line for line in plan))
    timings = []
    profile = cProfile.Profile()
    for _ in range(args.runs):
        began = time.perf_counter()
        profile.enable()
        client.get(path)
        profile.disable()
        timings.append(time.perf_counter() - began)
    timings.sort()
    print(f"\n{args.runs} runs under the profiler: median {1000 * timings[len(timings) // 2]:.1f} ms")
    if args.out:
        profile.dump_stats(args.out)
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.limit)


def table(client, paths, runs):
    """Per page: median time of `runs` requests, queries and their time in one request."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous = Client()
    print(f"{'page':18s} {'median ms':>9s} {'× login':>8s} {'queries':>8s} {'SQL ms':>7s} {'KB':>6s}")
    login_ms = None
    for name, path in paths.items():
        who = anonymous if name == "login" else client
        response = who.get(path)
        assert response.status_code == 200, (path, response.status_code)
        reset_queries()  # the request resets the log itself; start from an empty one
        with CaptureQueriesContext(connection) as captured:
            who.get(path)
        count = len(captured)  # now: later requests reset the log it reads from
        sql_ms = 1000 * sum(float(q["time"]) for q in captured.captured_queries)
        timings = []
        for _ in range(runs):
            began = time.perf_counter()
            who.get(path)
            timings.append(time.perf_counter() - began)
        median = 1000 * sorted(timings)[len(timings) // 2]
        login_ms = login_ms or median
        print(f"{name:18s} {median:9.1f} {login_ms / median:8.2f} {count:8d} {sql_ms:7.1f}"
              f" {len(response.content) / 1024:6.1f}", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tracker.settings")
    main()
