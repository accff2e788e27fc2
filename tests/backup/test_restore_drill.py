"""The restore drill (issue 22 §5): a populated installation is backed up with `manage.py backup`,
restored with `manage.py restore` into a new database and a new bucket or directory, and compared
with the original: every row of every table, the sequences and every file byte for byte."""

import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from tests.backup.conftest import (
    differences,
    populate_demo,
    source_rows,
    stored_files,
    target_rows,
)

# On local disk and on the S3 server: the drill runs in CI on every run.
pytestmark = [pytest.mark.django_db, pytest.mark.storages]


def test_a_restored_installation_equals_the_original_row_for_row_and_byte_for_byte(
    media, target, tmp_path
):
    populate_demo()
    before_rows, before_files = source_rows(), stored_files(default_storage)
    assert len(before_files) >= 6 and sum(len(rows) for rows in before_rows.values()) > 500
    assert target_rows(target)["auth_user"] == [] and stored_files(target.storage()) == {}
    assert "auth_user" in differences(before_rows, target_rows(target))  # the comparison sees rows

    path = tmp_path / "backup"
    call_command("backup", str(path), stdout=open(tmp_path / "backup.log", "w"))
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["totals"]["files"] == len(before_files) and len(manifest["database"]["sha256"]) == 64

    restored = target.run("restore", str(path))
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout

    after_rows, after_files = target_rows(target), stored_files(target.storage())
    assert differences(before_rows, after_rows) == []
    assert after_files == before_files
    # The restored installation works: its next task gets the id the original would have given.
    assert source_rows()["(sequences)"] == after_rows["(sequences)"]

