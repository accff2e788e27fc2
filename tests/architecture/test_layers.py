"""The layers of the code, checked on the source. Every top-level package with an apps.py is
classified by a rule, so a new package cannot fall outside the checks (docs/architecture.md):

- the kernel (`kernel/`, and the Celery app `sms_tracker/celery.py`) imports no app at all, not even
  inside a function;
- the configuration (`sms_tracker/`: it has settings.py) wires everything and is imported by nobody
  but the kernel's use of the Celery app;
- the integration layer, the apps declared in INTEGRATION_LAYER below, reads from the domain apps;
- every other app with models.py and integration.py is a domain app: it imports the kernel,
  `projects` and other domain apps, never the integration layer or the configuration; `projects`,
  the ground the others stand on, imports no other app.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KERNEL = "kernel"
CONFIGURATION = "sms_tracker"
CELERY_APP = "sms_tracker.celery"
# The only list kept by hand: apps that read the domain apps (reports, e-mail, webhooks, the API,
# transfer and backup of whole projects or installations) and sign-in. A new package is a domain app
# when it has models.py and integration.py; anything else must be added here or the test fails.
INTEGRATION_LAYER = (
    "api",
    "backup",
    "connectors",  # outside ticketing tools; its evidence sub-app (connectors/evidence) contributes
    "identity",
    "notifications",
    "reports",
    "transfer",
    "readiness",  # the readiness gates read every app; no app reads them
    "webhooks",
)


def app_packages(root: Path = ROOT) -> list[str]:
    return sorted(path.parent.name for path in root.glob("*/apps.py"))


def classify(package: str, root: Path = ROOT) -> str:
    if package == KERNEL:
        return "kernel"
    if (root / package / "settings.py").exists():
        return "configuration"
    if package in INTEGRATION_LAYER:
        return "integration"
    if (root / package / "models.py").exists() and (root / package / "integration.py").exists():
        return "domain"
    return "unclassified"


def _layer(kind: str) -> tuple[str, ...]:
    return tuple(p for p in app_packages() if classify(p) == kind)


APPS = _layer("domain")
INTEGRATION = _layer("integration")


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


KERNEL_FILES = _files("kernel/**/*.py", "sms_tracker/celery.py")


def test_every_app_package_is_classified():
    unclassified = [p for p in app_packages() if classify(p) == "unclassified"]
    assert not unclassified, (
        f"{unclassified}: give a domain app models.py and integration.py, or declare an "
        "integration-layer app in INTEGRATION_LAYER (docs/architecture.md, 'Layers')"
    )
    assert {"projects", "gapanalysis", "documents", "audits"} <= set(APPS)
    assert set(INTEGRATION) == set(INTEGRATION_LAYER)


@pytest.mark.parametrize("path", KERNEL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_kernel_imports_no_app(path):
    """Not even inside a function: the kernel reaches what apps provide through registries
    (kernel/extensions.py, kernel/tables.py, the MFA policy in kernel/access.py)."""
    others = tuple(p for p in app_packages() if p != KERNEL)
    bad = [
        f"line {line}: {name}"
        for line, name in imports(path)
        if _under(name, others) and not _under(name, (CELERY_APP,))
    ]
    assert not bad, f"{path.relative_to(ROOT)} is kernel code and may not import: {bad}"


@pytest.mark.parametrize("path", _files("projects/**/*.py"), ids=lambda p: str(p.relative_to(ROOT)))
def test_projects_imports_no_other_app(path):
    others = tuple(app for app in APPS if app != "projects")
    bad = [f"line {line}: {name}" for line, name in imports(path) if _under(name, others + INTEGRATION)]
    assert not bad, f"{path.relative_to(ROOT)} may not import other apps: {bad}"


@pytest.mark.parametrize(
    "path", _files(*(f"{app}/**/*.py" for app in APPS)), ids=lambda p: str(p.relative_to(ROOT))
)
def test_apps_import_neither_the_integration_layer_nor_the_configuration(path):
    """Apps declare what they contribute (their integration.py) with the kernel's types; the
    integration layer reads from them, never the other way round."""
    bad = [
        f"line {line}: {name}"
        for line, name in imports(path)
        if _under(name, INTEGRATION) or (_under(name, (CONFIGURATION,)) and not _under(name, (CELERY_APP,)))
    ]
    assert not bad, f"{path.relative_to(ROOT)} may not import the integration layer: {bad}"


@pytest.mark.parametrize(
    "path",
    _files(*(f"{p}/**/*.py" for p in app_packages() if classify(p) != "configuration")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_nothing_imports_the_configuration_but_the_celery_app(path):
    bad = [
        f"line {line}: {name}"
        for line, name in imports(path)
        if _under(name, (CONFIGURATION,))
        and not _under(name, (CELERY_APP,))
        and "/migrations/" not in str(path)
    ]
    assert not bad, f"{path.relative_to(ROOT)} may not import the project's configuration: {bad}"


def test_a_new_package_is_classified_by_the_rule(tmp_path):
    """registers/ or connectors/ need no entry: models and an integration.py make a domain app."""
    for name, files in {
        "newdomain": ("apps.py", "models.py", "integration.py"),
        "newthing": ("apps.py",),
        "sms_tracker": ("apps.py", "settings.py"),
    }.items():
        (tmp_path / name).mkdir()
        for file in files:
            (tmp_path / name / file).write_text("")
    assert classify("newdomain", tmp_path) == "domain"
    assert classify("newthing", tmp_path) == "unclassified"
    assert classify("sms_tracker", tmp_path) == "configuration"
    assert classify("reports", tmp_path) == "integration"


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
