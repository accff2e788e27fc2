from io import BytesIO

from openpyxl import load_workbook

from documents.models import VersionStatus
from tests.factories import add_version, make_document, mandatory


def export(client, world, query=""):
    return client.get(f"/projects/{world.project.pk}/documents/export.xlsx{query}")


def rows(response):
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]


def test_export_is_an_xlsx_attachment_with_every_register_row(world, client_for):
    doc = mandatory(world.project, "DOC-02")
    doc.owner, doc.approver = world.user("contributor"), world.user("viewer")
    doc.save()
    add_version(doc, world.user("contributor"), status=VersionStatus.APPROVED)
    response = export(client_for("viewer"), world)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="document-register-')
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    header, *data = rows(response)
    assert header[:6] == ["Code", "Title", "Type", "Clauses", "Mandatory item", "Status"]
    assert len(data) == 43
    policy = next(r for r in data if r[0] == "DOC-02")
    assert policy[5] == "Approved" and policy[6] == 1 and policy[9] == "contributor"
    assert policy[13] is not None  # next review date


def test_export_follows_the_register_filters(world, client_for):
    data = rows(export(client_for("lead"), world, "?doc_type=policy"))[1:]
    assert [r[0] for r in data] == ["DOC-02", "DOC-15", "DOC-22"]


def test_text_that_looks_like_a_formula_is_exported_as_text(world, client_for):
    make_document(world.project, code="X-1", title='=HYPERLINK("http://evil.test","click")')
    data = rows(export(client_for("lead"), world, "?q=X-1"))[1:]
    assert data[0][1] == '\'=HYPERLINK("http://evil.test","click")'
