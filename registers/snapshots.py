"""Register snapshots (issue 23 §2): a register frozen as a PDF and an Excel file, the PDF filed as a
new version of the register's document in the document register and sent to its approver. Once the
approver approves it (the documents app's review and approval), the document is approved — for the
registers that are mandatory documented information, the mandatory item is satisfied:

- service catalogue → DOC-08 "Service catalogue(s)" (8.2.4);
- risks and opportunities → DOC-04 "Risk management approach and identified risks" (6.1);
- objectives → DOC-03 "Service management objectives" (6.2.1).

No mandatory item of the reference is a supplier register: 8.3.4.1 and 8.3.4.2 ask for the contracts
and agreements themselves (DOC-12, DOC-13), and disputes are a record (REC-05). A supplier register
snapshot is therefore filed under a document of its own, "REG-SUP Supplier register", which
satisfies no mandatory item.

The PDF is rendered by the reports layer (reports/register_snapshots.py: the request
queues its task after commit; the task renders and calls `snapshot_file`); this module holds what a
snapshot contains and where it is filed. Both files are stored through Django's storage, the PDF
through documents.services (the same upload checks and quota as any version)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel import delivery
from kernel.models import Role
from kernel.spreadsheets import Sheet, workbook_bytes

from . import selectors
from .feed_models import RegisterSnapshot, SnapshotRegister, SnapshotStatus
from .kinds import KINDS


@dataclass(frozen=True)
class SnapshotSpec:
    register: str
    kinds: tuple[str, ...]  # the Kind keys, one sheet (and one PDF table) each
    mandatory_code: str  # the mandatory item it satisfies once approved ("" for none)
    own_code: str = ""  # the document it is filed under when no mandatory item fits
    own_title: str = ""
    clauses: tuple[str, ...] = ()


SPECS = {
    SnapshotRegister.SERVICES: SnapshotSpec(SnapshotRegister.SERVICES, ("services", "targets"), "DOC-08"),
    SnapshotRegister.RISKS: SnapshotSpec(SnapshotRegister.RISKS, ("risks",), "DOC-04"),
    SnapshotRegister.OBJECTIVES: SnapshotSpec(
        SnapshotRegister.OBJECTIVES, ("objectives", "measurements"), "DOC-03"
    ),
    SnapshotRegister.SUPPLIERS: SnapshotSpec(
        SnapshotRegister.SUPPLIERS, ("suppliers",), "", "REG-SUP", "Supplier register", ("8.3.4",)
    ),
}


def may_snapshot(access) -> bool:
    return access.role in (Role.LEAD, Role.CONTRIBUTOR)


def snapshot_request(*, project, register: str, user) -> RegisterSnapshot:
    """Record a snapshot to make (queued); the caller queues its rendering after commit."""
    if register not in SPECS:
        raise ValidationError({"register": "Choose a register to snapshot."})
    return RegisterSnapshot.objects.create(project=project, register=register, requested_by=user)


def snapshot_claim(snapshot_id: int) -> RegisterSnapshot | None:
    """queued -> running for the one worker that claims it (the delivery machine's claim: twice is
    once); None when another run has it or it is finished. `started_at` identifies this run when it
    files or fails."""
    if not delivery.claim(RegisterSnapshot, snapshot_id):
        return None
    return RegisterSnapshot.objects.select_related("project", "requested_by").get(pk=snapshot_id)


def snapshot_failed(snapshot: RegisterSnapshot, reason: str) -> None:
    """Failed with the reason the page shows (beside "Try again"); a snapshot already filed, or
    taken over by the sweep meanwhile (another run), is left as it is."""
    if snapshot.status == SnapshotStatus.RUNNING:
        this_run = Q(started_at=snapshot.started_at)
        delivery.give_up(RegisterSnapshot, snapshot.pk, error=str(reason), where=this_run)
    else:
        delivery.give_up(RegisterSnapshot, snapshot.pk, error=str(reason), from_=(SnapshotStatus.QUEUED,))


def _stuck_in_queue(now) -> Q:
    cutoff = now - timedelta(seconds=settings.REPORT_QUEUED_STALE_AFTER_SECONDS)
    return Q(status=SnapshotStatus.QUEUED, queued_at__lt=cutoff)


def snapshot_retry(*, snapshot: RegisterSnapshot, user) -> RegisterSnapshot:
    """Try a failed snapshot again, or one whose queue message was lost (queued too long); the
    caller queues its rendering after commit. Nothing was filed for it, so nothing is filed twice."""
    now = timezone.now()
    updated = (
        RegisterSnapshot.objects.filter(pk=snapshot.pk)
        .filter(Q(status=SnapshotStatus.FAILED) | _stuck_in_queue(now))
        .update(status=SnapshotStatus.QUEUED, error="", queued_at=now, started_at=None, updated_at=now)
    )
    if updated != 1:
        raise ValidationError(_("Only a failed snapshot, or one stuck in the queue, can be tried again."))
    snapshot.refresh_from_db()
    return snapshot


def snapshots_stale(*, now=None) -> dict[str, list[int]]:
    """The sweep's verdicts, the reports' rules (reports.services.reports_recover_stale): a snapshot
    "running" past the lease was lost with its worker (the delivery machine's `sweep_stuck`: queued
    again while attempts remain, else failed), one "queued" too long lost its queue message (sent
    again up to REPORT_MAX_ATTEMPTS, counted in `requeues`, else failed: a rule of the reports and
    snapshots, not the machine's). `retried` are sent by the caller after commit; a duplicate message
    is harmless, the claim lets one run file. Conditional updates: a run that files meanwhile keeps
    its verdict."""
    now = now or timezone.now()
    retried, failed = [], []
    queued_stale = settings.REPORT_QUEUED_STALE_AFTER_SECONDS
    for snapshot in RegisterSnapshot.objects.filter(_stuck_in_queue(now)).only("pk", "queued_at", "requeues"):
        same_wait = RegisterSnapshot.objects.filter(
            pk=snapshot.pk, status=SnapshotStatus.QUEUED, queued_at=snapshot.queued_at
        )
        if snapshot.requeues < settings.REPORT_MAX_ATTEMPTS:
            if same_wait.update(queued_at=now, requeues=F("requeues") + 1, updated_at=now):
                retried.append(snapshot.pk)
        elif same_wait.update(
            status=SnapshotStatus.FAILED,
            error=_(
                "No worker picked this snapshot up (queued for more than %(seconds)s s, sent %(times)s "
                "times). Try again; if it stays queued, tell the administrators."
            )
            % {"seconds": queued_stale, "times": snapshot.requeues + 1},
            updated_at=now,
        ):
            failed.append(snapshot.pk)
    stuck = delivery.sweep_stuck(RegisterSnapshot, now=now)
    return {"retried": retried + stuck["retried"], "failed": failed + stuck["failed"]}


def pdf_context(snapshot: RegisterSnapshot, tables: list[Sheet]) -> dict:
    """What registers_feed/snapshot_pdf.html shows (rendered by the reports layer)."""
    return {
        "project": snapshot.project,
        "title": f"{snapshot.get_register_display()} — snapshot",
        "generated_at": timezone.now(),
        "today": timezone.localdate(),
        "requested_by": snapshot.requested_by,
        "tables": [(t.title, t.headers, t.rows) for t in tables],
        "snapshot": snapshot,
    }


def sheets(project, spec: SnapshotSpec) -> list[Sheet]:
    """One sheet per kind: the register's own columns (those of its export), a constant number of queries."""
    result = []
    for key in spec.kinds:
        kind = KINDS[key]
        rows = selectors.base_queryset(kind, project).order_by(*(kind.model._meta.ordering or ()), "pk")
        result.append(
            Sheet(
                kind.title,
                [c.header for c in kind.columns],
                [[c.value(o) for c in kind.columns] for o in rows],
            )
        )
    return result


def _document(project, spec: SnapshotSpec, user):
    from documents.models import Document, DocumentType
    from documents.services import document_create

    if spec.mandatory_code:
        document = Document.objects.filter(project=project, mandatory_code=spec.mandatory_code).first()
        if document is None:
            raise ValidationError(f"The document register has no item {spec.mandatory_code}.")
        return document
    document = Document.objects.filter(project=project, code=spec.own_code).first()
    if document is None:
        document = document_create(
            project=project,
            user=user,
            code=spec.own_code,
            title=spec.own_title,
            doc_type=DocumentType.RECORD,
            clauses=list(spec.clauses),
            owner=user,
        )
    return document


def snapshot_file(snapshot: RegisterSnapshot, tables: list[Sheet], pdf: bytes) -> RegisterSnapshot:
    """File the rendered PDF as a new version of the register's document (sent to its approver when
    one is named), keep the Excel file beside it; a refusal (quota, an obsolete document) fails the
    snapshot with the reason, nothing filed."""
    try:
        _file(snapshot, SPECS[snapshot.register], tables, pdf)
    except (ValidationError, PermissionDenied) as refused:
        snapshot_failed(snapshot, " ".join(getattr(refused, "messages", [str(refused)])))
    return RegisterSnapshot.objects.get(pk=snapshot.pk)


def _file(snapshot: RegisterSnapshot, spec: SnapshotSpec, tables: list[Sheet], pdf: bytes) -> None:
    from documents import services as document_services

    project, user = snapshot.project, snapshot.requested_by
    excel = workbook_bytes(*tables)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    count = len(tables[0].rows)
    with transaction.atomic():
        # Locked, and still this run's: the sweep may have handed the row to another run (or failed
        # it) while this one rendered; then this one files nothing, so no version is filed twice.
        ours = (
            RegisterSnapshot.objects.select_for_update()
            .filter(pk=snapshot.pk, status=SnapshotStatus.RUNNING, started_at=snapshot.started_at)
            .exists()
        )
        if not ours:
            return
        document = _document(project, spec, user)
        version = document_services.version_create(
            document=document,
            user=user,
            change_summary=f"{snapshot.get_register_display()}: snapshot of {stamp} ({count} entries).",
            upload=SimpleUploadedFile(f"{spec.register}-{stamp}.pdf", pdf, content_type="application/pdf"),
        )
        snapshot.excel.save(f"{spec.register}-{stamp}.xlsx", ContentFile(excel), save=False)
        snapshot.excel_size = len(excel)
        snapshot.entries = count
        snapshot.document_version = version
        snapshot.status = SnapshotStatus.DONE
        snapshot.save()
        document.refresh_from_db()
        if document.approver_id and document.approver_id != version.author_id:
            document_services.version_submit(version=version, user=user)
