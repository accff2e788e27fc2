import io
from datetime import date

import pytest
from django.core.files.base import ContentFile

from documents.models import DocumentVersion, EvidenceEntry, OperatingProcess
from gapanalysis.models import Evidence, Response
from tests.browser.demo import seed_demo
from transfer import exporter

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.fixture
def demo(db, media):
    """The demo project of `seed_demo`, with its uploaded files in the test's own MEDIA_ROOT, plus
    a file of each other kind the demo leaves as links: a document version, a gap-analysis
    evidence file and an operating-evidence upload."""
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


@pytest.fixture
def demo_archive(demo) -> bytes:
    buffer = io.BytesIO()
    exporter.write(demo, buffer)
    return buffer.getvalue()
