"""The layers of the code, checked on the source: the kernel (kernel/) imports no app and
nothing of the integration layer; `projects`, the ground the other apps stand on, imports none of them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("projects", "gapanalysis", "documents", "audits", "registers")
INTEGRATION = (
    "reports",
    "notifications",
    "sms_tracker.tasks",
    "webhooks",
    "api",
    "transfer",
    "readiness",  # the readiness gates read every app; no app reads them
    "connectors",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, *, module_level_only: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file; relative ones resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in _import_nodes(tree, module_level_only):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        else:
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.append((node.lineno, name))
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]  # maybe submodules
    return found


def _import_nodes(node, module_level_only):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        elif not (module_level_only and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))):
            yield from _import_nodes(child, module_level_only)


def _under(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _files(*globs):
    return sorted({path for pattern in globs for path in ROOT.glob(pattern)})


KERNEL_FILES = _files("kernel/**/*.py", "sms_tracker/models.py", "sms_tracker/celery.py")


@pytest.mark.parametrize("path", KERNEL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_kernel_imports_no_app_and_no_integration_code(path):
    bad = [f"line {line}: {name}" for line, name in imports(path) if _under(name, APPS + INTEGRATION)]
    assert not bad, f"{path.relative_to(ROOT)} is kernel code and may not import: {bad}"


@pytest.mark.parametrize("path", _files("projects/**/*.py"), ids=lambda p: str(p.relative_to(ROOT)))
def test_projects_imports_no_other_app_at_module_level(path):
    others = tuple(app for app in APPS if app != "projects")
    bad = [
        f"line {line}: {name}"
        for line, name in imports(path, module_level_only=True)
        if _under(name, others + INTEGRATION)
    ]
    assert not bad, f"{path.relative_to(ROOT)} may not import other apps at module level: {bad}"


@pytest.mark.parametrize(
    "path", _files(*(f"{app}/**/*.py" for app in APPS)), ids=lambda p: str(p.relative_to(ROOT))
)
def test_apps_import_only_the_kernel_of_sms_tracker(path):
    """Apps declare what they contribute (their integration.py) with the kernel's types; the
    integration layer reads from them, never the other way round."""
    bad = [
        f"line {line}: {name}"
        for line, name in imports(path)
        if _under(name, INTEGRATION + ("sms_tracker.integration",))
    ]
    assert not bad, f"{path.relative_to(ROOT)} may not import the integration layer: {bad}"


def test_the_check_sees_a_forbidden_import(tmp_path, monkeypatch):
    """The checker itself: a relative and an absolute import of an app are both found."""
    package = tmp_path / "sms_tracker" / "core"
    package.mkdir(parents=True)
    sample = package / "sample.py"
    sample.write_text("from ..reports import registry\n\ndef f():\n    from projects.models import Project\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    names = [name for _, name in imports(sample)]
    assert "sms_tracker.reports.registry" in names and "projects.models" in names
    assert [name for _, name in imports(sample, module_level_only=True)] == [
        "sms_tracker.reports",
        "sms_tracker.reports.registry",
    ]
    assert _under("projects.models", APPS) and not _under("projectsx", APPS)
