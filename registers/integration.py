"""What the registers contribute to the rest of the product (kernel/extensions.py):
reminders for review dates and contract expiries, Excel sheets of the project export, demo data."""

from django.utils.translation import gettext_lazy as _

from kernel.extensions import Contributions, DemoData, ExportSpec, Responsibility

from . import demo, exports, reminders
from .feed_integration import with_feeds
from .kinds import KINDS, LISTED


def _owned(model):
    return lambda project, user: model.objects.filter(project=project, owner=user)


# A member who leaves hands the register entries they own to a lead, like their documents.
OWNED_LABELS = {
    "issues": _("Internal and external issues they own"),
    "parties": _("Interested parties they own"),
    "services": _("Service catalogue they own"),
    "suppliers": _("Suppliers and contracts they own"),
    "risks": _("Risks and opportunities they own"),
    "objectives": _("Objectives and KPIs they own"),
}
OWNED_ENTRIES = tuple(
    Responsibility(OWNED_LABELS[key], _owned(KINDS[key].model), field="owner") for key in LISTED
)

# with_feeds adds what the registers feed elsewhere: API, evidence, snapshots, review, PDF, readiness.
CONTRIBUTIONS = with_feeds(
    Contributions(
        reminder_sources=(reminders.register_review_reminders, reminders.contract_expiry_reminders),
        exports=(
            ExportSpec("context-issues", _("Context issues"), exports.issues_export),
            ExportSpec("interested-parties", _("Interested parties"), exports.parties_export),
            ExportSpec("services", _("Service catalogue"), exports.services_export),
            ExportSpec("sla-actuals", _("SLA actuals"), exports.actuals_export),
            ExportSpec("suppliers", _("Suppliers"), exports.suppliers_export),
            ExportSpec("risks", _("Risks and opportunities"), exports.risks_export),
            ExportSpec("objectives", _("Objectives"), exports.objectives_export),
        ),
        responsibilities=OWNED_ENTRIES,
        demo_data=DemoData(seed=demo.seed_registers, order=60),
    )
)
