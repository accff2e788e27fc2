"""What the registers contribute to the rest of the product (sms_tracker/core/extensions.py):
reminders for review dates and contract expiries, Excel sheets of the project export, demo data."""

from sms_tracker.core.extensions import Contributions, DemoData, ExportSpec

from . import demo, exports, reminders

CONTRIBUTIONS = Contributions(
    reminder_sources=(reminders.register_review_reminders, reminders.contract_expiry_reminders),
    exports=(
        ExportSpec("context-issues", "Context issues", exports.issues_export),
        ExportSpec("interested-parties", "Interested parties", exports.parties_export),
        ExportSpec("services", "Service catalogue", exports.services_export),
        ExportSpec("sla-actuals", "SLA actuals", exports.actuals_export),
        ExportSpec("suppliers", "Suppliers", exports.suppliers_export),
        ExportSpec("risks", "Risks and opportunities", exports.risks_export),
        ExportSpec("objectives", "Objectives", exports.objectives_export),
    ),
    demo_data=DemoData(seed=demo.seed, order=60),
)


from .feed_integration import with_feeds  # noqa: E402  (API, evidence, snapshots, review, PDF, readiness)

CONTRIBUTIONS = with_feeds(CONTRIBUTIONS)
