"""The documented-information rules of the gates: each required document approved and not overdue
for review, each required record with its evidence, each process with the operating evidence the
stage needs (documents.operation.rules: Stage 1 first records, Stage 2 the full minimum period)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from documents.mandatory import required_items
from documents.models import Document, DocumentStatus
from documents.operation import selectors as operation_selectors
from documents.records import HELD, record_states
from kernel.extensions import Blocker, ReadinessGroup

# Categories are keys (webhook payloads count by them): marked here, translated where shown.
CATEGORY = gettext_noop("Documented information")
CATEGORY_RECORDS = gettext_noop("Records")
CATEGORY_OPERATION = gettext_noop("Operating evidence")

GROUPS = (
    ReadinessGroup(
        CATEGORY,
        10,
        gettext_lazy("required document not approved"),
        gettext_lazy("required documents not approved"),
        gettext_lazy("Open the register"),
        lambda project: reverse("documents:register", args=[project.pk]) + "?mandatory=on",
    ),
    ReadinessGroup(
        CATEGORY_OPERATION,
        20,
        gettext_lazy("process short of the operating evidence needed"),
        gettext_lazy("processes short of the operating evidence needed"),
        gettext_lazy("Record operating evidence"),
        lambda project: reverse("documents:operation", args=[project.pk]),
    ),
    ReadinessGroup(
        CATEGORY_RECORDS,
        30,
        gettext_lazy("required record without evidence"),
        gettext_lazy("required records without evidence"),
        gettext_lazy("See the records"),
        lambda project: reverse("documents:register", args=[project.pk]) + "?doc_type=record",
    ),
)


def documented_information_blockers(project, *, stage: int = 1) -> list[Blocker]:
    """Each required document not approved or overdue for review, each required record without its
    evidence, each process short of the operating evidence `stage` needs (constant queries): Stage 1
    asks that every process operates with first records, Stage 2 for the full minimum operating
    period (documents.operation.rules). A Stage 1 rule."""
    today = timezone.localdate()
    rows = {
        doc.mandatory_code: doc
        for doc in Document.objects.filter(project=project)
        .exclude(mandatory_code="")
        .only("id", "project_id", "mandatory_code", "status", "next_review_date", "latest_version_id")
    }
    blockers = []
    register_url = reverse("documents:register", args=[project.pk])
    statuses = operation_selectors.process_statuses(project, stage=stage, today=today)
    records = record_states(
        project,
        statuses=statuses,
        latest_versions={code: (doc.pk, doc.latest_version_id) for code, doc in rows.items()},
    )
    for item in required_items():
        doc = rows.get(item.code)
        url = reverse("documents:detail", args=[project.pk, doc.pk]) if doc else register_url
        label = _("%(code)s %(title)s (clause %(clauses)s)") % {
            "code": item.code,
            "title": item.title,
            "clauses": item.clauses_label,
        }
        if item.is_record:
            record = records[item.code]
            # A record the audits app holds is gated there (audits held over every clause, a final
            # review), so it is not listed twice.
            if not record.satisfied and record.source != HELD:
                blockers.append(
                    Blocker(
                        CATEGORY_RECORDS,
                        _("%(label)s: %(summary)s.") % {"label": label, "summary": record.summary},
                        record.url,
                    )
                )
        elif doc is None or doc.status != DocumentStatus.APPROVED:
            state = doc.get_status_display().lower() if doc else _("missing")
            blockers.append(
                Blocker(
                    CATEGORY,
                    _("%(label)s is not approved (%(state)s).") % {"label": label, "state": state},
                    url,
                )
            )
        elif doc.next_review_date and doc.next_review_date < today:
            blockers.append(
                Blocker(
                    CATEGORY,
                    _("%(label)s is overdue for review since %(date)s.")
                    % {"label": label, "date": formats.date_format(doc.next_review_date, "DATE_FORMAT")},
                    url,
                )
            )
    for status in statuses:
        if not status.enough:
            blockers.append(
                Blocker(
                    CATEGORY_OPERATION,
                    _("%(process)s: %(missing)s.")
                    % {"process": status.process.label, "missing": status.missing},
                    reverse("documents:operation_process", args=[project.pk, status.process.slug]),
                )
            )
    return blockers
