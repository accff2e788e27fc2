from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import Document, DocumentStatus, DocumentVersion, VersionStatus
from documents.views.register import PAGE_SIZE
from tests.factories import add_version, make_document, mandatory, written_directly


def register_url(world, query=""):
    return f"/projects/{world.project.pk}/documents/{query}"


def grow_register(world, count, versions_each=5):
    """`count` extra approved documents with `versions_each` versions each, the last one current."""
    lead, viewer = world.user("lead"), world.user("viewer")
    docs = Document.objects.bulk_create(
        [
            Document(
                project=world.project,
                code=f"GEN-{n:04d}",
                title=f"Generated {n}",
                doc_type="procedure",
                clauses="8.5.1",
                owner=lead,
                approver=viewer,
                status=DocumentStatus.APPROVED,
            )
            for n in range(count)
        ]
    )
    versions = DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=doc,
                number=n,
                link=f"https://intranet.example.test/{doc.code}/{n}",
                change_summary=f"Issue {n}",
                author=lead,
                approved_by=viewer if n == versions_each else None,
                status=VersionStatus.APPROVED if n == versions_each else VersionStatus.SUPERSEDED,
            )
            for doc in docs
            for n in range(1, versions_each + 1)
        ]
    )
    by_doc = {v.document_id: v for v in versions if v.number == versions_each}
    for doc in docs:
        doc.current_version = doc.latest_version = by_doc[doc.pk]
    Document.objects.bulk_update(docs, ["current_version", "latest_version"])
    written_directly(world.project)


@pytest.mark.parametrize("size", [10, 200])
def test_register_query_count_does_not_grow(size, world, client_for, django_assert_max_num_queries):
    grow_register(world, size)
    client = client_for("lead")
    # +2 since records are judged by their evidence: audits' held records, months of evidence
    with django_assert_max_num_queries(12):
        response = client.get(register_url(world, "?page=2"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(PAGE_SIZE, 43 + size - PAGE_SIZE)


@pytest.mark.parametrize("size", [10, 200])
def test_dashboard_card_query_count_does_not_grow(size, world, client_for, django_assert_max_num_queries):
    grow_register(world, size)
    client = client_for("viewer")
    # +4: records judged by their evidence (2), the evidence heat map (2)
    with django_assert_max_num_queries(16):
        response = client.get(f"/projects/{world.project.pk}/")
    assert 'data-testid="dashboard-coverage">0 / 42' in response.content.decode()


def test_register_shows_coverage_and_what_is_missing(world, client_for):
    doc = mandatory(world.project, "DOC-02")
    doc.approver = world.user("viewer")
    doc.save()
    add_version(doc, world.user("lead"), status=VersionStatus.APPROVED)
    response = client_for("auditor").get(register_url(world))
    coverage = response.context["coverage"]
    assert (coverage.approved, coverage.required, len(coverage.missing)) == (1, 42, 41)
    assert "DOC-02" not in {m.item.code for m in coverage.missing}
    html = response.content.decode()
    assert 'data-testid="coverage">1 / 42' in html
    assert "41 not in place yet" in html


def codes(response):
    return [d.code for d in response.context["page"].object_list]


def test_filters_by_status_type_clause_owner_and_review(world, client_for):
    client = client_for("lead")
    make_document(
        world.project,
        code="FRM-01",
        doc_type="form",
        clauses="8.5.1.2",
        owner=world.user("auditor"),
        status="draft",
    )
    today = timezone.localdate()
    make_document(
        world.project, code="DUE-01", status="approved", next_review_date=today + timedelta(days=30)
    )
    make_document(
        world.project, code="LATE-01", status="approved", next_review_date=today - timedelta(days=1)
    )
    make_document(world.project, code="OK-01", status="approved", next_review_date=today + timedelta(days=31))
    assert codes(client.get(register_url(world, "?doc_type=form"))) == ["FRM-01"]
    assert codes(client.get(register_url(world, f"?owner={world.user('auditor').pk}"))) == ["FRM-01"]
    missing = client.get(register_url(world, "?status=missing"))
    assert missing.context["page"].paginator.count == 43
    every_missing = codes(missing) + codes(client.get(register_url(world, "?status=missing&page=2")))
    assert len(every_missing) == 43 and "FRM-01" not in every_missing
    # clause 8.5 covers its sub-clauses; 6.1 does not match 8.6.1
    by_clause = codes(client.get(register_url(world, "?clause=8.5")))
    assert "FRM-01" in by_clause and "DOC-15" in by_clause and "DOC-18" not in by_clause
    assert codes(client.get(register_url(world, "?clause=6.1"))) == ["DOC-04"]
    assert codes(client.get(register_url(world, "?mandatory=on&q=policy"))) == ["DOC-02", "DOC-15", "DOC-22"]
    assert codes(client.get(register_url(world, "?review=due"))) == ["DUE-01", "LATE-01"]
    assert codes(client.get(register_url(world, "?review=overdue"))) == ["LATE-01"]
    assert codes(client.get(register_url(world, "?status=draft"))) == ["FRM-01"]


def test_register_paginates_long_lists(world, client_for):
    response = client_for("viewer").get(register_url(world))
    assert len(response.context["page"].object_list) == PAGE_SIZE
    assert response.context["page"].paginator.count == 43
    grow_register(world, 20, versions_each=1)
    response = client_for("viewer").get(register_url(world))
    assert response.context["page"].paginator.num_pages == 3
    assert "Page 1 of 3" in response.content.decode()
    last = client_for("viewer").get(register_url(world, "?page=3"))
    assert len(last.context["page"].object_list) == 63 - 2 * PAGE_SIZE


def test_viewer_sees_no_create_button_and_the_lead_does(world, client_for):
    create = f'href="/projects/{world.project.pk}/documents/new/"'
    assert create not in client_for("viewer").get(register_url(world)).content.decode()
    assert create in client_for("lead").get(register_url(world)).content.decode()


def test_an_unknown_filter_value_is_ignored_not_an_error(world, client_for):
    response = client_for("viewer").get(register_url(world, "?status=bogus&owner=abc&clause=99"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 43
    response = client_for("viewer").get(register_url(world, "?status=bogus&doc_type=record"))
    assert response.context["page"].paginator.count == 20  # the valid filter still applies
