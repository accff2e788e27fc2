"""What the ticket evidence contributes to the rest of the product (kernel.extensions):
a panel on each operating process's page, a dashboard card, a section of the management report and
the demo project's tickets.
Registered in TicketEvidenceConfig.ready()."""

from django.utils.translation import gettext_lazy

from kernel.extensions import Contributions, DashboardCard, DemoData, ProcessPanel, ReportSection

from . import demo, reporting, selectors

CONTRIBUTIONS = Contributions(
    process_panels=(
        ProcessPanel("ticket_evidence/partials/process_panel.html", 10, selectors.process_panel),
    ),
    dashboard_cards=(DashboardCard("ticket_evidence/partials/dashboard_card.html", order=16),),
    report_sections=(
        ReportSection(
            "ticket_figures",
            gettext_lazy("Operating figures from the ticketing tool"),
            55,
            "reports/sections/ticket_figures.html",
            reporting.figures_section,
        ),
    ),
    demo_data=DemoData(seed=demo.seed_ticket_evidence, order=70),  # after the registers' services
)
