"""Benchmark: peak memory of a project import against the size of its data.json (issue 19 defect 2).

Not a test. A small project is exported, then its archive is grown to a data.json of 1 MB, 10 MB,
100 MB and 1 GB: activity rows are added (the manifest declares them honestly) and each row is
followed by blank space, as much as the import's bounds allow per declared row. Each archive is
imported in a subprocess of its own by the worker-side service (transfer.importer.import_archive,
inside a transaction that is rolled back), which reports its peak RSS (getrusage) before and after.

    DATABASE_URL=postgres://... .venv/bin/python bench/import_memory.py [--sizes 1,10,100,1000]

Writes bench/results/import-memory.json; the table is in docs/operations-guide.md ("Moving a project").
"""

import argparse
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
PADDING = 24 * 1024  # blank space after each added row: under PROJECT_IMPORT_MAX_BYTES_PER_ROW (32 KB)


def pad_archive(base: bytes, target_bytes: int, out: Path, *, padding: int = PADDING) -> dict:
    """Write to `out` the archive `base` with activity rows added, each followed by `padding` bytes of
    blank space, until data.json reaches about `target_bytes`; its manifest declares every row."""
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    data = json.loads(members.pop("data.json"))
    activity = next(t for t in data["models"] if t["model"] == "projects.activity")
    template = list(activity["rows"][0])
    pk, url = activity["fields"].index("id"), activity["fields"].index("url")
    template[url] = ""
    extra = max(0, (target_bytes - len(json.dumps(data))) // (padding + len(json.dumps(template)) + 1))
    first = max((row[pk] for row in activity["rows"]), default=0) + 1
    blank = b" " * padding

    def pieces():
        yield b'{"project":' + json.dumps(data["project"]).encode() + b',"models":['
        for index, table in enumerate(data["models"]):
            yield (b"," if index else b"") + json.dumps(
                {"model": table["model"], "fields": table["fields"]}
            ).encode()[:-1]
            yield b',"rows":['
            rows = [json.dumps(row).encode() for row in table["rows"]]
            yield b",".join(rows)
            if table is activity:
                for n in range(extra):
                    template[pk] = first + n
                    yield (b"," if rows or n else b"") + json.dumps(template).encode() + blank
            yield b"]}"
        yield b'],"users":' + json.dumps(data["users"]).encode()
        yield b',"globals":' + json.dumps(data["globals"]).encode() + b"}"

    digest, size = hashlib.sha256(), 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        with zf.open("data.json", "w", force_zip64=True) as member:
            for piece in pieces():
                member.write(piece)
                digest.update(piece)
                size += len(piece)
        for name, content in members.items():
            zf.writestr(name, content)
        manifest["counts"]["projects.activity"] = len(activity["rows"]) + extra
        manifest["members"] = [m for m in manifest["members"] if m["path"] != "data.json"] + [
            {"path": "data.json", "sha256": digest.hexdigest(), "size": size}
        ]
        zf.writestr("manifest.json", json.dumps(manifest))
    return {"data_bytes": size, "rows": sum(manifest["counts"].values()), "zip_bytes": out.stat().st_size}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


class Sampler(threading.Thread):
    """The largest resident size seen while the import runs (every 20 ms, from /proc)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.highest, self.stopped = rss_mb(), threading.Event()

    def run(self):
        while not self.stopped.wait(0.02):
            self.highest = max(self.highest, rss_mb())


def child(path: str) -> None:
    """In its own process: import the archive with the worker's service, rolled back; print JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tracker.settings")
    os.environ.setdefault("SMS_TRACKER_TESTING", "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from transfer import importer

    class Rollback(Exception):
        pass

    before, start = peak_rss_mb(), rss_mb()
    sampler = Sampler()
    sampler.start()
    started = time.perf_counter()
    outcome = {}
    try:
        with transaction.atomic():
            lead = get_user_model().objects.create(
                username="bench-import-lead", email="bench@example.invalid"
            )
            with open(path, "rb") as source:
                result = importer.import_archive(source, lead=lead)
            outcome["imported"] = result.project.pk is not None
            raise Rollback
    except Rollback:
        pass
    except importer.ArchiveRefused as refusal:
        outcome["refused"] = str(refusal)
    seconds = time.perf_counter() - started
    sampler.stopped.set()
    sampler.join()
    print(
        json.dumps(
            {
                **outcome,
                "peak_rss_before_mb": round(before, 1),  # getrusage: the largest since the process began
                "peak_rss_mb": round(peak_rss_mb(), 1),
                "rss_start_mb": round(start, 1),  # resident when the import began
                "rss_highest_mb": round(max(sampler.highest, rss_mb()), 1),  # and at most while it ran
                "seconds": round(seconds, 1),
            }
        )
    )


def measure(path: Path, env: dict | None = None) -> dict:
    """Run child() on the archive in a fresh Python process; its JSON answer."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the import process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def base_archive() -> bytes:
    """The archive of a small project made through the services (in a transaction rolled back)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tracker.settings")
    os.environ.setdefault("SMS_TRACKER_TESTING", "1")
    import django

    django.setup()
    from django.db import transaction

    from tests.factories import UserFactory, make_project
    from transfer import exporter

    buffer = io.BytesIO()
    with transaction.atomic():
        project = make_project(lead=UserFactory(username="bench-export-lead"), name="Bench project")
        exporter.write(project, buffer)
        transaction.set_rollback(True)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child")
    parser.add_argument("--sizes", default="1,10,100,1000", help="data.json sizes in MB")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "import-memory.json"))
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    base = base_archive()
    results = []
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"padded-{size}.zip"
            made = pad_archive(base, size * MB, path)
            measured = measure(path)
            row = {"target_mb": size, **made, **measured}
            results.append(row)
            print(
                f"data.json {made['data_bytes'] / MB:8.1f} MB  zip {made['zip_bytes'] / MB:6.1f} MB  "
                f"rows {made['rows']:7d}  peak RSS {measured['peak_rss_mb']:6.1f} MB  "
                f"RSS {measured['rss_start_mb']:.1f} -> at most {measured['rss_highest_mb']:.1f} MB  "
                f"{measured['seconds']:6.1f} s"
                + (f"  REFUSED: {measured['refused']}" if "refused" in measured else "")
            )
            path.unlink()
    peaks = [r["peak_rss_mb"] for r in results]
    highest = [r["rss_highest_mb"] for r in results]
    summary = {
        "results": results,
        "peak_spread_mb": round(max(peaks) - min(peaks), 1),
        "rss_highest_spread_mb": round(max(highest) - min(highest), 1),
    }
    Path(args.out).write_text(json.dumps(summary, indent=2) + "\n")
    print(
        f"peak RSS spread {summary['peak_spread_mb']} MB, highest RSS during the import spread "
        f"{summary['rss_highest_spread_mb']} MB; written to {args.out}"
    )


if __name__ == "__main__":
    main()
