"""Issue 20 §4: each worker's test database is a copy of one migrated template, rebuilt when the
migrations change (tests/database_template.py), instead of a migration of its own."""

import os

import environ
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import database_template
from tests.conftest import service_missing

pytestmark = pytest.mark.django_db


def _need_postgresql():
    if not database_template.usable():
        service_missing("the template database is PostgreSQL's (DATABASE_URL)")


def test_the_template_is_labelled_with_the_migrations_it_was_built_from():
    _need_postgresql()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [
                database_template.template_name_for(
                    environ.Env.db_url_config(os.environ["DATABASE_URL"])["NAME"]
                )
            ],
        )
        (comment,) = cursor.fetchone()
    assert comment == database_template.COMMENT_PREFIX + database_template.migrations_fingerprint()


def test_this_database_is_a_clone_with_every_migration_applied():
    _need_postgresql()
    assert connection.settings_dict["NAME"].startswith("test_")
    assert not connection.settings_dict["NAME"].endswith("_template")
    executor = MigrationExecutor(connection)
    assert executor.loader.applied_migrations  # migrated, not an empty copy
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_a_changed_added_or_renamed_migration_or_its_data_changes_the_fingerprint(tmp_path):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_initial.py").write_text("operations = []\n")
    directories = [("app", migrations)]
    first = database_template.migrations_fingerprint(directories)
    assert database_template.migrations_fingerprint(directories) == first

    (migrations / "0001_initial.py").write_text("operations = [1]\n")
    changed = database_template.migrations_fingerprint(directories)
    (migrations / "0002_more.py").write_text("operations = []\n")
    added = database_template.migrations_fingerprint(directories)
    (migrations / "0002_more.py").rename(migrations / "0002_other.py")
    renamed = database_template.migrations_fingerprint(directories)
    (migrations / "0002_other.json").write_text('{"rows": []}')  # data a migration loads
    with_data = database_template.migrations_fingerprint(directories)
    (migrations / "0002_other.json").write_text('{"rows": [1]}')
    changed_data = database_template.migrations_fingerprint(directories)
    assert len({first, changed, added, renamed, with_data, changed_data}) == 6
