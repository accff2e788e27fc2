"""Benchmark: the daily reminder sweep at 100,000 open items across 51 projects.

Not a test. It generates its data in a database of its own (default
postgres://postgres@127.0.0.1:5432/sms_bench_sweep, created and migrated when missing; the data is
kept between runs and regenerated with --fresh), empties today's digests, then runs the sweep twice,
each in a fresh process, and prints for each: seconds, peak memory (max RSS of that process, of
which the baseline after django.setup() is shown too), digests recorded, and the largest digest (the
outbox row, and the e-mail rendered from it as it would be sent). Writes the figures as JSON.

    .venv/bin/python bench/sweep.py [--items 100000] [--projects 51] [--json bench/sweep.json]
    make bench-sweep

The data: one lead who leads every project (the person whose single digest used to hold every
escalated item), ten contributors per project, open tasks spread evenly over the projects with
due dates from 38 days ago to 7 days ahead (about two thirds overdue more than the escalation
window), assigned round-robin to the contributors.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sms_bench_sweep"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tracker.settings")
os.environ.setdefault("DEBUG", "1")  # local defaults for the secret key and hosts; nothing is served
os.environ.pop("REDIS_URL", None)  # the sweep only records; nothing is published

CONTRIBUTORS_PER_PROJECT = 10
BATCH = 5000


def _maxrss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux carries
    ru_maxrss over fork and exec, so a child would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _setup():
    import django

    django.setup()


def ensure_database():
    """Create the benchmark database when it does not exist, then migrate it."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    _setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def generate(*, items: int, projects: int, fresh: bool) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from projects import services
    from projects.models import Membership, Project, Role, Task, TaskStatus

    User = get_user_model()
    open_tasks = Task.objects.filter(project__name__startswith="Sweep bench ").exclude(status=TaskStatus.DONE)
    if not fresh and open_tasks.count() == items:
        return {"generated": False, "seconds": 0.0}
    started = time.perf_counter()
    Project.objects.filter(name__startswith="Sweep bench ").delete()
    User.objects.filter(username__startswith="sweep-").delete()
    today = timezone.localdate()
    lead = User.objects.create_user("sweep-lead", "sweep-lead@example.test", None, first_name="Lena")
    people = User.objects.bulk_create(
        [
            User(username=f"sweep-{p}-{c}", email=f"sweep-{p}-{c}@example.test", password="!")
            for p in range(projects)
            for c in range(CONTRIBUTORS_PER_PROJECT)
        ]
    )
    per_project = [items // projects + (1 if p < items % projects else 0) for p in range(projects)]
    for p in range(projects):
        project = services.project_create(
            user=lead,
            name=f"Sweep bench {p + 1:02d}",
            organisation="Bench Org",
            start_date=today - timedelta(days=300),
            target_certification_date=today + timedelta(days=200),
        )
        team = people[p * CONTRIBUTORS_PER_PROJECT : (p + 1) * CONTRIBUTORS_PER_PROJECT]
        Membership.objects.bulk_create(
            [Membership(project=project, user=u, role=Role.CONTRIBUTOR) for u in team]
        )
        phases = list(project.phases.order_by("order").values_list("pk", flat=True))
        rows = []
        for index in range(per_project[p]):
            rows.append(
                Task(
                    project=project,
                    phase_id=phases[index % len(phases)],
                    title=f"Generated task {index + 1} of project {p + 1}: put the process in place",
                    assignee=team[index % len(team)],
                    due_date=today + timedelta(days=7 - index % 46),
                    status=TaskStatus.OPEN,
                )
            )
            if len(rows) == BATCH:
                Task.objects.bulk_create(rows)
                rows = []
        Task.objects.bulk_create(rows)
    return {"generated": True, "seconds": round(time.perf_counter() - started, 1)}


def run_sweep_once() -> None:
    """Child process: one sweep, its time and this process's peak memory, as JSON on stdout."""
    _setup()
    baseline = _maxrss_mb()
    from django.utils import timezone

    from notifications import reminders

    started = time.perf_counter()
    ids = reminders.reminder_sweep(today=timezone.localdate())
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_mb": round(_maxrss_mb(), 1),
                "baseline_mb": round(baseline, 1),
                "pending": len(ids),
            }
        )
    )


def _sweep_in_child() -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--sweep-once"], check=True, capture_output=True, text=True, env=os.environ
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def largest_digest() -> dict:
    """The biggest digest of today: every digest's e-mail rendered as it would be sent, and its row."""
    from django.core.mail import EmailMultiAlternatives
    from django.utils import timezone

    from kernel import outbox
    from notifications.models import OutboxMessage

    digests = OutboxMessage.objects.filter(kind="digest", day=timezone.localdate())
    result = {"digests": 0, "row_bytes": 0, "email_bytes": 0, "recipient": ""}
    for message in digests.select_related("recipient").iterator(chunk_size=100):
        result["digests"] += 1
        if hasattr(outbox, "message_email"):  # rendered at send time
            email = outbox.message_email(message)
        else:  # rendered by the sweep and stored in the row
            email = EmailMultiAlternatives(message.subject, message.body_text, to=[message.to_email])
            email.attach_alternative(message.body_html, "text/html")
        size = len(email.message().as_bytes())
        row = len(message.body_text) + len(message.body_html) + len(json.dumps(message.items))
        result["row_bytes"] = max(result["row_bytes"], row)
        if size > result["email_bytes"]:
            result.update(email_bytes=size, recipient=message.to_email)
    return result


def write_figures(path, figures: dict) -> None:
    Path(path).write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written to {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=51)
    parser.add_argument("--fresh", action="store_true", help="regenerate the data even if it is there")
    parser.add_argument("--json", default=str(ROOT / "bench" / "sweep.json"))
    parser.add_argument("--sweep-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sweep_once:
        return run_sweep_once()

    ensure_database()
    data = generate(items=args.items, projects=args.projects, fresh=args.fresh)
    from django.utils import timezone

    from notifications.models import OutboxMessage

    OutboxMessage.objects.filter(kind="digest", day=timezone.localdate()).delete()
    first = _sweep_in_child()
    size = largest_digest()
    second = _sweep_in_child()
    figures = {
        "items": args.items,
        "projects": args.projects,
        "data": data,
        "first_sweep": first,
        "second_sweep": second,
        "largest_digest": size,
        "targets": {"first_seconds": 15, "peak_mb": 200, "second_seconds": 2, "digest_bytes": 200_000},
    }
    print(
        f"data: {args.items} open items in {args.projects} projects"
        + (f" (generated in {data['seconds']} s)" if data["generated"] else " (reused)")
    )
    print(f"{'sweep':<8}{'seconds':>9}{'peak MB':>9}{'baseline MB':>13}{'pending':>9}")
    for name, row in (("first", first), ("second", second)):
        print(f"{name:<8}{row['seconds']:>9}{row['peak_mb']:>9}{row['baseline_mb']:>13}{row['pending']:>9}")
    print(
        f"digests: {size['digests']}; largest e-mail {size['email_bytes'] / 1000:.1f} KB "
        f"({size['recipient']}), largest outbox row {size['row_bytes'] / 1000:.1f} KB"
    )
    write_figures(args.json, figures)


if __name__ == "__main__":
    main()
