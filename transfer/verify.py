"""Reading an archive before anything is imported: it opens, its format version is ours, its members
are exactly those of the manifest, each with the SHA-256 and size the manifest gives, within bounds."""

import hashlib
import json
import zipfile

from django.conf import settings

from . import archive
from .archive import ArchiveRefused


def open_verified(source) -> tuple[zipfile.ZipFile, dict, dict]:
    """(open zip, manifest, data) of an archive whose every member checks out; else ArchiveRefused."""
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise ArchiveRefused(
            "This is not a project archive, or it is truncated: the zip directory cannot be read."
        ) from error
    try:
        manifest = _manifest(zf)
        _check_members(zf, manifest)
        data = _json(zf, archive.DATA)
    except BaseException:
        zf.close()
        raise
    return zf, manifest, data


def _json(zf, name):
    try:
        return json.loads(_read_member(zf, name))
    except (ValueError, UnicodeDecodeError) as error:
        raise ArchiveRefused(f"{name} in the archive is not valid JSON.") from error


def _read_member(zf, name) -> bytes:
    try:
        return zf.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, zipfile.LargeZipFile) as error:
        raise ArchiveRefused(f"{name} in the archive is damaged or missing ({error}).") from error


def _manifest(zf) -> dict:
    if archive.MANIFEST not in zf.namelist():
        raise ArchiveRefused("The archive has no manifest.json: it is not a project archive.")
    if zf.getinfo(archive.MANIFEST).file_size > 64 * 1024 * 1024:
        raise ArchiveRefused("The archive's manifest is too large.")
    manifest = _json(zf, archive.MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != archive.FORMAT:
        raise ArchiveRefused("The archive's manifest is not that of an SMS Tracker project archive.")
    version = manifest.get("format_version")
    if version != archive.FORMAT_VERSION:
        raise ArchiveRefused(
            f"The archive has format version {version}; this installation reads version "
            f"{archive.FORMAT_VERSION} only."
        )
    members = manifest.get("members")
    if not isinstance(members, list) or not all(
        isinstance(m, dict)
        and isinstance(m.get("path"), str)
        and isinstance(m.get("size"), int)
        and isinstance(m.get("sha256"), str)
        for m in members
    ):
        raise ArchiveRefused("The archive's manifest does not list its files properly.")
    return manifest


def _check_members(zf, manifest) -> None:
    listed = {m["path"]: m for m in manifest["members"]}
    present = [info for info in zf.infolist() if info.filename != archive.MANIFEST]
    names = {info.filename for info in present}
    if len(present) > settings.PROJECT_ARCHIVE_MAX_MEMBERS:
        raise ArchiveRefused(
            f"The archive holds {len(present)} files; at most {settings.PROJECT_ARCHIVE_MAX_MEMBERS}."
        )
    if names != set(listed) or len(names) != len(present) or archive.DATA not in names:
        extra, missing = sorted(names - set(listed))[:3], sorted(set(listed) - names)[:3]
        raise ArchiveRefused(
            "The archive's files do not match its manifest"
            + (f"; not listed: {', '.join(extra)}" if extra else "")
            + (f"; missing (truncated?): {', '.join(missing)}" if missing else "")
            + "."
        )
    unpacked = sum(info.file_size for info in present)
    if unpacked > settings.PROJECT_ARCHIVE_MAX_UNPACKED_BYTES:
        raise ArchiveRefused(
            f"The archive unpacks to {unpacked / 1048576:.0f} MB; at most "
            f"{settings.PROJECT_ARCHIVE_MAX_UNPACKED_BYTES / 1048576:.0f} MB is accepted."
        )
    for info in present:
        expected = listed[info.filename]
        if info.file_size != expected["size"]:
            raise ArchiveRefused(f"{info.filename} has the wrong size: the archive was changed or damaged.")
        digest = hashlib.sha256()
        try:
            with zf.open(info) as member:
                while chunk := member.read(archive.CHUNK):
                    digest.update(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as error:
            raise ArchiveRefused(
                f"{info.filename} cannot be read: the archive is damaged or truncated ({error})."
            ) from error
        if digest.hexdigest() != expected["sha256"]:
            raise ArchiveRefused(
                f"{info.filename} does not match its checksum: the archive was changed or damaged."
            )
