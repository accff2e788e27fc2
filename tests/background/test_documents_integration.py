"""Documents in the background work: reviews due in the digest, coverage in the management report."""

import io
from datetime import timedelta

from django.utils import timezone
from pypdf import PdfReader

from documents.models import Document, DocumentStatus
from notifications import reminders
from reports.management_report import build_management_report
from reports.pdf import render_pdf


def _approve(document, *, owner, review_in_days):
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.APPROVED,
        owner=owner,
        next_review_date=timezone.localdate() + timedelta(days=review_in_days),
    )


def test_document_reviews_due_or_overdue_reach_their_owner(world):
    soon, late, far = Document.objects.filter(project=world.project).order_by("id")[:3]
    _approve(soon, owner=world.user("contributor"), review_in_days=5)
    _approve(late, owner=world.user("contributor"), review_in_days=-2)
    _approve(far, owner=world.user("contributor"), review_in_days=60)

    (digest,) = [
        d for d in reminders.plan_digests(today=timezone.localdate()) if d.user == world.user("contributor")
    ]

    keys = {item.key for item in digest.own}
    assert keys == {f"document-review:{soon.pk}", f"document-review:{late.pk}"}
    assert all(item.category == "Document review" for item in digest.own)


def test_management_report_shows_documented_information_coverage(world):
    first = Document.objects.filter(project=world.project).exclude(mandatory_code="").order_by("id").first()
    _approve(first, owner=world.user("lead"), review_in_days=100)
    today = timezone.localdate()
    context = build_management_report(world.project, today=today)
    context.update(generated_at=timezone.now(), requested_by=None)

    pdf = render_pdf("reports/management.html", context)

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    section = next(s for s in context["sections"] if s.key == "documents")
    coverage = section.data["coverage"]
    assert coverage.approved == 1 and coverage.required > 1
    assert "Documented information" in text
    assert f"{coverage.percent}%" in text and f"({coverage.approved} of {coverage.required})" in text
