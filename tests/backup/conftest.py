"""A fresh, migrated, empty PostgreSQL database and a fresh bucket or directory to restore into, and
a comparison of two installations row by row and file by file (issue 22 §5)."""

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import connection, connections

from tests.storage.s3server import storage_setting_from

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def _server_dsn(dbname: str) -> str:
    params = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=dbname,
        host=params["HOST"] or "127.0.0.1",
        port=str(params["PORT"] or 5432),
        user=params["USER"] or "postgres",
        password=params["PASSWORD"] or None,
    )


def _admin(sql: str) -> None:
    with psycopg.connect(_server_dsn("postgres"), autocommit=True) as admin:
        admin.execute(sql)


@pytest.fixture(scope="session")
def empty_template(django_db_setup, django_db_blocker):
    """A copy of the freshly migrated test database (no users, no projects), taken once per process:
    each restore target is created from it in a fraction of a second instead of migrating anew."""
    if connection.vendor != "postgresql":
        pytest.fail("The restore drill needs PostgreSQL (DATABASE_URL)")
    with django_db_blocker.unblock():
        source = connection.settings_dict["NAME"]
        name = f"{source}_restore_template"[:63]
        connections.close_all()
        _admin(f'DROP DATABASE IF EXISTS "{name}"')
        for attempt in range(20):  # a connection closed a moment ago may still be leaving the server
            try:
                _admin(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 19:
                    raise
                time.sleep(0.25)
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Target:
    """Where a restore goes: its own database and its own storage (a bucket or a directory)."""

    database: str
    storage_env: dict
    storage_setting: dict

    @property
    def url(self) -> str:
        params = connection.settings_dict
        auth = quote(params["USER"] or "postgres", safe="")
        if params["PASSWORD"]:
            auth += ":" + quote(params["PASSWORD"], safe="")
        return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{self.database}"

    def dsn(self) -> str:
        return _server_dsn(self.database)

    def storage(self):
        return storages.create_storage(self.storage_setting)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(self.storage_env, DATABASE_URL=self.url, SMS_TRACKER_TESTING="1")
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            cwd=ROOT,
        )


@pytest.fixture
def target(empty_template, media, tmp_path, request):
    """A new database from the template, and a new bucket (when the test stores on S3) or directory."""
    name = f"{empty_template[:40]}_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{empty_template}"')
    default = settings.STORAGES["default"]
    if default["BACKEND"].startswith("storages.backends.s3"):
        server = request.getfixturevalue("s3_server")
        bucket = server.new_bucket("sms-restore")
        env = server.environment(bucket)
        request.addfinalizer(lambda: server.drop_bucket(bucket))
        setting = storage_setting_from(env)
        env["MEDIA_ROOT"] = str(tmp_path / "unused-media")
    else:
        root = tmp_path / "restored-media"
        env = {"MEDIA_ROOT": str(root)}
        setting = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}}
    yield Target(database=name, storage_env=env, storage_setting=setting)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- What an installation holds ---------------------------------------------------------------------


def table_rows(cursor) -> dict[str, list[str]]:
    """Every row of every table in the public schema as PostgreSQL's own text of the row, sorted:
    two equal results mean equal values in every column (timestamps to the microsecond)."""
    cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    names = [row[0] for row in cursor.fetchall()]
    found = {}
    for name in names:
        if name == "django_migrations":  # applied-at times are the target's own; the names are compared
            cursor.execute("SELECT app || '.' || name FROM django_migrations ORDER BY 1")
        else:
            cursor.execute(f'SELECT t::text FROM "{name}" AS t ORDER BY 1')
        found[name] = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")
    found["(sequences)"] = [f"{name}={value}" for name, value in cursor.fetchall()]
    return found


def source_rows() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        return table_rows(cursor)


def target_rows(target: Target) -> dict[str, list[str]]:
    with psycopg.connect(target.dsn()) as conn, conn.cursor() as cursor:
        return table_rows(cursor)


def stored_files(storage) -> dict[str, bytes]:
    from kernel.filestore import walk

    try:
        names = walk(storage)
    except FileNotFoundError:
        return {}
    found = {}
    for name in names:
        with storage.open(name, "rb") as handle:
            found[name] = handle.read()
    return found


def differences(before: dict, after: dict) -> list[str]:
    found = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            found.append(key)
    return found


# --- A populated installation ---------------------------------------------------------------------


def populate_demo():
    """The demo project of `seed_demo` with a stored file of every kind, a row deleted after it was
    made (the sequences run ahead of the largest id) and text outside ASCII."""
    from documents.models import DocumentVersion, EvidenceEntry, OperatingProcess
    from gapanalysis.models import Evidence, Response
    from projects.attachments import attachment_add
    from projects.models import Task
    from tests.browser.demo import seed_demo
    from tests.factories import make_report, make_task, pdf_upload

    project = seed_demo()
    version = DocumentVersion.objects.filter(document__project=project).order_by("pk").first()
    version.file.save("policy.pdf", ContentFile(PDF), save=False)
    DocumentVersion.objects.filter(pk=version.pk).update(file=version.file.name)
    response = Response.objects.filter(assessment__project=project).order_by("pk").first()
    evidence = Evidence(response=response, filename="screen.png", content_type="image/png", size=len(PNG))
    evidence.file.save("screen.png", ContentFile(PNG), save=True)
    process = OperatingProcess.objects.filter(project=project).order_by("pk").first()
    entry = EvidenceEntry(project=project, process=process, on=date(2026, 1, 31), summary="Janvier — été")
    entry.file.save("january.pdf", ContentFile(PDF + b"january"), save=True)
    lead = project.memberships.filter(role="lead").first().user
    task = make_task(project, title="Prüfung der Lieferanten")
    attachment_add(task=task, user=lead, upload=pdf_upload("plan.pdf", PDF + b"plan"))
    make_report(project, user=lead)
    make_task(project, title="removed again").delete()
    assert Task.objects.filter(title="removed again").count() == 0
    default_storage.save("orphans/left-behind.txt", ContentFile(b"a file no row names"))
    return project
