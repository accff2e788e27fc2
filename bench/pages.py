"""Benchmark: throughput of every main page as a ratio to the login page, measured in the same run.

Absolute requests per second on shared machines are noise; the ratio of a page to the plain login
form served by the same processes a few seconds apart is not. Two modes:

* server (default, `make bench-pages`): builds the 100× data set (bench/dataset.py, 50 projects)
  once in its own PostgreSQL database (BENCH_DATABASE_URL, default
  postgres://postgres@127.0.0.1:5432/sms_bench_pages), starts gunicorn with DEBUG off (2 workers),
  then drives each page with a fixed number of concurrent connections (8) for a few seconds,
  logged in as the lead of every project. The login page is measured first and last; its mean is
  the yardstick.
* in-process (`--in-process`): the demo data (seed_demo, rolled back afterwards) through Django's
  test client, no server; mean time per request as a ratio to the login page, and the SQL queries
  of each page. For quick checks while changing a page.

Both print a table and write JSON (--json, default bench/results/pages-<mode>.json).

    .venv/bin/python bench/pages.py [--seconds 5] [--concurrency 8] [--workers 2] [--port 8600]
    .venv/bin/python bench/pages.py --in-process [--runs 20]
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sms_bench_pages"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"
TARGET = 0.25  # issue 14: every main page at least a quarter of the login page's throughput
# Issue 20 §3: against a bare AuthenticationForm page through the project's own middleware
# (bench/yardstick_urls.py), every main page uncached (cold) ≥ 0.25×, warm ≥ 0.5×.
YARDSTICK = "/_yardstick/form/"
COLD_TARGET, WARM_TARGET = 0.25, 0.5
ANONYMOUS = ("/accounts/", "/_yardstick/form/")


def configure(args):
    """Environment for Django here and for gunicorn: production settings, the bench database."""
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "bench-pages-not-a-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "STATIC_ROOT": str(ROOT / "bench" / ".staticfiles"),
        "SMS_TRACKER_TESTING": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP to 127.0.0.1
        "LOG_LEVEL": "WARNING",
    }
    if not args.in_process:
        env["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
        # As deployed (docker-compose): Redis is the cache the workers share, which the cached
        # page parts need (kernel/pagecache.py). The bench empties it before measuring.
        env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
        env["CACHE_URL"] = env["REDIS_URL"]
        env["PAGE_CACHE"] = "0" if args.no_page_cache else "1"
    # The product's settings plus the yardstick pages (bench/yardstick_settings.py, yardstick_urls.py).
    env["DJANGO_SETTINGS_MODULE"] = "yardstick_settings"
    paths = [str(ROOT / "bench"), str(ROOT), os.environ.get("PYTHONPATH")]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, paths))
    os.environ.update(env)
    return env


def ensure_database(url):
    """Create the benchmark database if it does not exist yet (PostgreSQL only)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def page_paths(project, user):
    """The main pages of one project, as the given member sees them: name -> path."""
    from audits.models import Audit
    from documents.models import Document
    from gapanalysis.models import Assessment

    phase = project.phases.get(key="5")
    assessment = Assessment.objects.filter(project=project, kind="gap").order_by("id").first()
    audit = Audit.objects.filter(project=project).order_by("id").first()
    document = Document.objects.filter(project=project).exclude(latest_version=None).order_by("id").first()
    base = f"/projects/{project.pk}/"
    pages = {
        "plain form": YARDSTICK,  # Django's LoginView, a bare AuthenticationForm page
        "plain list": f"/_yardstick/projects/{project.pk}/list/",  # 25 rows, a plain ListView
        "project list": "/projects/",
        "my work": "/my-work/",
        "dashboard": base,
        "roadmap": base + "roadmap/",
        "phase": f"{base}phases/{phase.pk}/",
        "tasks": base + "tasks/",
        "members": base + "members/",
        "history": base + "history/",
        "gap assessments": base + "gap/",
        "gap overview": f"{base}gap/{assessment.pk}/" if assessment else None,
        "gap clause": f"{base}gap/{assessment.pk}/clauses/8.1/" if assessment else None,
        "register": base + "documents/",
        "document": f"{base}documents/{document.pk}/" if document else None,
        "audit programme": base + "audits/",
        "audit": f"{base}audits/{audit.pk}/" if audit else None,
        "findings": base + "audits/findings/",
        "improvements": base + "audits/improvements/",
        "reviews": base + "audits/reviews/",
        "readiness": base + "audits/readiness/",
        "reports": base + "reports/",
    }
    return {name: path for name, path in pages.items() if path}


# --- server mode -----------------------------------------------------------------------------


def prepare(args):
    import django

    ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    from projects.models import Project

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    have = Project.objects.filter(name__startswith="Bench ").count()
    if have < args.projects:
        import dataset

        started = time.perf_counter()
        print(f"Generating the data set: {args.projects - have} projects to add …", flush=True)

        def progress(done, total):
            if done % 5 == 0 or done == total:
                print(f"  {done}/{total} projects ({time.perf_counter() - started:.0f} s)", flush=True)

        # Each project is committed on its own so an interrupted run keeps what it made.
        for index in range(have, args.projects):
            dataset.make_project(
                f"Bench {index:02d}", dataset.bench_people(), gap_assessments=4, versions=5,
                findings=160, activity=400,
            )
            progress(index - have + 1, args.projects - have)
        print(f"Data set ready in {time.perf_counter() - started:.0f} s", flush=True)
    return describe_world()


def describe_world():
    import dataset
    from django.contrib.auth import get_user_model
    from django.test import Client

    from audits.models import Finding
    from documents.models import DocumentVersion
    from gapanalysis.models import Response
    from projects.models import Project, Task

    lead = get_user_model().objects.get(username=dataset.LEAD)
    project = Project.objects.filter(name__startswith="Bench ").order_by("name").first()
    client = Client()
    client.force_login(lead)
    sizes = {
        "projects": Project.objects.count(),
        "tasks": Task.objects.count(),
        "answers": Response.objects.exclude(result="not_assessed").count(),
        "document_versions": DocumentVersion.objects.count(),
        "findings": Finding.objects.count(),
    }
    return page_paths(project, lead), client.cookies["sessionid"].value, sizes


def start_server(args, env, *, port=None, log="warm"):
    port = port or args.port
    log = open(ROOT / "bench" / f".gunicorn-{log}.log", "w")
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "sms_tracker.wsgi",
        "--workers", str(args.workers),
        "--threads", str(args.threads),
        "--bind", f"127.0.0.1:{port}",
        "--access-logfile", "-" if args.verbose else "/dev/null",
        "--log-level", "warning",
        "--timeout", "120",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log)
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log.name}")
        try:
            status, _ = fetch(port, "/healthz/", None)
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def fetch(port, path, session, connection=None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    if session:
        headers["Cookie"] = f"sessionid={session}"
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    if own or response.getheader("Connection", "").lower() == "close":
        connection.close()
    return response.status, body


def load(port, path, session, *, seconds, concurrency):
    """Drive one page with `concurrency` connections for `seconds`; latencies and throughput."""
    latencies, errors, sizes = [], [], []
    lock = threading.Lock()
    start_gate = threading.Barrier(concurrency + 1)
    stop_at = [0.0]

    def worker():
        mine, bad, size = [], 0, 0
        start_gate.wait()
        while True:
            began = time.perf_counter()
            if began >= stop_at[0]:
                break
            try:
                status, body = fetch(port, path, session)
                size = len(body)
                if status != 200:
                    bad += 1
            except OSError:
                bad += 1
            mine.append(time.perf_counter() - began)
        with lock:
            latencies.extend(mine)
            errors.append(bad)
            sizes.append(size)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        if latencies
        else None,
        "errors": sum(errors),
        "kb": round(max(sizes) / 1024, 1) if sizes else 0,
    }


def measure_interleaved(args, pages, session, cold_port=None):
    """Each page is measured between two short login segments, in `rounds` passes over the pages.

    The machine's speed drifts (other work starts and stops), so a page is compared with the
    login page measured just before and just after it; its ratio is the median over the passes.
    The plain form (a yardstick) is one of the pages, so each page's ratio to it is the ratio of
    their medians. With `cold_port`, a second server without the page cache (PAGE_CACHE=0) serves
    each page again in the same pass: the cold column."""
    login_opts = {"seconds": args.seconds / 2, "concurrency": args.concurrency}
    opts = {"seconds": args.seconds, "concurrency": args.concurrency}
    login_segments = [load(args.port, "/accounts/login/", None, **login_opts)]
    segments = {name: [] for name in pages}
    cold = {name: [] for name in pages}
    for _ in range(args.rounds):
        for name, path in pages.items():
            who = None if path.startswith(ANONYMOUS) else session
            page = load(args.port, path, who, **opts)
            if cold_port:
                cold[name].append(load(cold_port, path, who, **opts))
            login_segments.append(load(args.port, "/accounts/login/", None, **login_opts))
            yard = statistics.mean(r["rps"] for r in login_segments[-2:])
            page["ratio"] = page["rps"] / yard
            if cold_port:
                cold[name][-1]["ratio"] = cold[name][-1]["rps"] / yard
            segments[name].append(page)
            print(f"  {name:18s} {page['rps']:7.1f} req/s  {page['ratio']:.2f}× login"
                  + (f"  cold {cold[name][-1]['rps']:7.1f} req/s" if cold_port else ""), flush=True)
    results = {"login": combine(login_segments)}
    results["login"]["ratio"] = 1.0
    for name, path in pages.items():
        results[name] = combine(segments[name])
        results[name]["path"] = path
        results[name]["ratio"] = statistics.median(page["ratio"] for page in segments[name])
        if cold_port:
            results[name]["cold_rps"] = statistics.median(c["rps"] for c in cold[name])
            results[name]["cold_ratio"] = statistics.median(c["ratio"] for c in cold[name])
    add_yardstick_ratios(results)
    return results


def add_yardstick_ratios(results):
    """× plain form (warm and cold) from the ratios to the login page measured in the same passes."""
    form = results.get("plain form")
    if not form:
        return
    for result in results.values():
        result["x_form"] = result["ratio"] / form["ratio"]
        if "cold_ratio" in result:
            result["x_form_cold"] = result["cold_ratio"] / form["ratio"]


def combine(segments):
    """One row from several measurements of a page: medians, summed errors, the segments kept."""
    return {
        "requests": sum(s["requests"] for s in segments),
        "rps": statistics.median(s["rps"] for s in segments),
        "p50_ms": statistics.median(s["p50_ms"] for s in segments),
        "p99_ms": max(s["p99_ms"] for s in segments),
        "errors": sum(s["errors"] for s in segments),
        "kb": max(s["kb"] for s in segments),
        "segments": [{k: v for k, v in s.items() if k != "path"} for s in segments],
    }


def run_server(args):
    env = configure(args)
    pages, session, sizes = prepare(args)
    if args.pages:
        pages = {name: path for name, path in pages.items() if name in args.pages.split(",")}
    print("Data: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in sizes.items()), flush=True)
    from django.core.cache import cache

    cache.clear()  # the bench's own Redis database: no part cached by an earlier run or code
    server = start_server(args, env)
    cold_server = None
    if not args.no_cold:
        cold_server = start_server(args, {**env, "PAGE_CACHE": "0"}, port=args.port + 1, log="cold")
    try:
        for path in ["/accounts/login/", *pages.values()] * 2:  # warm both workers
            for port in [args.port] + ([args.port + 1] if cold_server else []):
                status, _ = fetch(port, path, None if path.startswith(ANONYMOUS) else session)
                if status != 200:
                    raise SystemExit(f"{path} answered {status} before the run")
        results = measure_interleaved(args, pages, session, args.port + 1 if cold_server else None)
    finally:
        for process in filter(None, [server, cold_server]):
            process.terminate()
            process.wait(timeout=30)
    login = statistics.mean(r["rps"] for r in results["login"]["segments"])
    report(args, "server", results, sizes, login_rps=login, unit="req/s")


# --- in-process mode -------------------------------------------------------------------------


class Rollback(Exception):
    pass


DEMO_DB = "postgres://postgres@127.0.0.1:5432/sms_bench_pages_demo"


def run_in_process(args):
    """Demo data, Django's test client: per page the warm time (page cache on, parts cached), the
    cold time (the cache emptied before every request: parts, fragments and the session all read
    anew) and the queries, each as a ratio to the plain form page timed just before and after it,
    medians of `--rounds-in-process` interleaved rounds. The demo lives in its own database
    (BENCH_DEMO_DATABASE_URL, kept between runs; --fresh makes it anew). With --grow a copy of it
    (CREATE DATABASE … TEMPLATE) whose demo project grew to about 99,000 rows (bench/growth.py) is
    measured in the same rounds, and each page's time there ÷ its time on the demo is reported."""
    configure(args)
    demo_url = os.environ.get("BENCH_DEMO_DATABASE_URL", DEMO_DB)
    grown_url = demo_url + "_grown"
    os.environ["DATABASE_URL"] = demo_url
    import django

    django.setup()
    from django.db import connection
    from django.test import override_settings

    fresh = args.fresh or not database_exists(demo_url)
    if fresh:
        drop_database(grown_url)
        drop_database(demo_url)
        ensure_database(demo_url)
    sizes = {}
    with override_settings(PAGE_CACHE=True):
        worlds = {"demo": in_process_world(args)}
        sizes["demo_rows"] = worlds["demo"]["rows"]
        if args.grow:
            if fresh or not database_exists(grown_url):
                connection.close()
                drop_database(grown_url)
                clone_database(demo_url, grown_url)
                use_database(grown_url)
                import growth

                from projects.models import Project

                began = time.perf_counter()
                growth.grow(Project.objects.get(pk=worlds["demo"]["project"]), target=99_000)
                print(f"Grew the demo project in {time.perf_counter() - began:.0f} s", flush=True)
            use_database(grown_url)
            worlds["99k"] = in_process_world(args)
            sizes["grown_rows"] = worlds["99k"]["rows"]
        results = {name: {} for name in worlds}
        for _ in range(args.rounds_in_process):
            for name, world in worlds.items():
                use_database(world["url"])
                measure_in_process(args, world, results[name])
    results = {name: summarise(rows) for name, rows in results.items()}
    demo = results["demo"]
    if "99k" in results:
        for name, row in demo.items():
            big = results["99k"][name]
            row.update(grown_ms=big["mean_ms"], grown_cold_ms=big["cold_ms"], grown_queries=big["queries"],
                       grown_x_form=big["x_form"], grown_x_form_cold=big["x_form_cold"],
                       growth=big["mean_ms"] / row["mean_ms"], growth_cold=big["cold_ms"] / row["cold_ms"])
    login = demo["login"]["rps"]
    for result in demo.values():
        result["ratio"] = result["rps"] / login
    report(args, "in-process", demo, sizes, login_rps=login, unit="req/s (1 client)")


def database_exists(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def drop_database(url):
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')


def clone_database(source, target):
    import psycopg

    with psycopg.connect(source.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target.rsplit("/", 1)[1]}" TEMPLATE "{source.rsplit("/", 1)[1]}"')


def use_database(url):
    """Point the default connection at another database of the same server (and forget the
    cache: its parts and generations belong to the other database)."""
    from django.core.cache import cache
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = url.rsplit("/", 1)[1]
    cache.clear()


def in_process_world(args):
    """Migrated, the demo seeded (once), the lead's client and the pages to measure."""
    import dataset
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    demo = dataset.demo_project()
    lead = get_user_model().objects.get(username="lead")
    pages = page_paths(demo, lead)
    if args.pages:
        keep = {"plain form", "plain list", *args.pages.split(",")}
        pages = {name: path for name, path in pages.items() if name in keep}
    return {"url": f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{connection.settings_dict['NAME']}",
            "project": demo.pk, "lead": lead, "rows": project_rows(demo),
            "targets": {"login": "/accounts/login/", **pages}}


def project_rows(project):
    """Rows that belong to the project, over the tables that grow (tasks, answers, versions, …)."""
    from audits.models import CorrectiveAction, Finding
    from documents.models import DocumentVersion
    from gapanalysis.models import Response
    from projects.models import Activity, Task

    return sum([
        Task.objects.filter(project=project).count(),
        Response.objects.filter(assessment__project=project).count(),
        DocumentVersion.objects.filter(document__project=project).count(),
        Finding.objects.filter(project=project).count(),
        CorrectiveAction.objects.filter(project=project).count(),
        Activity.objects.filter(project=project).count(),
    ])


def measure_in_process(args, world, results):
    """One round over the world's pages: warm and cold, each between two plain-form timings."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    targets = world["targets"]
    client, anonymous = Client(), Client()
    client.force_login(world["lead"])
    who = {name: anonymous if path.startswith(ANONYMOUS) else client for name, path in targets.items()}

    def timed(name, *, cold=False):
        timings = []
        for _ in range(args.runs):
            if cold:
                cache.clear()
            began = time.perf_counter()
            response = who[name].get(targets[name])
            timings.append(time.perf_counter() - began)
            if response.status_code != 200:
                raise SystemExit(f"{targets[name]} answered {response.status_code}")
        return statistics.median(timings)

    for name, path in targets.items():
        response = who[name].get(path)  # warm-up, and the status check
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        reset_queries()  # the request resets the log itself; start from an empty one
        with CaptureQueriesContext(connection) as captured:
            who[name].get(path)
        row = results.setdefault(name, {"path": path, "warm": [], "cold": [], "x_warm": [], "x_cold": []})
        row["queries"], row["kb"] = len(captured), round(len(response.content) / 1024, 1)
        before = timed("plain form")
        warm = timed(name)
        cold = timed(name, cold=True)
        after = timed("plain form")
        yard = (before + after) / 2
        row["warm"].append(warm)
        row["cold"].append(cold)
        row["x_warm"].append(yard / warm)
        row["x_cold"].append(yard / cold)


def summarise(results):
    for row in results.values():
        row["mean_ms"] = 1000 * statistics.median(row.pop("warm"))
        row["cold_ms"] = 1000 * statistics.median(row.pop("cold"))
        row["p50_ms"] = row["mean_ms"]
        row["rps"] = 1000 / row["mean_ms"]
        row["x_form"] = statistics.median(row.pop("x_warm"))
        row["x_form_cold"] = statistics.median(row.pop("x_cold"))
    return results


# --- output ----------------------------------------------------------------------------------


def report(args, mode, results, sizes, *, login_rps, unit):
    grown = any("growth" in r for r in results.values())
    cold = any("x_form_cold" in r for r in results.values())
    print()
    head = f"{'page':16s} {unit:>18s} {'×login':>7s} {'×form':>6s}"
    head += f" {'×form cold':>10s}" if cold else ""
    head += f" {'p50 ms':>7s} {'KB':>6s}"
    head += f" {'queries':>7s}" if mode == "in-process" else f" {'errors':>6s}"
    if grown:
        head += f" {'99k ms':>7s} {'99k/demo':>8s} {'cold 99k/demo':>13s} {'99k q':>6s}"
    print(head)
    misses = []
    for name, r in results.items():
        line = f"{name:16s} {r['rps']:18.1f} {r['ratio']:7.2f} {r.get('x_form', 0):6.2f}"
        if cold:
            line += f" {r.get('x_form_cold', 0):10.2f}"
        line += f" {r['p50_ms']:7.1f} {r['kb']:6.1f}"
        line += f" {r['queries']:7d}" if mode == "in-process" else f" {r['errors']:6d}"
        if grown:
            line += f" {r['grown_ms']:7.1f} {r['growth']:8.2f} {r['growth_cold']:13.2f}"
            line += f" {r['grown_queries']:6d}"
        flags = []
        if name not in ("login", "plain form", "plain list"):
            if r.get("x_form", 1) < WARM_TARGET:
                flags.append("warm")
            if cold and r.get("x_form_cold", 1) < COLD_TARGET:
                flags.append("cold")
            if grown and r["growth"] > 1.5:
                flags.append("growth")
        if flags:
            misses.append(f"{name} ({', '.join(flags)})")
            line += "  < " + ", ".join(flags)
        print(line)
    print(f"\nLogin page (allauth): {login_rps:.1f} {unit}. Targets: warm ≥ {WARM_TARGET}× and cold ≥ "
          f"{COLD_TARGET}× the plain form" + (", 99k ≤ 1.5× demo" if grown else "") + ". "
          + (f"Missed: {'; '.join(misses)}." if misses else "All pages meet them."))
    out = Path(args.json or ROOT / "bench" / "results" / f"pages-{mode}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "mode": mode,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
        "concurrency": None if mode == "in-process" else args.concurrency,
        "workers": None if mode == "in-process" else args.workers,
        "threads": None if mode == "in-process" else args.threads,
        "seconds_per_page": None if mode == "in-process" else args.seconds,
        "rounds": args.rounds_in_process if mode == "in-process" else args.rounds,
        "page_cache": None if mode == "in-process" else not args.no_page_cache,
        "data": sizes,
        "login_rps": login_rps,
        "targets": {"warm_x_form": WARM_TARGET, "cold_x_form": COLD_TARGET, "growth": 1.5},
        "pages": results,
    }, indent=2))
    print(f"Written {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-process", action="store_true", help="demo data, test client, no server")
    parser.add_argument("--projects", type=int, default=50, help="projects in the generated data set")
    parser.add_argument("--seconds", type=float, default=3.0, help="load time per page and pass")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the pages (server mode)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread if > 1)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8600)))
    parser.add_argument("--runs", type=int, default=5, help="requests per page and round (in-process)")
    parser.add_argument("--pages", help="comma-separated page names to measure (default: all)")
    parser.add_argument("--json", help="where to write the results")
    parser.add_argument("--no-page-cache", action="store_true",
                        help="PAGE_CACHE=0: every page part rendered on every request (server mode)")
    parser.add_argument("--no-cold", action="store_true",
                        help="server mode: no second server without the page cache (no cold column)")
    parser.add_argument("--rounds-in-process", type=int, default=3, help="interleaved rounds (in-process)")
    parser.add_argument("--fresh", action="store_true", help="in-process: seed the demo database anew")
    parser.add_argument("--grow", action="store_true",
                        help="in-process: measure again after growing the demo project to about 99,000 rows")
    parser.add_argument("--verbose", action="store_true",
                        help="gunicorn access log to bench/.gunicorn-warm.log")
    args = parser.parse_args()
    (run_in_process if args.in_process else run_server)(args)


if __name__ == "__main__":
    main()
