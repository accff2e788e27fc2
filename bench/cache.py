"""Benchmark: do other projects' cached page parts survive other people's work? (issue 20 §2)

50 active projects (bench/dataset.py, lighter than the 100× set: 200 tasks, one gap assessment, 30
documents and 100 activity lines each, no audits) in their own PostgreSQL database
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sms_bench_cache), Django in-process
with DEBUG off and the real Redis cache (BENCH_REDIS_URL, default redis://127.0.0.1:6379/5, under a
key prefix of its own that the run empties first). The lead of every project reads dashboards; at
each step:

* a member edits a task of project 0 (the task edit view, as a browser posts it),
* every other step someone else signs in (allauth's sign-in form),
* the lead opens the dashboard of one of the 49 other projects (round robin).

Measured: the share of those dashboards whose cached part was served from the cache (hit rate), and
their time (median, p90), beside the same dashboards warm with nobody else working and cold (cache
emptied). `--root DIR` runs another checkout of the code (e.g. main, for the "before" column) on the
same database.

    .venv/bin/python bench/cache.py [--steps 200] [--projects 50] [--root DIR] [--json FILE]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sms_bench_cache"
DEFAULT_REDIS = "redis://127.0.0.1:6379/5"
PASSWORD = "bench-pass-2018"  # bench/dataset.py's people


def configure(args):
    root = Path(args.root).resolve() if args.root else HERE.parent
    sys.path.insert(0, str(root))
    if args.root:  # not this checkout's editable install: the other tree's modules, all of them
        sys.meta_path[:] = [
            f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")
        ]
    sys.path.insert(1, str(HERE))  # bench/dataset.py (this checkout's)
    redis = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    os.environ.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-cache-not-a-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SMS_TRACKER_TESTING": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "LOG_LEVEL": "WARNING",
            "STATIC_ROOT": str(HERE / ".staticfiles"),
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB),
            "REDIS_URL": redis,
            "CACHE_URL": redis,
            "CACHE_KEY_PREFIX": "bench-cache",
            "PAGE_CACHE": "1",
            "DJANGO_SETTINGS_MODULE": "sms_tracker.settings",
        }
    )
    return root


def ensure_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(count):
    from django.core.management import call_command

    from projects.models import Project

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    have = Project.objects.filter(name__startswith="Cache bench ").count()
    if have < count:
        import dataset

        started = time.perf_counter()
        people = dataset.bench_people()
        for index in range(have, count):
            # No audits: bench/dataset.py's generated auditors now fail the independence check.
            dataset.make_project(
                f"Cache bench {index:02d}", people, tasks=200, gap_assessments=1, documents=30,
                audits=0, findings=0, activity=100,
            )
            if (index + 1) % 10 == 0:
                print(f"  {index + 1}/{count} projects ({time.perf_counter() - started:.0f} s)", flush=True)
    return list(Project.objects.filter(name__startswith="Cache bench ").order_by("name")[:count])


class Parts:
    """Counts the dashboard's cached part: drawn (a miss) or served (a hit). Works with any
    `cached_part(name, …, render, …)`: the render function is the one callable argument."""

    def __init__(self):
        try:
            from kernel import pagecache
        except ImportError:  # a checkout from before the kernel moved out of sms_tracker/ (--root)
            from sms_tracker.core import pagecache

        self.drawn = 0
        original = pagecache.cached_part

        def counting(name, *args, **kwargs):
            if name != "dashboard":
                return original(name, *args, **kwargs)
            args = list(args)
            index = next(i for i, a in enumerate(args) if callable(a))
            render = args[index]

            def draw():
                self.drawn += 1
                return render()

            args[index] = draw
            return original(name, *args, **kwargs)

        pagecache.cached_part = counting


def sign_in(username):
    from django.test import Client

    client = Client()
    response = client.post("/accounts/login/", {"login": username, "password": PASSWORD})
    assert response.status_code == 302, f"sign-in of {username}: {response.status_code}"
    return client


def edit_task(client, task, n):
    from projects.models import Task

    task = Task.objects.get(pk=task.pk)
    data = {
        "title": f"Edited by the benchmark ({n})",
        "phase": task.phase_id,
        "assignee": task.assignee_id or "",
        "start_date": task.start_date.isoformat() if task.start_date else "",
        "due_date": task.due_date.isoformat() if task.due_date else "",
        "priority": task.priority,
        "status": task.status,
        "description": task.description,
        "version": task.version,
    }
    response = client.post(f"/projects/{task.project_id}/tasks/{task.pk}/edit/", data)
    assert response.status_code == 302, f"task edit: {response.status_code}"


def timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return elapsed


def summary(times):
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
        "n": len(ordered),
    }


def run(args):
    import django

    ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    import dataset
    from django.core.cache import cache

    from projects.models import Task

    projects = prepare(args.projects)
    edited, others = projects[0], projects[1:]
    task = Task.objects.filter(project=edited).order_by("id").first()
    people = dataset.bench_people()
    reader = sign_in(dataset.LEAD)
    editor = sign_in(dataset.LEAD)  # the lead of every project edits project 0 in another session
    visitors = [p.username for p in people[2:]]
    urls = [f"/projects/{p.pk}/" for p in others]
    parts = Parts()

    cache.delete_pattern("*")  # this run's prefix only
    cold = [timed_get(reader, url) for url in urls]
    quiet = [timed_get(reader, url) for url in urls]  # warm, nobody else working

    busy, hits = [], 0
    for step in range(args.steps):
        edit_task(editor, task, step)
        if step % 2 == 0:
            sign_in(visitors[step % len(visitors)])
        before = parts.drawn
        busy.append(timed_get(reader, urls[step % len(urls)]))
        hits += parts.drawn == before
    result = {
        "code": str(Path(sys.modules["sms_tracker"].__file__).parent.parent),
        "projects": len(projects),
        "steps": args.steps,
        "sign_ins": (args.steps + 1) // 2,
        "hit_rate": round(hits / args.steps, 3),
        "cold": summary(cold),
        "warm_quiet": summary(quiet),
        "busy": summary(busy),
    }
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--root", help="another checkout of the code to measure (same database)")
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args()
    configure(args)
    result = run(args)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
