"""Reading an archive before anything is imported: it opens, its format version is ours, its members
are exactly those of the manifest, each with the SHA-256 and size the manifest gives, within bounds.

Checked before a byte of data.json is parsed (`envelope`, also in the web request that takes the
upload): the size data.json unpacks to against the rows the manifest declares, so a small zip that
inflates to a gigabyte of padding is refused at once. data.json is then read as a stream while its
checksum is computed (stream.py): its outline (tables, row counts, people, shared content) must
agree with the manifest."""

import hashlib
import json
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext

from kernel.relabel import current_label

from . import archive
from .archive import ArchiveRefused
from .stream import Limits, OutlineReader, chunks, events, mb


def _n(count: int) -> str:
    return number_format(count, force_grouping=True)


MANIFEST_MAX_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Envelope:
    rows_declared: int
    data_bytes: int
    members: int


def open_zip(source) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise ArchiveRefused(
            gettext("This is not a project archive, or it is truncated: the zip directory cannot be read.")
        ) from error


def open_verified(source, *, limits: Limits | None = None, progress=None):
    """(open zip, manifest, outline) of an archive whose every member checks out; else ArchiveRefused."""
    limits = limits or Limits.from_settings()
    zf = open_zip(source)
    try:
        manifest = _manifest(zf)
        envelope(zf, manifest, limits)
        outline = _check_members(zf, manifest, limits, progress)
        _check_outline(outline, manifest, limits)
    except BaseException:
        zf.close()
        raise
    return zf, manifest, outline


def _read_member(zf, name) -> bytes:
    try:
        return zf.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, zipfile.LargeZipFile) as error:
        raise ArchiveRefused(
            gettext("%(name)s in the archive is damaged or missing.") % {"name": name}
        ) from error


def _manifest(zf) -> dict:
    if archive.MANIFEST not in zf.namelist():
        raise ArchiveRefused(gettext("The archive has no manifest.json: it is not a project archive."))
    if zf.getinfo(archive.MANIFEST).file_size > MANIFEST_MAX_BYTES:
        raise ArchiveRefused(gettext("The archive's manifest is too large."))
    try:
        manifest = json.loads(_read_member(zf, archive.MANIFEST))
    except (ValueError, UnicodeDecodeError) as error:
        raise ArchiveRefused(gettext("manifest.json in the archive is not valid JSON.")) from error
    if not isinstance(manifest, dict) or manifest.get("format") != archive.FORMAT:
        raise ArchiveRefused(gettext("The archive's manifest is not that of an SMS Tracker project archive."))
    version = manifest.get("format_version")
    if version != archive.FORMAT_VERSION:
        raise ArchiveRefused(
            gettext(
                "The archive has format version %(version)s; "
                "this installation reads version %(supported)s only."
            )
            % {"version": version, "supported": archive.FORMAT_VERSION}
        )
    members = manifest.get("members")
    if not isinstance(members, list) or not all(
        isinstance(m, dict)
        and isinstance(m.get("path"), str)
        and isinstance(m.get("size"), int)
        and isinstance(m.get("sha256"), str)
        for m in members
    ):
        raise ArchiveRefused(gettext("The archive's manifest does not list its files properly."))
    counts = manifest.get("counts")
    if not isinstance(counts, dict) or not all(
        isinstance(k, str) and type(v) is int and v >= 0 for k, v in counts.items()
    ):
        raise ArchiveRefused(gettext("The archive's manifest does not count its rows properly."))
    manifest["counts"] = {current_label(label): rows for label, rows in counts.items()}
    return manifest


def manifest_head(zf) -> dict:
    """format, format_version and counts of the manifest, read as a stream (the web request takes
    no more than that: the list of members may be long)."""
    if archive.MANIFEST not in zf.namelist():
        raise ArchiveRefused(gettext("The archive has no manifest.json: it is not a project archive."))
    if zf.getinfo(archive.MANIFEST).file_size > MANIFEST_MAX_BYTES:
        raise ArchiveRefused(gettext("The archive's manifest is too large."))
    head: dict = {"counts": {}}
    limits = Limits.from_settings()
    try:
        with zf.open(archive.MANIFEST) as member:
            for prefix, event, value in events(chunks(member), limits):
                if prefix in ("format", "format_version") and event in ("string", "number"):
                    head[prefix] = value
                elif prefix.startswith("counts.") and event == "number" and len(head["counts"]) < 10000:
                    head["counts"][current_label(prefix[len("counts.") :])] = value
                elif prefix.startswith("counts.") or (
                    prefix == "counts" and event not in ("start_map", "end_map", "map_key")
                ):
                    raise ArchiveRefused(gettext("The archive's manifest does not count its rows properly."))
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as error:
        raise ArchiveRefused(
            gettext("The archive is damaged or truncated: its manifest cannot be read.")
        ) from error
    if head.get("format") != archive.FORMAT:
        raise ArchiveRefused(gettext("The archive's manifest is not that of an SMS Tracker project archive."))
    if head.get("format_version") != archive.FORMAT_VERSION:
        raise ArchiveRefused(
            gettext(
                "The archive has format version %(version)s; "
                "this installation reads version %(supported)s only."
            )
            % {"version": head.get("format_version"), "supported": archive.FORMAT_VERSION}
        )
    if not all(type(v) is int and v >= 0 for v in head["counts"].values()):
        raise ArchiveRefused(gettext("The archive's manifest does not count its rows properly."))
    return head


def envelope(zf, manifest: dict, limits: Limits) -> Envelope:
    """The bounds that need no parsing of data.json: number of members, the size everything
    unpacks to, and the size of data.json against the rows the manifest declares."""
    present = [info for info in zf.infolist() if info.filename != archive.MANIFEST]
    if len(present) > settings.PROJECT_ARCHIVE_MAX_MEMBERS:
        raise ArchiveRefused(
            gettext("The archive holds %(count)s files; at most %(limit)s.")
            % {"count": _n(len(present)), "limit": _n(settings.PROJECT_ARCHIVE_MAX_MEMBERS)}
        )
    unpacked = sum(info.file_size for info in present)
    if unpacked > settings.PROJECT_ARCHIVE_MAX_UNPACKED_BYTES:
        raise ArchiveRefused(
            gettext("The archive unpacks to %(size)s; at most %(limit)s is accepted.")
            % {"size": mb(unpacked), "limit": mb(settings.PROJECT_ARCHIVE_MAX_UNPACKED_BYTES)}
        )
    try:
        data = zf.getinfo(archive.DATA)
    except KeyError:
        raise ArchiveRefused(gettext("The archive has no data.json: it is not a project archive.")) from None
    declared = sum(manifest["counts"].values())
    if declared > limits.rows:
        raise ArchiveRefused(
            gettext("The archive declares %(count)s rows; this installation imports at most %(limit)s.")
            % {"count": _n(declared), "limit": _n(limits.rows)}
        )
    allowed = limits.base_bytes + declared * limits.bytes_per_row
    if data.file_size > allowed:
        raise ArchiveRefused(
            gettext(
                "data.json unpacks to %(size)s for the %(count)s rows the manifest declares: "
                "more than %(limit)s, which no real project archive needs."
            )
            % {"size": mb(data.file_size), "count": _n(declared), "limit": mb(allowed)}
        )
    return Envelope(rows_declared=declared, data_bytes=data.file_size, members=len(present))


def _check_members(zf, manifest, limits, progress):
    listed = {m["path"]: m for m in manifest["members"]}
    present = [info for info in zf.infolist() if info.filename != archive.MANIFEST]
    names = {info.filename for info in present}
    if names != set(listed) or len(names) != len(present) or archive.DATA not in names:
        extra, missing = sorted(names - set(listed))[:3], sorted(set(listed) - names)[:3]
        raise ArchiveRefused(
            gettext("The archive's files do not match its manifest")
            + (gettext("; not listed: %(files)s") % {"files": ", ".join(extra)} if extra else "")
            + (
                gettext("; missing (truncated?): %(files)s") % {"files": ", ".join(missing)}
                if missing
                else ""
            )
            + "."
        )
    outline = None
    # data.json first: its outline is read while its checksum is computed, in one pass
    for info in sorted(present, key=lambda i: i.filename != archive.DATA):
        expected = listed[info.filename]
        if info.file_size != expected["size"]:
            raise ArchiveRefused(
                gettext("%(file)s has the wrong size: the archive was changed or damaged.")
                % {"file": info.filename}
            )
        digest = hashlib.sha256()
        try:
            with zf.open(info) as member:
                if info.filename == archive.DATA:
                    outline, refusal = _outline(_hashed(chunks(member), digest, progress, info), limits)
                else:
                    for chunk in chunks(member):
                        digest.update(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as error:
            raise ArchiveRefused(
                gettext("%(file)s cannot be read: the archive is damaged or truncated.")
                % {"file": info.filename}
            ) from error
        if digest.hexdigest() != expected["sha256"]:
            raise ArchiveRefused(
                gettext("%(file)s does not match its checksum: the archive was changed or damaged.")
                % {"file": info.filename}
            )
        if info.filename == archive.DATA and refusal is not None:
            raise refusal  # only now: a changed byte is reported as such, not as bad JSON
    return outline


def _hashed(source, digest, progress, info):
    done = 0
    for chunk in source:
        digest.update(chunk)
        done += len(chunk)
        if progress is not None:
            progress.checked(done, info.file_size)
        yield chunk


def _outline(source, limits):
    """(outline, None), or (None, the refusal) once the rest of the member is hashed."""
    reader = OutlineReader(limits)
    try:
        for prefix, event, value in events(source, limits):
            reader.feed(prefix, event, value)
    except ArchiveRefused as refusal:
        for _ in source:  # finish the checksum
            pass
        return None, refusal
    return reader.outline, None


def _check_outline(outline, manifest, limits) -> None:
    if not outline.has_project or not outline.tables:
        raise ArchiveRefused(gettext("data.json in the archive holds no project."))
    counts = manifest["counts"]
    found = {}
    for table in outline.tables:
        if not table.model or table.model in found:
            raise ArchiveRefused(
                gettext("data.json in the archive is malformed: a table is unnamed or listed twice.")
            )
        found[table.model] = table.rows
    if found != counts:
        wrong = sorted(m for m in set(found) | set(counts) if found.get(m) != counts.get(m))
        raise ArchiveRefused(
            gettext(
                "data.json does not hold the rows the manifest declares (%(tables)s): "
                "the archive was changed or damaged."
            )
            % {"tables": ", ".join(wrong[:3])}
        )
    users = outline.users
    if not isinstance(users, dict) or not isinstance(outline.globals, dict):
        raise ArchiveRefused(gettext("data.json in the archive is malformed: people or shared content."))
    if len(users) > limits.people:
        raise ArchiveRefused(
            gettext("The archive names %(count)s people; this installation imports at most %(limit)s.")
            % {"count": _n(len(users)), "limit": _n(limits.people)}
        )
