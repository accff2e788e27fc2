"""What the ticket evidence contributes to the rest of the product (kernel.extensions):
a panel on each operating process's page, a dashboard card and a section of the management report.
Registered in TicketEvidenceConfig.ready()."""

from kernel.extensions import Contributions, DashboardCard, ProcessPanel, ReportSection

from . import reporting, selectors

CONTRIBUTIONS = Contributions(
    process_panels=(
        ProcessPanel("ticket_evidence/partials/process_panel.html", 10, selectors.process_panel),
    ),
    dashboard_cards=(DashboardCard("ticket_evidence/partials/dashboard_card.html", order=16),),
    report_sections=(
        ReportSection(
            "ticket_figures",
            "Operating figures from the ticketing tool",
            55,
            "reports/sections/ticket_figures.html",
            reporting.figures_section,
        ),
    ),
)
