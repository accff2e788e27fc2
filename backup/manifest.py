"""The backup's manifest and the checks a restore makes before it touches anything."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FORMAT = "sms-tracker-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.jsonl.gz"
FILES = "files"
CHUNK = 1024 * 1024


class BackupRefused(Exception):
    """The backup cannot be restored (tampered, partial, another version, or a target not empty)."""


def sha256_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def safe_name(name: str) -> bool:
    """A stored file's name as the storage gives it: relative, no '..', no backslash, not empty."""
    if not name or "\\" in name or "\x00" in name:
        return False
    parts = PurePosixPath(name).parts
    return not PurePosixPath(name).is_absolute() and ".." not in parts and "." not in parts


@dataclass
class Checked:
    manifest: dict
    root: Path

    @property
    def database(self) -> Path:
        return self.root / self.manifest["database"]["path"]

    def file_path(self, entry: dict) -> Path:
        return self.root / entry["path"]


def load_and_verify(root: Path) -> Checked:
    """Read the manifest and check every part against it: sizes, sha256, no part missing and none
    added. Raises BackupRefused naming the first problem; reads only."""
    root = Path(root)
    if not root.is_dir():
        raise BackupRefused(f"{root} is not a backup directory.")
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupRefused(f"{root} has no {MANIFEST}: the backup is partial or not a backup.") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupRefused(f"{MANIFEST} cannot be read: {error}.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{MANIFEST} is not an SMS Tracker backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            f"The backup has format version {manifest.get('format_version')}; this version restores "
            f"format {FORMAT_VERSION}."
        )
    parts = [manifest["database"], *manifest["files"]]
    expected_files = set()
    for entry in manifest["files"]:
        if not safe_name(entry["name"]) or entry["path"] != f"{FILES}/{entry['name']}":
            raise BackupRefused(f"The manifest names a file outside the backup: {entry['name']!r}.")
        expected_files.add(entry["path"])
    if manifest["database"]["path"] != DATABASE:
        raise BackupRefused("The manifest names an unexpected database part.")
    for entry in parts:
        path = root / entry["path"]
        if not path.is_file():
            raise BackupRefused(f"{entry['path']} is missing: the backup is partial.")
        digest, size = sha256_of(path)
        if size != entry["size"]:
            raise BackupRefused(
                f"{entry['path']} has {size} bytes; the manifest says {entry['size']}: the backup is "
                "truncated or was changed."
            )
        if digest != entry["sha256"]:
            raise BackupRefused(f"{entry['path']} does not match its sha256 checksum: it was changed.")
    files_dir = root / FILES
    present = (
        {p.relative_to(root).as_posix() for p in files_dir.rglob("*") if p.is_file()}
        if files_dir.is_dir()
        else set()
    )
    extra = sorted(present - expected_files)
    if extra:
        raise BackupRefused(f"{extra[0]} is in the backup but not in its manifest: it was added later.")
    return Checked(manifest=manifest, root=root)
