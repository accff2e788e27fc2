"""The management PDF carries the ticket figures' section with its chart, ticket text escaped."""

from datetime import date

from pypdf import PdfReader

from connectors.evidence import services
from reports.management_report import build_management_report
from reports.pdf import render_pdf
from tests.ticket_evidence.helpers import connector, standard_rules, ticket, when


def test_the_management_report_has_the_ticket_figures(world, tmp_path):
    standard_rules(world.project, world.user("lead"))
    conn = connector(world.project, targets={"incident": 8, "change": 48})
    for day in range(1, 20):
        ticket(conn, opened=when(2026, 11, day), hours=day, title="<b>bold</b>")
        ticket(
            conn,
            opened=when(2026, 10, day),
            ticket_type="Change",
            hours=day * 3,
            change_succeeded=day % 4 > 0,
        )
    services.freeze_closed_months(project=world.project, user=world.user("lead"), today=date(2026, 12, 6))
    context = build_management_report(world.project, today=date(2026, 12, 6))
    assert "ticket_figures" in [section.key for section in context["sections"]]
    pdf = render_pdf("reports/management.html", context)
    (tmp_path / "report.pdf").write_bytes(pdf.content)
    (__import__("pathlib").Path("/tmp/te_report.pdf")).write_bytes(pdf.content)
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "Operating figures from the ticketing tool" in text
    assert "8.6.1 Incident management" in text and "8.5.1 Change management" in text
