"""Documents and versions for tests. Files are tiny but real (the content check looks at them)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services
from documents.models import Document, DocumentVersion, VersionStatus

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name="policy.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_document(project, *, code="POL-99", owner=None, approver=None, **fields):
    return Document.objects.create(
        project=project,
        code=code,
        title=fields.pop("title", f"Document {code}"),
        doc_type=fields.pop("doc_type", "policy"),
        clauses=fields.pop("clauses", "5.2"),
        owner=owner,
        approver=approver,
        **fields,
    )


def mandatory(project, code="DOC-02"):
    return Document.objects.get(project=project, mandatory_code=code)


def add_version(
    document, author, *, status=VersionStatus.DRAFT, link="https://intranet.example.test/doc", **kw
):
    """A version through the service (link by default); `status` moves it on through the services."""
    version = services.version_create(
        document=document,
        user=author,
        change_summary=kw.pop("change_summary", "First issue"),
        link=link,
        **kw,
    )
    if status in (VersionStatus.IN_REVIEW, VersionStatus.APPROVED):
        services.version_submit(version=version, user=author)
    if status == VersionStatus.APPROVED:
        document.refresh_from_db()
        services.version_approve(version=version, user=document.approver)
    version.refresh_from_db()
    return version


def bulk_versions(document, author, approver, count):
    """`count` versions written directly (fast), the last approved and current."""
    versions = DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=document,
                number=n,
                link=f"https://intranet.example.test/{document.code}/{n}",
                change_summary=f"Issue {n}",
                author=author,
                status=VersionStatus.APPROVED if n == count else VersionStatus.SUPERSEDED,
                approved_by=approver,
            )
            for n in range(1, count + 1)
        ]
    )
    return versions
