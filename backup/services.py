"""Write a backup of the whole installation and restore one into an empty installation."""

import gzip
import hashlib
import importlib.metadata
import json
import shutil
from pathlib import Path

import django
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from kernel import relabel
from kernel.filestore import walk

from . import rows, sequences
from .manifest import (
    CHUNK,
    DATABASE,
    FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupRefused,
    load_and_verify,
    safe_name,
)


def _stored_names(storage) -> list[str]:
    try:
        return walk(storage)
    except FileNotFoundError:  # MEDIA_ROOT not made yet: nothing stored
        return []


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _app_version() -> str:
    try:
        return importlib.metadata.version("sms-tracker")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class _Hashing:
    def __init__(self, target):
        self.target, self.sha256, self.size = target, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.target.write(data)

    def flush(self):
        self.target.flush()


def _dump_database(target: Path, using: str) -> tuple[dict, dict, dict]:
    """Every table in one consistent snapshot; returns (part, tables, sequences)."""
    connection = connections[using]
    tables = {}
    outer = connection.in_atomic_block  # inside a caller's transaction, that is the snapshot
    with open(target, "wb") as raw, transaction.atomic(using=using):
        if connection.vendor == "postgresql" and not outer:  # one snapshot of every table
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        hashing = _Hashing(raw)
        with gzip.GzipFile(fileobj=hashing, mode="wb", mtime=0, compresslevel=6) as out:
            for model in rows.models_to_copy():
                label = model._meta.label_lower
                header = {"model": label, "columns": [f.attname for f in rows.columns(model)]}
                out.write(json.dumps(header, separators=(",", ":")).encode() + b"\n")
                count = 0
                for row in rows.read_rows(model):
                    out.write(json.dumps(row, separators=(",", ":")).encode() + b"\n")
                    count += 1
                tables[label] = {"table": model._meta.db_table, "rows": count}
        saved_sequences = sequences.read()
    part = {"path": DATABASE, "sha256": hashing.sha256.hexdigest(), "size": hashing.size}
    return part, tables, saved_sequences


def _copy_files(root: Path, storage) -> list[dict]:
    entries = []
    for name in _stored_names(storage):
        if not safe_name(name):
            raise BackupRefused(f"The stored file name {name!r} cannot be kept in a backup.")
        target = root / FILES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        try:
            with storage.open(name, "rb") as source, open(target, "wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        except FileNotFoundError:  # removed while the backup ran: its row is gone too, or will be
            target.unlink(missing_ok=True)
            continue
        entries.append({"name": name, "path": f"{FILES}/{name}", "sha256": digest.hexdigest(), "size": size})
    return entries


def backup(path, *, storage=None, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the backup into `path` (a new or empty directory); the manifest comes last, so an
    interrupted backup has none and is refused by restore."""
    storage = storage or default_storage
    root = Path(path)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise BackupRefused(f"{root} exists and is not an empty directory; choose a new path.")
    root.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    database, tables, saved_sequences = _dump_database(root / DATABASE, using)
    files = _copy_files(root, storage)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": started.isoformat(),
        "app_version": _app_version(),
        "django_version": django.get_version(),
        "database_vendor": connections[using].vendor,
        "migrations": _applied_migrations(using),
        "database": database,
        "tables": tables,
        "sequences": saved_sequences,
        "files": files,
        "totals": {
            "rows": sum(t["rows"] for t in tables.values()),
            "files": len(files),
            "file_bytes": sum(f["size"] for f in files),
        },
    }
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def _same_migrations(ours: list, theirs: list) -> bool:
    """The same migrations, or the backup's lack only those that moved tables between apps (it was
    made before them; its rows are read under the new labels)."""
    if ours == theirs:
        return True
    made_before_move = not {tuple(m) for m in theirs} & relabel.MOVE_MIGRATIONS
    return made_before_move and [m for m in ours if tuple(m) not in relabel.MOVE_MIGRATIONS] == theirs


def _check_target(manifest: dict, storage, using: str) -> None:
    if not _same_migrations(_applied_migrations(using), manifest["migrations"]):
        raise BackupRefused(
            "The database's migrations differ from the backup's: run `manage.py migrate` with the "
            f"version that made the backup ({manifest['app_version']}) on an empty database first."
        )
    from projects.models import Project

    if get_user_model().objects.using(using).exists() or Project.objects.using(using).exists():
        raise BackupRefused(
            "The database is not empty (it has users or projects): restore only into a new one."
        )
    if _stored_names(storage):
        raise BackupRefused("The file storage is not empty: restore only into a new bucket or directory.")


def _load_rows(checked, using: str) -> dict:
    by_label = {model._meta.label_lower: model for model in rows.models_to_copy()}
    counts = {}
    model, batch = None, []

    def flush():
        if batch:
            rows.insert_rows(model, batch, using)
            batch.clear()

    with gzip.open(checked.database, "rb") as source:
        for line in source:
            value = json.loads(line)
            if isinstance(value, dict):
                flush()
                value["model"] = relabel.current_label(value["model"])  # made before a move
                model = by_label.get(value["model"])
                if model is None or value["columns"] != [f.attname for f in rows.columns(model)]:
                    raise BackupRefused(f"The table of {value['model']} differs from this version's.")
                counts[value["model"]] = 0
                size = rows.batch_size(model)
                continue
            if model is ContentType:  # [id, app_label, model]: moved as the migration moved it
                value[1], value[2] = relabel.current_content_type(value[1], value[2])
            batch.append(value)
            counts[model._meta.label_lower] += 1
            if len(batch) >= size:
                flush()
        flush()
    expected = {relabel.current_label(label): t["rows"] for label, t in checked.manifest["tables"].items()}
    if counts != expected:
        raise BackupRefused("The database part's rows do not match the manifest's counts.")
    return counts


def restore(path, *, storage=None, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Restore the backup at `path` into this empty installation. Every part is checked first; the
    rows go in within one transaction, and the files are written inside it, removed again if anything
    fails, so a refused or failed restore leaves the installation as it was."""
    storage = storage or default_storage
    checked = load_and_verify(Path(path))
    manifest = checked.manifest
    _check_target(manifest, storage, using)
    connection = connections[using]
    written = []
    try:
        with transaction.atomic(using=using):
            tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
            connection.ops.execute_sql_flush(connection.ops.sql_flush(_no_style(), tables))
            with connection.constraint_checks_disabled():
                counts = _load_rows(checked, using)
            connection.check_constraints(table_names=tables)
            for entry in manifest["files"]:
                with open(checked.file_path(entry), "rb") as handle:
                    saved = storage.save(entry["name"], File(handle, name=entry["name"]))
                written.append(saved)
                if saved != entry["name"]:
                    raise BackupRefused(f"The storage stored {entry['name']} as {saved}.")
            # Last: PostgreSQL's setval is not undone by a rollback.
            sequences.write(manifest["sequences"], manifest["database_vendor"])
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    from kernel import pagecache

    pagecache.everything_changed()  # every row was replaced: no cached part stands
    return {"rows": sum(counts.values()), "files": len(written)}


def _no_style():
    from django.core.management.color import no_style

    return no_style()


def remove_partial(path) -> None:
    """Remove what an interrupted backup wrote (the command does so when backup() raises)."""
    shutil.rmtree(path, ignore_errors=True)
