"""A restore refuses a tampered or partial backup and changes nothing (issue 22 §5): every part is
checked against the manifest before the database or the storage is touched, and a failure while
loading rolls the rows back and removes the files already written."""

import gzip
import hashlib
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from backup.manifest import BackupRefused, load_and_verify
from projects.attachments import attachment_add
from tests.backup.conftest import differences, source_rows, stored_files, target_rows
from tests.factories import make_task, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def backup(world, media, tmp_path):
    """A small installation (the permission world, two stored files) and its backup."""
    task = make_task(world.project, title="Évaluer les fournisseurs")
    attachment_add(task=task, user=world.user("lead"), upload=pdf_upload("plan.pdf"))
    attachment_add(task=task, user=world.user("lead"), upload=pdf_upload("notes.pdf"))
    path = tmp_path / "backup"
    call_command("backup", str(path), stdout=open(tmp_path / "backup.log", "w"))
    return path


def _manifest(path):
    return json.loads((path / "manifest.json").read_text())


def _rewrite_manifest(path, manifest):
    (path / "manifest.json").write_text(json.dumps(manifest))


def _first_file(path):
    return path / _manifest(path)["files"][0]["path"]


def change_a_byte(path):
    stored = _first_file(path)
    content = bytearray(stored.read_bytes())
    content[len(content) // 2] ^= 0x01
    stored.write_bytes(bytes(content))
    return "does not match its sha256 checksum"


def remove_a_file(path):
    _first_file(path).unlink()
    return "is missing: the backup is partial"


def truncate_the_dump(path):
    dump = path / "database.jsonl.gz"
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    return "truncated or was changed"


def drop_a_row_and_forge_the_checksum(path):
    """A forgery the checksums cannot see (the manifest rewritten to match): the load itself finds
    the rows missing, inside the transaction."""
    dump = path / "database.jsonl.gz"
    lines = gzip.decompress(dump.read_bytes()).splitlines(keepends=True)
    task_header = next(i for i, line in enumerate(lines) if line.startswith(b'{"model":"projects.task"'))
    del lines[task_header + 1]
    dump.write_bytes(gzip.compress(b"".join(lines)))
    manifest = _manifest(path)
    manifest["database"].update(
        sha256=hashlib.sha256(dump.read_bytes()).hexdigest(), size=dump.stat().st_size
    )
    _rewrite_manifest(path, manifest)
    return "rows do not match the manifest"


def fail_after_writing_a_file(path):
    """The second write of the same name fails after the first file reached the storage: that file is
    removed again and the rows are rolled back."""
    manifest = _manifest(path)
    manifest["files"].append(dict(manifest["files"][0]))
    _rewrite_manifest(path, manifest)
    return "The storage stored"


CASES = [
    *[("disk", tamper) for tamper in (change_a_byte, remove_a_file, truncate_the_dump)],
    *[("disk", tamper) for tamper in (drop_a_row_and_forge_the_checksum, fail_after_writing_a_file)],
    # On S3 the cases that reach the storage: a changed object, and a file written then removed.
    ("s3", change_a_byte),
    ("s3", fail_after_writing_a_file),
]


@pytest.mark.parametrize(("media", "tamper"), CASES, indirect=["media"])
def test_a_tampered_or_partial_backup_is_refused_and_nothing_changes(backup, target, tamper, media):
    message = tamper(backup)
    rows_before = target_rows(target)

    result = target.run("restore", str(backup))

    assert result.returncode != 0
    assert "Nothing was restored" in result.stderr and message in result.stderr
    assert differences(rows_before, target_rows(target)) == []
    assert target_rows(target)["auth_user"] == []
    assert stored_files(target.storage()) == {}


def test_a_backup_without_its_manifest_or_with_a_file_added_is_refused(backup):
    (backup / "files" / "added.txt").write_bytes(b"slipped in later")
    with pytest.raises(BackupRefused, match="files/added.txt is in the backup but not in its manifest"):
        load_and_verify(backup)
    (backup / "manifest.json").unlink()
    with pytest.raises(BackupRefused, match="has no manifest.json: the backup is partial"):
        load_and_verify(backup)


def test_a_file_name_leading_outside_the_backup_is_refused(backup):
    manifest = _manifest(backup)
    manifest["files"][0].update(name="../../etc/passwd", path="files/../../etc/passwd")
    _rewrite_manifest(backup, manifest)
    with pytest.raises(BackupRefused, match="outside the backup"):
        load_and_verify(backup)


def test_restore_refuses_an_installation_that_is_not_empty(backup):
    before_rows, before_files = source_rows(), stored_files(default_storage)
    with pytest.raises(CommandError, match="Nothing was restored: The database is not empty"):
        call_command("restore", str(backup))
    assert differences(before_rows, source_rows()) == [] and stored_files(default_storage) == before_files


def test_backup_refuses_a_directory_that_is_not_empty(backup, tmp_path):
    with pytest.raises(CommandError, match="not an empty directory"):
        call_command("backup", str(backup))
