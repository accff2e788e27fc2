"""A pseudo-translated catalogue: every marked string becomes "[Ŝéţţîñĝš]", so text still in plain
English on a page is text nobody marked for translation (docs/i18n.md; tests/i18n/test_pseudolocale.py).

The English msgids come from the code itself (Django's makemessages, run into a scratch directory),
so the catalogue follows every string marked so far without `make messages` being run first.
Placeholders (%(name)s, %s, {name}), HTML tags and entities are kept as they are.
"""

import gettext
import importlib
import re
import shutil
import struct
import subprocess
import tempfile
from contextlib import chdir
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands import makemessages
from django.test.utils import override_settings

DOMAINS = ("django", "djangojs")
# Packages whose own catalogues translate what they show (allauth's sign-in form: "Forgot your
# password?") into every shipped language: their strings are marked, so they read pseudo too.
TRANSLATED_PACKAGES = ("allauth",)
# What makemessages leaves alone (docs/i18n.md, `make messages`).
IGNORE = [".venv*", "node_modules", "tests", "bench", "staticfiles", "media", "static/vendor", "*.min.js"]

_ACCENTED = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
        strict=True,
    )
)
# Kept verbatim: printf and format placeholders, HTML tags and entities, template variables.
_KEEP = re.compile(r"%\([^)]+\)[sdif]|%[sdif%]|\{[^{}]*\}|<[^>]*>|&[#\w]+;")


def pseudo(text: str) -> str:
    if not text:
        return text
    out, last = [], 0
    for match in _KEEP.finditer(text):
        out.append("".join(_ACCENTED.get(ch, ch) for ch in text[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append("".join(_ACCENTED.get(ch, ch) for ch in text[last:]))
    return "[" + "".join(out) + "]"


class _ExtractInto(makemessages.Command):
    """makemessages writing every file's strings into the first of LOCALE_PATHS (the scratch
    directory), never into the repository's locale/ directories."""

    def find_files(self, root):
        files = super().find_files(root)
        for translatable in files:
            translatable.locale_dir = self.default_locale_path
        return files


def extract_english(workdir: Path, *, domains=DOMAINS) -> Path:
    """Run makemessages for English into `workdir`/locale; the path of that locale directory."""
    locale_dir = workdir / "locale"
    locale_dir.mkdir(parents=True, exist_ok=True)
    # The scratch directory first in LOCALE_PATHS: makemessages writes every file's strings there.
    with override_settings(LOCALE_PATHS=[locale_dir]), chdir(settings.BASE_DIR):
        for domain in domains:
            call_command(
                _ExtractInto(),
                locale=["en"],
                domain=domain,
                ignore_patterns=IGNORE,
                no_location=True,
                verbosity=0,
            )
    return locale_dir


def _english_catalog(po: Path) -> dict:
    """msgid -> msgstr of an English .po whose msgstrs are empty: msgen copies the ids over."""
    mo = po.with_suffix(".mo")
    filled = subprocess.run(["msgen", str(po)], check=True, capture_output=True).stdout
    subprocess.run(["msgfmt", "-o", str(mo), "-"], input=filled, check=True)
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def write_mo(path: Path, catalog: dict) -> None:
    """A GNU .mo file from a catalog as GNUTranslations holds it (plural forms under (msgid, n))."""
    entries: dict[str, str] = {}
    plurals: dict[str, dict[int, str]] = {}
    for key, value in catalog.items():
        if isinstance(key, tuple):
            plurals.setdefault(key[0], {})[key[1]] = value
        elif key:
            entries[key] = value
    for msgid, forms in plurals.items():
        # An English catalogue's second form is the msgid_plural (msgen copies it).
        entries[msgid + "\0" + forms[1]] = "\0".join(forms[i] for i in sorted(forms))
    entries[""] = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    keys = sorted(entries)
    ids = [k.encode() for k in keys]
    strs = [entries[k].encode() for k in keys]
    header = 7 * 4
    table = 2 * len(keys) * 8
    offset = header + table
    id_table, str_table, blob = [], [], b""
    for data in ids:
        id_table.append((len(data), offset + len(blob)))
        blob += data + b"\0"
    for data in strs:
        str_table.append((len(data), offset + len(blob)))
        blob += data + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, len(keys), header, header + len(keys) * 8, 0, 0)
    for length, start in id_table + str_table:
        out += struct.pack("<2I", length, start)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out + blob)


def _package_msgids() -> set[str]:
    """The singular msgids of TRANSLATED_PACKAGES' catalogues (read from their German one)."""
    msgids = set()
    for package in TRANSLATED_PACKAGES:
        root = Path(importlib.import_module(package).__file__).parent
        for mo in (root / "locale" / "de" / "LC_MESSAGES").glob("django.mo"):
            with mo.open("rb") as handle:
                msgids.update(
                    key for key in gettext.GNUTranslations(handle)._catalog if isinstance(key, str) and key
                )
    return msgids


def build(output: Path, *, language: str, source: Path | None = None) -> dict[str, int]:
    """Write `output`/<language>/LC_MESSAGES/{django,djangojs}.mo (and a readable .po beside each);
    the number of strings per domain. `source`: a locale directory holding en/LC_MESSAGES/*.po to use
    instead of extracting the strings now."""
    counts = {}
    with tempfile.TemporaryDirectory(prefix="pseudolocale-") as scratch:
        locale_dir = source or extract_english(Path(scratch))
        for domain in DOMAINS:
            po = locale_dir / "en" / "LC_MESSAGES" / f"{domain}.po"
            if not po.exists():
                counts[domain] = 0
                continue
            copy = Path(scratch) / f"{domain}.po"
            shutil.copyfile(po, copy)
            # An English .po of the repository has its msgstrs; a fresh extraction has them empty.
            english = _english_catalog(copy)
            catalog = {key: pseudo(value) for key, value in english.items() if key}
            if domain == "django":
                for key in _package_msgids():
                    catalog.setdefault(key, pseudo(key))
            target = output / language / "LC_MESSAGES" / f"{domain}.mo"
            write_mo(target, catalog)
            readable = subprocess.run(["msgunfmt", str(target)], check=True, capture_output=True).stdout
            target.with_suffix(".po").write_bytes(readable)
            counts[domain] = len(catalog)
    return counts
