"""A damaged, changed, truncated, foreign or too new archive is refused with a clear message, and
nothing of it stays behind: no row in any table, no file in storage."""

import hashlib
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from transfer import importer
from transfer.archive import ArchiveRefused

pytestmark = pytest.mark.django_db


def every_count() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models(include_auto_created=True)}


def stored_files(media) -> set:
    return {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()


def refused(archive: bytes, media, match: str):
    before, files = every_count(), stored_files(media)
    lead = get_user_model().objects.get(username="lead")
    with pytest.raises(ArchiveRefused, match=match) as caught:
        importer.import_archive(io.BytesIO(archive), lead=lead)
    assert every_count() == before
    assert stored_files(media) == files
    return str(caught.value)


def members(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rebuild(contents: dict[str, bytes], *, manifest_change=None, fix_checksums=True) -> bytes:
    """An archive with `contents`; with fix_checksums the manifest is made to match them (what a
    deliberate editor would do), so the checks behind the checksums are tested too."""
    manifest = json.loads(contents.pop("manifest.json"))
    if fix_checksums:
        manifest["members"] = [
            {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in contents.items()
        ]
    if manifest_change:
        manifest_change(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest))
    return buffer.getvalue()


def test_a_changed_byte_in_a_file_is_refused(demo_archive, media):
    contents = members(demo_archive)
    name = next(n for n in contents if n.startswith("files/"))
    contents[name] = bytes([contents[name][0] ^ 1]) + contents[name][1:]
    message = refused(rebuild(contents, fix_checksums=False), media, "does not match its checksum")
    assert name in message


def test_a_changed_byte_in_the_data_is_refused(demo_archive, media):
    contents = members(demo_archive)
    contents["data.json"] = contents["data.json"].replace(b"Acme", b"Acmf", 1)
    refused(rebuild(contents, fix_checksums=False), media, "data.json does not match its checksum")


def test_a_byte_flipped_inside_the_zip_is_refused(demo_archive, media):
    damaged = bytearray(demo_archive)
    damaged[len(damaged) // 2] ^= 0xFF
    refused(bytes(damaged), media, "checksum|damaged|cannot be read")


@pytest.mark.parametrize("keep", [0.5, 0.99])
def test_a_truncated_archive_is_refused(demo_archive, media, keep):
    refused(demo_archive[: int(len(demo_archive) * keep)], media, "truncated")


def test_a_missing_member_is_refused(demo_archive, media):
    contents = members(demo_archive)
    name = next(n for n in contents if n.startswith("files/"))
    del contents[name]
    refused(rebuild(contents, fix_checksums=False), media, "missing .*" + name)


def test_another_format_version_is_refused(demo_archive, media):
    def newer(manifest):
        manifest["format_version"] = 2

    message = refused(rebuild(members(demo_archive), manifest_change=newer), media, "format version 2")
    assert "reads version 1" in message


def test_a_newer_database_schema_is_refused(demo_archive, media):
    def newer(manifest):
        manifest["schema"]["projects"].append("9999_from_the_future")

    refused(
        rebuild(members(demo_archive), manifest_change=newer), media, "newer version.*9999_from_the_future"
    )


def test_a_zip_that_is_no_project_archive_is_refused(media, demo):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("notes.txt", "hello")
    refused(buffer.getvalue(), media, "no manifest")
    refused(b"plain text, not a zip", media, "not a project archive")


def test_unknown_shared_content_is_refused_by_name(demo_archive, media):
    contents = members(demo_archive)
    data = json.loads(contents["data.json"])
    questions = data["globals"]["gapanalysis.question"]
    first = next(iter(questions))
    questions[first][2] = "GA-99.9-01"
    contents["data.json"] = json.dumps(data).encode()
    message = refused(rebuild(contents), media, "shared content this installation does not have")
    assert "question GA-99.9-01 of checklist iso20000-1-2018" in message


def test_a_file_refused_by_the_upload_checks_removes_the_files_already_stored(demo_archive, media):
    """The content checks of every upload apply; files stored before the refusal are deleted."""
    contents = members(demo_archive)
    files = [n for n in contents if n.startswith("files/")]
    assert len(files) >= 2
    last = files[-1]
    contents[last.rsplit(".", 1)[0] + ".txt"] = b"<html><script>alert(1)</script></html>"
    del contents[last]
    data = contents["data.json"].decode().replace(f'"{last}"', f'"{last.rsplit(".", 1)[0]}.txt"')
    contents["data.json"] = data.encode()
    refused(rebuild(contents), media, "not a real .txt file")


def test_rows_that_break_a_constraint_are_refused_whole(demo_archive, media):
    """Two documents of the archive with the same code, which the database refuses. Nothing stays."""
    contents = members(demo_archive)
    data = json.loads(contents["data.json"])
    documents = next(t for t in data["models"] if t["model"] == "documents.document")
    code = documents["fields"].index("code")
    documents["rows"][1][code] = documents["rows"][0][code]
    contents["data.json"] = json.dumps(data).encode()
    refused(rebuild(contents), media, "cannot be imported")


def test_data_naming_a_file_the_archive_lacks_is_refused(demo_archive, media):
    contents = members(demo_archive)
    name = next(n for n in contents if n.startswith("files/"))
    contents["data.json"] = contents["data.json"].replace(name.encode(), b"files/elsewhere/x.pdf")
    refused(rebuild(contents), media, "does not hold")


def test_malformed_rows_are_refused(demo_archive, media):
    contents = members(demo_archive)
    data = json.loads(contents["data.json"])
    tasks = next(t for t in data["models"] if t["model"] == "projects.task")
    tasks["rows"][0] = tasks["rows"][0][:-1]  # one value short
    contents["data.json"] = json.dumps(data).encode()
    refused(rebuild(contents), media, "malformed")
