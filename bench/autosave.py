"""Benchmark: answer autosave under load — 20 auditors saving different answers at once.

Not a test. Starts gunicorn (2 sync workers, DEBUG off) on PostgreSQL with Redis as the broker, in a
database of its own (default postgres://postgres@127.0.0.1:5432/sms_bench_sweep, created and migrated
when missing), and runs N concurrent clients on 127.0.0.1, each saving its own answers one after the
other (results cycle conformant → partial → not assessed, so two saves in three change progress and
queue the progress refresh). Prints p50/p95/p99 latency and throughput, the queries of one save
(measured in-process on the same database, with the same broker), and checks that when every
client saves the same answer at once exactly one wins (the others get 409). Writes JSON.

    .venv/bin/python bench/autosave.py [--clients 20] [--saves 40] [--port 8700] [--json bench/autosave.json]
    make bench-autosave

The refresh messages go to a queue of the benchmark's own in Redis (nobody consumes them) and are
deleted at the end. `--profile FILE` runs 300 saves in-process under cProfile and writes the stats.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sms_bench_sweep"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
QUEUE = f"bench-autosave-{uuid.uuid4().hex[:8]}"
SERVER_ENV = {
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
    "CELERY_QUEUE": QUEUE,
    "DEBUG": "0",
    "SECRET_KEY": "bench-autosave-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,testserver",  # testserver: the in-process query count
    "SESSION_COOKIE_SECURE": "0",
    "SECURE_SSL_REDIRECT": "0",
    "CSRF_COOKIE_SECURE": "0",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tracker.settings")
RESULTS = ("conformant", "partial", "not_assessed")
VERSION = re.compile(r'name="version" value="(\d+)"')


def setup_django():
    import django

    sys.path.insert(0, str(ROOT / "bench"))
    from sweep import ensure_database  # the same database helper as the sweep benchmark

    os.environ.update(SERVER_ENV)  # importing the sweep benchmark dropped REDIS_URL
    ensure_database()
    django.setup()


def make_world(clients: int):
    """A project with a gap assessment of every question, `clients` auditors assigned to it."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from gapanalysis import services as gap
    from gapanalysis.models import ChecklistTemplate, Response
    from projects import services
    from projects.models import Membership, Project, Role

    User = get_user_model()
    project = Project.objects.filter(name="Autosave bench").first()
    if project is None or Membership.objects.filter(project=project, role=Role.AUDITOR).count() < clients:
        Project.objects.filter(name="Autosave bench").delete()
        User.objects.filter(username__startswith="autosave-").delete()
        lead = User.objects.create_user("autosave-lead", "autosave-lead@example.test", None)
        today = timezone.localdate()
        project = services.project_create(
            user=lead,
            name="Autosave bench",
            organisation="Bench Org",
            start_date=today,
            target_certification_date=today + timezone.timedelta(days=300),
        )
        auditors = [
            User.objects.create_user(f"autosave-{i:02d}", f"autosave-{i:02d}@example.test", None)
            for i in range(clients)
        ]
        Membership.objects.bulk_create(
            [Membership(project=project, user=u, role=Role.AUDITOR) for u in auditors]
        )
        gap.assessment_create(
            project=project,
            template=ChecklistTemplate.objects.order_by("pk").first(),
            title="Autosave bench",
            auditor_ids=[u.pk for u in auditors],
            user=lead,
        )
    auditors = list(
        User.objects.filter(memberships__project=project, memberships__role=Role.AUDITOR).order_by("username")
    )[:clients]
    responses = list(Response.objects.filter(assessment__project=project).order_by("pk"))
    return project, auditors, responses


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def queries_per_save(project, auditor, response) -> list[int]:
    """Queries of three saves in-process (first answer, a change, back to not assessed)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(auditor)
    url = f"/projects/{project.pk}/gap/{response.assessment_id}/responses/{response.pk}/"
    version = response.version
    counts = []
    for result in RESULTS:
        with CaptureQueriesContext(connection) as queries:
            reply = client.post(
                url, {"result": result, "notes": "", "version": version}, HTTP_HX_REQUEST="true"
            )
        assert reply.status_code == 200, reply.status_code
        version = int(VERSION.search(reply.content.decode()).group(1))
        counts.append(len(queries))
    return counts


class Save:
    def __init__(self, port, project, cookie):
        self.port, self.project = port, project
        self.csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret, cookie and header
        self.headers = {
            "Cookie": f"sessionid={cookie}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
            "Host": "127.0.0.1",
        }

    def __call__(self, response, result, version):
        body = f"result={result}&notes=bench+{version}&version={version}"
        path = f"/projects/{self.project.pk}/gap/{response.assessment_id}/responses/{response.pk}/"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("POST", path, body=body, headers=self.headers)
        reply = connection.getresponse()
        text = reply.read().decode()
        connection.close()
        elapsed = time.perf_counter() - started
        found = VERSION.search(text)
        return reply.status, elapsed, int(found.group(1)) if found else None


def run_load(port, project, auditors, responses, *, saves: int, think_ms: float = 0):
    from gapanalysis.models import Response

    per_client = [responses[i :: len(auditors)] for i in range(len(auditors))]
    versions = dict(Response.objects.filter(pk__in=[r.pk for r in responses]).values_list("pk", "version"))
    savers = [Save(port, project, session_cookie(a)) for a in auditors]
    latencies, statuses, lock = [], [], threading.Lock()
    start = threading.Barrier(len(auditors))

    def client(index):
        mine, save = per_client[index], savers[index]
        pause = random.Random(index)  # the same pauses on every run
        start.wait()
        if think_ms:  # auditors do not start in step
            time.sleep(pause.uniform(0, think_ms) / 1000)
        for step in range(saves):
            if think_ms and step:
                # Reading the next question, choosing, typing: 0.5–1.5 × the mean between saves.
                time.sleep(pause.uniform(0.5, 1.5) * think_ms / 1000)
            response = mine[step % len(mine)]
            result = RESULTS[(step // len(mine)) % len(RESULTS)]
            status, elapsed, version = save(response, result, versions[response.pk])
            if version:
                versions[response.pk] = version
            with lock:
                latencies.append(elapsed)
                statuses.append(status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(auditors))]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return latencies, statuses, wall


def run_conflict(port, project, auditors, response) -> dict:
    """Every client saves the same answer from the same version at once: exactly one may win."""
    response.refresh_from_db()
    savers = [Save(port, project, session_cookie(a)) for a in auditors]
    statuses, lock = [], threading.Lock()
    start = threading.Barrier(len(savers))

    def client(save, result):
        start.wait()
        status, _, _ = save(response, result, response.version)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=client, args=(save, RESULTS[i % 2])) for i, save in enumerate(savers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "200": statuses.count(200),
        "409": statuses.count(409),
        "other": len(statuses) - statuses.count(200) - statuses.count(409),
    }


def start_server(port, workers, threads=1):
    env = {**os.environ, **SERVER_ENV}
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "sms_tracker.wsgi:application",
            "--workers",
            str(workers),
            # More than one thread: gunicorn's gthread worker (a save's waits for PostgreSQL and Redis
            # overlap with another save's Python).
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer on /healthz/ within 30 s")


def server_cpu_seconds(server) -> float:
    """CPU time (user + system) of gunicorn's worker processes so far: a figure that, unlike the
    latency, does not depend much on what else runs on the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def forget_queue():
    import redis

    client = redis.Redis.from_url(SERVER_ENV["REDIS_URL"])
    client.delete(QUEUE, f"_kombu.binding.{QUEUE}", f"_kombu.binding_permanent.{QUEUE}")
    client.close()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def profile(project, auditor, responses, path):
    import cProfile

    from django.test import Client

    client = Client()
    client.force_login(auditor)
    versions = {r.pk: r.version for r in responses}
    profiler = cProfile.Profile(time.process_time)  # CPU time: waits for the database do not count
    profiler.enable()
    for step in range(300):
        response = responses[step % len(responses)]
        url = f"/projects/{project.pk}/gap/{response.assessment_id}/responses/{response.pk}/"
        result = RESULTS[(step // len(responses)) % len(RESULTS)]
        reply = client.post(
            url, {"result": result, "notes": "p", "version": versions[response.pk]}, HTTP_HX_REQUEST="true"
        )
        versions[response.pk] = int(VERSION.search(reply.content.decode()).group(1))
    profiler.disable()
    profiler.dump_stats(path)
    print(f"profile of 300 saves written to {path} (python -m pstats {path})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--saves", type=int, default=40, help="saves per client")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (more than 1: gthread)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8700)))
    parser.add_argument("--json", default=str(ROOT / "bench" / "autosave.json"))
    parser.add_argument("--profile", metavar="FILE")
    parser.add_argument("--conn-max-age", help="CONN_MAX_AGE for gunicorn (default: the app's)")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0,
        help="mean pause of each auditor between two saves (0: closed loop, the next save as soon as "
        "the last is answered — saturation)",
    )
    args = parser.parse_args()

    if args.conn_max_age is not None:
        SERVER_ENV["CONN_MAX_AGE"] = args.conn_max_age
    setup_django()
    project, auditors, responses = make_world(args.clients)
    mine = [r for r in responses if r.pk % args.clients == 0] or responses[:1]
    try:
        if args.profile:
            return profile(project, auditors[0], responses[:50], args.profile)
        counts = queries_per_save(project, auditors[0], responses[-1])
        server = start_server(args.port, args.workers, args.threads)
        try:
            run_load(args.port, project, auditors, responses, saves=2)  # warm-up: imports, connections
            cpu_before = server_cpu_seconds(server)
            latencies, statuses, wall = run_load(
                args.port, project, auditors, responses, saves=args.saves, think_ms=args.think_ms
            )
            server_cpu = server_cpu_seconds(server) - cpu_before
            conflict = run_conflict(args.port, project, auditors, mine[0])
        finally:
            server.terminate()
            server.wait(10)
    finally:
        forget_queue()
    ms = [value * 1000 for value in latencies]
    figures = {
        "clients": args.clients,
        "think_ms": args.think_ms,
        "workers": args.workers,
        "threads": args.threads,
        "saves": len(ms),
        "non_200": len(statuses) - statuses.count(200),
        "p50_ms": round(percentile(ms, 0.50), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "saves_per_second": round(len(ms) / wall, 1),
        "server_cpu_ms_per_save": round(server_cpu * 1000 / len(ms), 2),
        "load_average_1min": os.getloadavg()[0],
        "queries_per_save": counts,
        "same_answer_at_once": conflict,
        "targets": {"p95_ms": 60, "queries_per_save": 6, "winners": 1},
    }
    model = f"pause {args.think_ms:.0f} ms (mean) between saves" if args.think_ms else "closed loop"
    print(
        f"{args.clients} clients × {args.saves} saves ({model}), {args.workers} gunicorn workers"
        f"{f' × {args.threads} threads' if args.threads > 1 else ''}, "
        "DEBUG off, PostgreSQL"
    )
    print(
        f"p50 {figures['p50_ms']} ms · p95 {figures['p95_ms']} ms · p99 {figures['p99_ms']} ms · "
        f"{figures['saves_per_second']} saves/s · non-200: {figures['non_200']}"
    )
    print(f"gunicorn CPU per save: {figures['server_cpu_ms_per_save']} ms · load {os.getloadavg()[0]:.1f}")
    print(f"queries per save (first answer, change, back to not assessed): {counts}")
    print(
        f"same answer saved by {args.clients} at once: {conflict['200']} won, {conflict['409']} got 409, "
        f"{conflict['other']} other"
    )
    from sweep import write_figures  # on sys.path since setup_django()

    write_figures(args.json, figures)


if __name__ == "__main__":
    main()
