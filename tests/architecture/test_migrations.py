"""Data migrations run against the code of their day: they may not import today's services,
selectors or data files, only what Django itself writes into a migration (`<app>.models` callables)."""

from pathlib import Path

import pytest

from .test_layers import ROOT, _under, imports

FIRST_PARTY = ("sms_tracker", "projects", "gapanalysis", "documents", "audits")
MIGRATIONS = sorted(p for p in ROOT.glob("*/migrations/0*.py"))


def _allowed(name: str) -> bool:
    # `import documents.models` for an upload_to or default callable, as makemigrations writes it
    return name.endswith(".models") or ".models." in name


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_migration_imports_no_live_code(path: Path):
    everywhere = imports(path)
    module_level = imports(path, module_level_only=True)
    inside_functions = [item for item in everywhere if item not in module_level]
    bad = [
        f"line {line}: {name}"
        for line, name in everywhere
        if _under(name, FIRST_PARTY) and not _allowed(name)
    ]
    bad += [f"line {line}: {name} (inside a function)" for line, name in inside_functions]
    assert not bad, f"{path.relative_to(ROOT)} depends on live code: {bad}"


def test_data_files_read_by_migrations_sit_next_to_them():
    for path in MIGRATIONS:
        text = path.read_text()
        assert '"data"' not in text and "/data/" not in text, f"{path.name} reads a live data file"
