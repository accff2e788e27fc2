"""Issue 20 §4: the README says what the product does, the two commands, the configuration and where
to read on, in at most about 400 lines; its "Code layout" matches the tree; the guides moved to docs/
are linked from it."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
NOT_SOURCE = {"media", "staticfiles", "node_modules", "htmlcov"}


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def layout_rows() -> list[tuple[list[str], list[str]]]:
    """(paths of the first column, code names in the description) of each Code layout table row."""
    rows = []
    for line in section("Code layout").splitlines():
        cells = line.split("|")
        if len(cells) < 4 or set(cells[1].strip()) <= {"-"} or cells[1].strip() == "path":
            continue
        rows.append((re.findall(r"`([^`]+)`", cells[1]), re.findall(r"`([^`]+)`", cells[2])))
    return rows


def tracked_top_level_directories() -> set[str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        return {path.split("/")[0] for path in listed if "/" in path}
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: what is on disk
        return {p.name for p in ROOT.iterdir() if p.is_dir()}


def test_the_readme_is_at_most_about_400_lines():
    assert len(README.splitlines()) <= 420


def test_the_readme_keeps_what_it_is_for():
    for title in ("What it does", "The two commands", "Configuration", "Code layout", "Documentation"):
        section(title)
    assert "make run" in section("The two commands") and "make test" in section("The two commands")


def test_every_path_the_code_layout_names_exists():
    rows = layout_rows()
    assert len(rows) > 10
    for paths, names in rows:
        for path in paths:
            assert (ROOT / path).exists(), f"Code layout names {path}, which is not in the tree"
        bases = [ROOT / p for p in paths if (ROOT / p).is_dir()]
        for name in names:
            if "/" in name and not name.startswith("/"):  # a path, not a URL
                assert (ROOT / name).exists(), f"Code layout names {name}, which is not in the tree"
            elif re.fullmatch(r"[\w-]+\.(py|sh)", name) and bases:
                assert any((base / name).exists() for base in bases), f"{name} is not in {paths}"


def test_the_code_layout_covers_every_directory_and_kernel_module():
    named = {path.rstrip("/") for paths, _ in layout_rows() for path in paths}
    for directory in sorted(tracked_top_level_directories()):
        if directory.startswith(".") or directory.endswith(".egg-info") or directory in NOT_SOURCE:
            continue
        assert directory in named, f"{directory}/ is missing from the README's Code layout"
    for package in sorted((ROOT / "sms_tracker").iterdir()):
        if package.is_dir() and not package.name.startswith("__"):
            assert f"sms_tracker/{package.name}" in named, f"sms_tracker/{package.name}/ is missing"
    kernel = next(names for paths, names in layout_rows() if "kernel/" in paths)
    for module in sorted((ROOT / "kernel").glob("*.py")):
        if module.name != "__init__.py":
            assert module.name in kernel, f"kernel/{module.name} is missing from the kernel's row"


def test_the_guides_in_docs_are_linked_and_their_anchors_resolve():
    links = re.findall(r"\]\(((?:docs|tests)/[^)#\s]+)(#[^)\s]+)?\)", README)
    linked = {path for path, _ in links}
    for guide in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{guide.name}" in linked, f"docs/{guide.name} is not linked from the README"
    for path, anchor in links:
        target = ROOT / path
        if anchor and target.exists():
            headings = re.findall(r"^#+ (.+)$", target.read_text(), re.M)
            slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
            assert anchor[1:] in slugs, f"{path}{anchor}: no such heading"
