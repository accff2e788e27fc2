import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from documents.models import DocumentVersion, EvidenceEntry, OperatingProcess
from gapanalysis.models import Evidence, Response
from projects.models import Project
from tests.browser.demo import seed_demo
from tests.conftest import held_transaction
from transfer import exporter

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@dataclass(frozen=True)
class DemoSource:
    project_pk: int
    media: Path  # the demo's uploaded files, copied into each test's own MEDIA_ROOT
    archive: bytes  # the demo exported once: the archive is bytes, no test can change it


def build_demo() -> Project:
    """The demo project of `seed_demo`, plus a file of each other kind the demo leaves as links: a
    document version, a gap-analysis evidence file and an operating-evidence upload."""
    project = seed_demo()
    version = DocumentVersion.objects.filter(document__project=project).order_by("pk").first()
    version.file.save("policy.pdf", ContentFile(PDF), save=False)
    DocumentVersion.objects.filter(pk=version.pk).update(file=version.file.name)
    response = Response.objects.filter(assessment__project=project).order_by("pk").first()
    evidence = Evidence(response=response, filename="screen.png", content_type="image/png", size=len(PNG))
    evidence.file.save("screen.png", ContentFile(PNG), save=True)
    process = OperatingProcess.objects.filter(project=project).order_by("pk").first()
    entry = EvidenceEntry(project=project, process=process, on=date(2026, 1, 31), summary="January figures")
    entry.file.save("january.pdf", ContentFile(PDF + b"january"), save=True)
    return project


@pytest.fixture(scope="module")
def demo_source(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo built and exported once per module (seeding it took about 2.5 s, for each of some 45
    tests). Its rows live in a transaction held open around the module: each test runs in a savepoint
    inside it, rolled back after the test, so no test sees another's changes; the files are copied
    into each test's own MEDIA_ROOT. A module either uses the demo in every test or in none
    (pytest_collection_modifyitems below), so no test sees rows it did not ask for."""
    media = tmp_path_factory.mktemp("demo-media")
    with held_transaction(django_db_blocker):
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
            project = build_demo()
            buffer = io.BytesIO()
            exporter.write(project, buffer)
        yield DemoSource(project_pk=project.pk, media=media, archive=buffer.getvalue())


@pytest.fixture
def demo(db, demo_source, media):
    """The demo project, its files in this test's own storage (disk or bucket); a fresh instance."""
    from django.core.files import File
    from django.core.files.storage import default_storage

    for path in sorted(p for p in demo_source.media.rglob("*") if p.is_file()):
        name = path.relative_to(demo_source.media).as_posix()
        with path.open("rb") as content:
            assert default_storage.save(name, File(content)) == name  # the rows name these files
    return Project.objects.get(pk=demo_source.project_pk)


@pytest.fixture
def demo_archive(demo, demo_source) -> bytes:
    return demo_source.archive


def pytest_collection_modifyitems(config, items):
    """The shared demo's transaction stays open until its module ends, so a test of that module
    without the demo would see its rows. Such a mix is refused at collection, whatever the order."""
    here = Path(__file__).parent
    by_module: dict[Path, list] = {}
    for item in items:
        path = Path(item.path)
        if path.parent == here:
            by_module.setdefault(path, []).append("demo_source" in getattr(item, "fixturenames", ()))
    for path, uses in by_module.items():
        if any(uses) and not all(uses):
            raise pytest.UsageError(
                f"{path.name}: some tests use the shared demo and some do not; a module without the "
                "demo in every test would see its rows. Move the tests without it to a module of their own."
            )
