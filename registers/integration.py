"""What the registers contribute to the rest of the product (kernel/extensions.py):
reminders for review dates and contract expiries, Excel sheets of the project export, demo data."""

from kernel.extensions import Contributions, DemoData, ExportSpec, Responsibility

from . import demo, exports, reminders
from .feed_integration import with_feeds
from .kinds import KINDS, LISTED


def _owned(model):
    return lambda project, user: model.objects.filter(project=project, owner=user)


# A member who leaves hands the register entries they own to a lead, like their documents.
OWNED_ENTRIES = tuple(
    Responsibility(f"{KINDS[key].title} they own", _owned(KINDS[key].model), field="owner") for key in LISTED
)

# with_feeds adds what the registers feed elsewhere: API, evidence, snapshots, review, PDF, readiness.
CONTRIBUTIONS = with_feeds(
    Contributions(
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
        responsibilities=OWNED_ENTRIES,
        demo_data=DemoData(seed=demo.seed_registers, order=60),
    )
)
