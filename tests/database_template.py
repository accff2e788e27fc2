"""One migrated PostgreSQL template database per DATABASE_URL, cloned for every xdist worker.

Migrating a fresh test database takes each worker half a minute; `CREATE DATABASE … TEMPLATE` copies
a migrated one in about a second (Zulip's test runner does the same). The template is
`test_<name>_template`; its comment holds a hash of every installed app's migrations directory (and
the Django version), so it is rebuilt when a migration or its data is added or changed and reused
otherwise, across runs. The first worker to take the lock builds it; the others wait for the lock and clone.
"""

import fcntl
import hashlib
import importlib
import tempfile
from contextlib import contextmanager
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from gapanalysis.content_translations import translation_files

COMMENT_PREFIX = "sms-tracker test template, migrations "


def usable() -> bool:
    """Cloning is PostgreSQL's; SQLite (an in-memory test database) keeps Django's own set-up."""
    return connection.vendor == "postgresql"


def migration_directories() -> list[tuple[str, Path]]:
    """(app label, directory) of every installed app's migrations package."""
    found = []
    for app in sorted(apps.get_app_configs(), key=lambda config: config.label):
        module_name, _ = MigrationLoader.migrations_module(app.label)
        if module_name is None:
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # an app without migrations
        found += [(app.label, Path(directory)) for directory in getattr(module, "__path__", [])]
    return found


def migrations_fingerprint(directories=None) -> str:
    """A hash of what `migrate` would build: the names and contents of the files in the migrations
    directories (the migrations and the data frozen beside them, such as the checklist JSON), and
    Django's version (its post-migrate content types and permissions)."""
    digest = hashlib.sha256(django.get_version().encode())
    for label, directory in migration_directories() if directories is None else directories:
        digest.update(label.encode())
        for path in sorted(p for p in directory.iterdir() if p.is_file() and p.suffix != ".pyc"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    # post_migrate loads the checklist's translations into its rows (gapanalysis/content_translations.py)
    for path, _language in translation_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def template_name_for(database_name: str) -> str:
    """The template beside the test databases of DATABASE_URL's database `database_name`."""
    return f"test_{database_name}_template"


@contextmanager
def template_lock():
    """One lock per database server and name, shared by every process (xdist workers, parallel runs)."""
    db = connection.settings_dict
    key = hashlib.sha256(f"{db['HOST']}:{db['PORT']}/{db['NAME']}".encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"sms-tracker-test-template-{key}.lock"
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _template_comment(cursor, name: str) -> str | None:
    cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
    row = cursor.fetchone()
    return row[0] if row else None


def _build_template(name: str, fingerprint: str, verbosity: int) -> None:
    """Migrate a new template database through Django's own test-database creation, then label it."""
    test_settings = connection.settings_dict["TEST"]
    saved_test_name, saved_name = test_settings.get("NAME"), connection.settings_dict["NAME"]
    test_settings["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
    finally:
        connection.close()  # no session may stay on a template that is to be copied
        test_settings["NAME"] = saved_test_name
        connection.settings_dict["NAME"] = saved_name
        settings.DATABASES[connection.alias]["NAME"] = saved_name
    with connection.creation._nodb_cursor() as cursor:
        quoted = connection.ops.quote_name(name)
        cursor.execute(f"COMMENT ON DATABASE {quoted} IS %s", [COMMENT_PREFIX + fingerprint])


def create_worker_database(verbosity: int = 0) -> str:
    """The test database of this process (test_<name>_gwN), cloned from an up-to-date template.

    Returns the database's original name for `destroy_test_db` at the end of the session."""
    old_name = connection.settings_dict["NAME"]
    worker_name = connection.creation._get_test_db_name()
    name = template_name_for(old_name)
    fingerprint = migrations_fingerprint()
    connection.close()
    with template_lock():
        with connection.creation._nodb_cursor() as cursor:
            current = _template_comment(cursor, name)
        if current != COMMENT_PREFIX + fingerprint:
            if verbosity >= 1:
                print(f"Building the test template database {name} (migrations changed or none yet)")
            _build_template(name, fingerprint, verbosity)
        worker, template = connection.ops.quote_name(worker_name), connection.ops.quote_name(name)
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {worker}")
            cursor.execute(f"CREATE DATABASE {worker} TEMPLATE {template}")
    settings.DATABASES[connection.alias]["NAME"] = worker_name
    connection.settings_dict["NAME"] = worker_name
    connection.close()
    return old_name
