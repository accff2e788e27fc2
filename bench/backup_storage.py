"""Backup/restore times and file upload/download through S3 (moto) against local disk (issue 22 §1, §5).

    python bench/backup_storage.py storage            # upload/download, disk and S3 side by side
    python bench/backup_storage.py backup --dataset demo
    python bench/backup_storage.py backup --dataset 100x [--projects 50]

`storage` starts moto's S3 server on BENCH_S3_PORT (default 8150) and writes then reads the same files
through Django's storage API into a temporary directory and into a bucket, alternating, so both see the
same machine load. `backup` builds the data set in its own PostgreSQL database (sms_bench_backup; the
100x set is kept between runs), adds stored files, times `manage.py backup` and `manage.py restore` into
a new database (sms_bench_restore) and a new directory, and checks the row and file counts.
Results go to bench/results/backup-storage.json and are printed.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
RESULTS = ROOT / "bench" / "results" / "backup-storage.json"


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-backup-not-a-secret-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SMS_TRACKER_TESTING="0",
        LOG_LEVEL="WARNING",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
        **extra,
    )
    return env


def _manage(*args, env, check=True):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=check,
        capture_output=True,
        text=True,
    )


def _recreate(name):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _exists(name):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def _record(key, value):
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[key] = value
    RESULTS.write_text(json.dumps(data, indent=2))


# --- upload/download ------------------------------------------------------------------------------

SIZES = [(20 * 1024, 100), (1024 * 1024, 20), (10 * 1024 * 1024, 3)]  # (bytes, files) per round


def _time_storage(storage, payloads, prefix):
    from django.core.files.base import ContentFile

    up = down = 0.0
    for index, payload in enumerate(payloads):
        started = time.perf_counter()
        name = storage.save(f"{prefix}/{index}.bin", ContentFile(payload))
        up += time.perf_counter() - started
        started = time.perf_counter()
        with storage.open(name, "rb") as handle:
            assert handle.read() == payload
        down += time.perf_counter() - started
    return up, down


def bench_storage(args):
    os.environ.update(_env(DATABASE_URL="sqlite:///:memory:"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "sms_tracker.settings"
    import django

    django.setup()
    from django.core.files.storage import FileSystemStorage, storages

    from tests.storage.s3server import S3Server, storage_setting_from

    server = S3Server(port=int(os.environ.get("BENCH_S3_PORT", "8150"))).start()
    results = {}
    try:
        bucket = server.new_bucket("bench")
        s3 = storages.create_storage(storage_setting_from(server.environment(bucket)))
        with tempfile.TemporaryDirectory() as directory:
            disk = FileSystemStorage(location=directory)
            for size, count in SIZES:
                payloads = [os.urandom(size) for _ in range(count)]
                timings = {"disk": [], "s3": []}
                for round_ in range(args.rounds):  # alternate so both see the same load
                    for kind, storage in (("disk", disk), ("s3", s3)):
                        timings[kind].append(_time_storage(storage, payloads, f"r{round_}-{size}"))
                row = {"files": count, "bytes_each": size}
                for kind, runs in timings.items():
                    up = statistics.median(r[0] for r in runs)
                    down = statistics.median(r[1] for r in runs)
                    row[kind] = {
                        "upload_ms_per_file": round(up / count * 1000, 2),
                        "download_ms_per_file": round(down / count * 1000, 2),
                        "upload_MBps": round(size * count / up / 1e6, 1),
                        "download_MBps": round(size * count / down / 1e6, 1),
                    }
                results[f"{size // 1024} KB"] = row
                print(f"{size // 1024:>6} KB × {count:<3} disk {row['disk']}  s3 {row['s3']}", flush=True)
    finally:
        server.stop()
    _record("storage", {"rounds": args.rounds, "results": results})


# --- backup/restore -------------------------------------------------------------------------------

SEED_FILES = """
import os, django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
count, size = int(os.environ["BENCH_FILES"]), int(os.environ["BENCH_FILE_BYTES"])
block = os.urandom(size)
for index in range(count):
    content = ContentFile(block[index % 64 :] + block[: index % 64])
    default_storage.save(f"bench/{index // 100}/{index}.pdf", content)
"""

SEED_100X = """
import os, sys, django
django.setup()
sys.path.insert(0, os.path.join(os.getcwd(), "bench"))
import dataset
from projects.models import Project
have = Project.objects.filter(name__startswith="Bench ").count()
people = dataset.bench_people()
for index in range(have, int(os.environ["BENCH_PROJECTS"])):
    dataset.make_project(
        f"Bench {index:02d}", people, gap_assessments=4, versions=5, findings=160, activity=400
    )
    print("project", index, flush=True)
"""


def bench_backup(args):
    source_db, target_db = f"sms_bench_backup_{args.dataset}", "sms_bench_restore"
    work = Path(tempfile.mkdtemp(prefix="sms-bench-backup-"))
    media = Path(os.environ.get("BENCH_MEDIA", str(ROOT / "bench" / f".media-{args.dataset}")))
    source_env = _env(DATABASE_URL=f"{SERVER}/{source_db}", MEDIA_ROOT=str(media))
    files = args.files if args.files is not None else (200 if args.dataset == "demo" else 2000)
    fresh = args.dataset == "demo" or not _exists(source_db)
    if fresh:
        _recreate(source_db)
        shutil.rmtree(media, ignore_errors=True)
        _manage("migrate", "--noinput", env=source_env)
        started = time.perf_counter()
        if args.dataset == "demo":
            _manage("seed_demo", "--force", env=source_env)
        else:
            subprocess.run(
                [sys.executable, "-c", SEED_100X],
                cwd=ROOT,
                check=True,
                env={
                    **source_env,
                    "BENCH_PROJECTS": str(args.projects),
                    "DJANGO_SETTINGS_MODULE": "sms_tracker.settings",
                },
            )
        subprocess.run(
            [sys.executable, "-c", SEED_FILES],
            cwd=ROOT,
            check=True,
            env={
                **source_env,
                "BENCH_FILES": str(files),
                "BENCH_FILE_BYTES": str(args.file_bytes),
                "DJANGO_SETTINGS_MODULE": "sms_tracker.settings",
            },
        )
        print(f"Data set {args.dataset} ready in {time.perf_counter() - started:.0f} s", flush=True)
    try:
        started = time.perf_counter()
        done = _manage("backup", str(work / "backup"), env=source_env)
        backup_s = time.perf_counter() - started
        print(done.stdout.strip(), flush=True)
        manifest = json.loads((work / "backup" / "manifest.json").read_text())

        _recreate(target_db)
        target_env = _env(DATABASE_URL=f"{SERVER}/{target_db}", MEDIA_ROOT=str(work / "restored-media"))
        _manage("migrate", "--noinput", env=target_env)
        started = time.perf_counter()
        done = _manage("restore", str(work / "backup"), env=target_env)
        restore_s = time.perf_counter() - started
        print(done.stdout.strip(), flush=True)
        dump_bytes = (work / "backup" / "database.jsonl.gz").stat().st_size
        result = {
            "rows": manifest["totals"]["rows"],
            "tables": len(manifest["tables"]),
            "files": manifest["totals"]["files"],
            "file_bytes": manifest["totals"]["file_bytes"],
            "dump_bytes_gzip": dump_bytes,
            "backup_seconds": round(backup_s, 1),
            "restore_seconds": round(restore_s, 1),
            "note": "wall time of the management commands, Django start-up (about 1-3 s) included",
        }
        print(json.dumps(result, indent=2))
        _record(f"backup-{args.dataset}", result)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target_db}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    storage = sub.add_parser("storage")
    storage.add_argument("--rounds", type=int, default=3)
    backup = sub.add_parser("backup")
    backup.add_argument("--dataset", choices=["demo", "100x"], default="demo")
    backup.add_argument("--projects", type=int, default=50)
    backup.add_argument("--files", type=int, default=None, help="stored files to add (200 demo, 2000 100x)")
    backup.add_argument("--file-bytes", type=int, default=50 * 1024)
    args = parser.parse_args()
    {"storage": bench_storage, "backup": bench_backup}[args.command](args)


if __name__ == "__main__":
    main()
