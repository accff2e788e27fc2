"""The one set of builders for tests: users and projects, checklist templates and assessments,
documents and versions, audits, findings and reviews, reports. Records are made through the real
services where one exists, so they carry what the product would give them.
"""

import json
from datetime import date, datetime, time, timedelta
from itertools import cycle
from pathlib import Path

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audits import services as audit_services
from audits.models import Audit, AuditType, Finding, Grade, OutputKind
from audits.reviews import (
    latest_internal_audit,
    review_create,
    review_finalise,
    review_output_create,
    review_section_update,
    review_update,
)
from documents import services as document_services
from documents.models import Document, DocumentVersion, VersionStatus
from gapanalysis import services as gap_services
from gapanalysis.checklist_io import import_template
from gapanalysis.content_translations import load_all
from gapanalysis.models import ChecklistTemplate, Evidence, Response, Result
from kernel.webhook_delivery import DeliveryStatus
from projects import services as project_services
from projects.models import Membership, Priority, Role, Task
from reports.models import Report, ReportStatus
from webhooks import services as webhook_services
from webhooks.models import WebhookDelivery, WebhookEvent

# --- Users, projects, members, tasks ---------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("pw-for-tests-1")


def make_project(*, lead=None, name="Test project", days=300, **fields):
    """A project through the real service, so it has its fourteen phases."""
    lead = lead or UserFactory()
    today = timezone.localdate()
    return project_services.project_create(
        user=lead,
        name=name,
        organisation=fields.pop("organisation", "Example Org"),
        start_date=fields.pop("start_date", today),
        target_certification_date=fields.pop("target_certification_date", today + timedelta(days=days)),
        **fields,
    )


def written_directly(project):
    """Rows made here without a service: say so as the services do (the project's cached page
    parts go, kernel/pagecache.py)."""
    from kernel import pagecache

    pagecache.project_changed(project.pk if hasattr(project, "pk") else project)


def add_member(project, user, role=Role.CONTRIBUTOR):
    membership = Membership.objects.create(project=project, user=user, role=role)
    written_directly(project)
    return membership


def make_task(project, *, phase=None, assignee=None, due_in=None, **fields):
    phase = phase or project.phases.get(key="5")
    due_date = (
        timezone.localdate() + timedelta(days=due_in) if due_in is not None else fields.pop("due_date", None)
    )
    task = Task.objects.create(
        project=project,
        phase=phase,
        title=fields.pop("title", "A task"),
        assignee=assignee,
        due_date=due_date,
        priority=fields.pop("priority", Priority.MEDIUM),
        **fields,
    )
    written_directly(project)
    return task


# --- Files ----------------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name="policy.pdf", content=PDF_BYTES):
    """A tiny but real PDF upload (the content check looks at the bytes)."""
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- Checklist templates and assessments ----------------------------------------------------------

ISO_FILE = Path(__file__).resolve().parents[1] / "gapanalysis" / "data" / "iso20000-1-2018-checklist.json"
ISO_SLUG = "iso20000-1-2018"
MIXED_RESULTS = (
    Result.CONFORMANT,
    Result.PARTIAL,
    Result.NONCONFORMANT,
    Result.CONFORMANT,
    Result.NOT_APPLICABLE,
)


def iso_template() -> ChecklistTemplate:
    """The shipped ISO template, its newest version (the one new assessments use). Data migrations
    load it; a transactional test's flush removes it, so it is imported again when missing (audit
    scopes are checked against its clauses too)."""
    template = ChecklistTemplate.objects.library().filter(slug=ISO_SLUG).order_by("-version").first()
    if template is None:
        template = import_template(ISO_FILE.read_bytes(), filename=ISO_FILE.name)
        load_all()  # and its translations, as after a migrate
    return template


def template_json(*, slug="custom", version=1, clauses=2, questions_per_clause=3) -> dict:
    """A small template: top-level clause 1 with leaves 1.1…1.n, each with questions."""
    data = {
        "slug": slug,
        "name": f"Custom {slug}",
        "standard": "Test standard",
        "version": version,
        "clauses": [{"number": "1", "title": "Everything", "parent": None, "is_leaf": False, "guidance": ""}],
        "questions": [],
    }
    for c in range(1, clauses + 1):
        data["clauses"].append(
            {
                "number": f"1.{c}",
                "title": f"Clause {c}",
                "parent": "1",
                "is_leaf": True,
                "guidance": "Check it.",
            }
        )
        for q in range(1, questions_per_clause + 1):
            data["questions"].append(
                {
                    "id": f"T-1.{c}-{q:02d}",
                    "clause": f"1.{c}",
                    "text": f"Question {q} of clause {c}?",
                    "documented_information": "record" if q % 2 else "none",
                    "guidance": "",
                }
            )
    return data


def make_template(**kwargs) -> ChecklistTemplate:
    data = template_json(**kwargs)
    return import_template(json.dumps(data).encode(), filename=f"{data['slug']}.json")


def make_assessment(
    project, *, user, template=None, title="Baseline", clause_numbers=None, auditors=(), **kw
):
    return gap_services.assessment_create(
        project=project,
        template=template or iso_template(),
        title=title,
        clause_numbers=clause_numbers,
        auditor_ids=[u.pk for u in auditors],
        user=user,
        **kw,
    )


def make_answered_assessment(project, *, user, title="Baseline gap analysis"):
    """An ISO assessment with every response answered (results cycling through MIXED_RESULTS) and noted."""
    assessment = make_assessment(project, user=user, title=title)
    results = cycle(MIXED_RESULTS)
    for response in Response.objects.filter(assessment=assessment).order_by("id"):
        Response.objects.filter(pk=response.pk).update(
            result=next(results), notes=f"Observed during the workshop ({response.pk})."
        )
    return assessment


def answer(assessment, code, result, *, user, notes=None) -> Response:
    response = Response.objects.select_related("assessment").get(assessment=assessment, question__code=code)
    return gap_services.response_save(
        response=response, user=user, expected_version=response.version, result=result, notes=notes
    )


def answer_all(assessment, result=Result.CONFORMANT, *, user):
    Response.objects.filter(assessment=assessment).update(result=result, answered_by=user)


def add_file_evidence(response, *, user) -> Evidence:
    return gap_services.evidence_add(response=response, user=user, upload=pdf_upload("evidence.pdf"))


# --- Documents and versions -----------------------------------------------------------------------


def make_document(project, *, code="POL-99", owner=None, approver=None, **fields):
    document = Document.objects.create(
        project=project,
        code=code,
        title=fields.pop("title", f"Document {code}"),
        doc_type=fields.pop("doc_type", "policy"),
        clauses=fields.pop("clauses", "5.2"),
        owner=owner,
        approver=approver,
        **fields,
    )
    written_directly(project)
    return document


def mandatory(project, code="DOC-02"):
    return Document.objects.get(project=project, mandatory_code=code)


def add_version(
    document, author, *, status=VersionStatus.DRAFT, link="https://intranet.example.test/doc", **kw
):
    """A version through the service (link by default); `status` moves it on through the services."""
    version = document_services.version_create(
        document=document,
        user=author,
        change_summary=kw.pop("change_summary", "First issue"),
        link=link,
        **kw,
    )
    if status in (VersionStatus.IN_REVIEW, VersionStatus.APPROVED):
        document_services.version_submit(version=version, user=author)
    if status == VersionStatus.APPROVED:
        document.refresh_from_db()
        document_services.version_approve(version=version, user=document.approver)
    version.refresh_from_db()
    return version


def bulk_versions(document, author, approver, count):
    """`count` versions written directly (fast), the last approved and current."""
    written_directly(document.project_id)
    return DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=document,
                number=n,
                link=f"https://intranet.example.test/{document.code}/{n}",
                change_summary=f"Issue {n}",
                author=author,
                status=VersionStatus.APPROVED if n == count else VersionStatus.SUPERSEDED,
                approved_by=approver,
            )
            for n in range(1, count + 1)
        ]
    )


# --- Audits, findings, actions, reviews -----------------------------------------------------------


def make_audit(
    project, *, user, audit_type=AuditType.INTERNAL, scope=("9.2",), team=(), start_in=0, **fields
):
    """An audit planned `start_in` days from today for two days, led by `user` unless `lead_auditor`."""
    iso_template()  # the clauses a scope is checked against
    start = timezone.localdate() + timedelta(days=start_in)
    if audit_type == AuditType.INTERNAL and "independence_override_reason" not in fields:
        # The lead owns every phase of a new project, so the lead auditing is auditing their own
        # work (audits.independence): the lead's set-up records the override, as a small team would.
        if project.memberships.filter(user=user, role="lead").exists():
            fields["independence_override_reason"] = "Small team: no one else can audit this yet."
    return audit_services.audit_create(
        project=project,
        user=user,
        audit_type=audit_type,
        title=fields.pop("title", "Internal audit"),
        planned_start=fields.pop("planned_start", start),
        planned_end=fields.pop("planned_end", start + timedelta(days=2)),
        lead_auditor=fields.pop("lead_auditor", user),
        scope_clauses=list(scope),
        team=list(team),
        **fields,
    )


def make_audit_with_findings(
    project, *, user, auditor, title="Internal audit 1", start_in=20, findings=0, owner=None
):
    """An audit of 8.1 and 9.2 led by `auditor`, with `findings` findings on 8.1 of every grade in
    turn (minor, major, observation, OFI); the nonconformities have an owner, a due date and a root
    cause. Returns (audit, findings)."""
    audit = make_audit(
        project,
        user=user,
        scope=("8.1", "9.2"),
        team=[auditor],
        lead_auditor=auditor,
        title=title,
        start_in=start_in,
    )
    grades = cycle((Grade.MINOR_NC, Grade.MAJOR_NC, Grade.OBSERVATION, Grade.OFI))
    made = []
    for index in range(findings):
        grade = next(grades)
        nonconformity = grade in (Grade.MINOR_NC, Grade.MAJOR_NC)
        finding = make_finding(
            audit,
            user=auditor,
            grade=grade,
            clause="8.1",
            owner=(owner or user) if nonconformity else None,
            description=f"Finding {index + 1}: the operational planning records are incomplete.",
            evidence="Sampled three change records.",
        )
        if nonconformity:  # the root cause comes before any corrective action
            Finding.objects.filter(pk=finding.pk).update(
                root_cause="Planning step skipped under time pressure."
            )
            finding.refresh_from_db()
        made.append(finding)
    return audit, made


def hold_audit(audit, *, user, answered=True) -> Audit:
    """Move an audit to "report issued"; its checklist answered (conformant) unless `answered` is
    False: only answered checklist questions cover a clause."""
    audit = audit_services.audit_advance(audit=audit, user=user, to_status="in_progress")
    if answered and audit.checklist_id:
        answer_all(audit.checklist, user=user)
    return audit_services.audit_advance(
        audit=audit, user=user, to_status="report_issued", report_summary="Done."
    )


def make_finding(audit, *, user, grade=Grade.MINOR_NC, clause="9.2", owner=None, due_in=30, **fields):
    due = timezone.localdate() + timedelta(days=due_in) if grade in (Grade.MAJOR_NC, Grade.MINOR_NC) else None
    return audit_services.finding_create(
        audit=audit,
        user=user,
        grade=grade,
        clause=clause,
        description=fields.pop("description", "Audit results are not retained."),
        evidence=fields.pop("evidence", "No report for the March audit."),
        owner=owner,
        due_date=fields.pop("due_date", due),
    )


def make_action(finding, *, user, owner, due_in=14):
    finding = audit_services.finding_respond(
        finding=finding,
        user=user,
        expected_version=finding.version,
        correction="Report written.",
        root_cause="No one owned report filing.",
        # the two questions 10.1 asks before a nonconformity may close
        similar_nonconformities="Checked the other audit reports of the year: all filed.",
        actions_appropriate="A named owner is proportionate to one missing report.",
    )
    return audit_services.action_create(
        finding=finding,
        user=user,
        description="Name a report owner in the audit procedure.",
        owner=owner,
        due_date=timezone.localdate() + timedelta(days=due_in),
    )


def make_review(project, *, user, attendees=(), title="Management review Q4", meeting_in=0):
    return review_create(
        project=project,
        user=user,
        title=title,
        meeting_date=timezone.localdate() + timedelta(days=meeting_in),
        attendees=attendees,
    )


def complete_review(review, *, user, top=None, decisions="Proceed."):
    """Give a draft review what finalising needs: top management among the attendees, a note on every
    clause 9.3 input, a decision of each kind, and a meeting after the latest internal audit of the
    cycle (one is planned and held first if none is)."""
    project = review.project
    latest = latest_internal_audit(project)
    if latest is None:
        latest = hold_audit(make_audit(project, user=user, title="Internal audit (held)"), user=user)
    attendees = list(review.attendees.all()) or [user]
    review = review_update(
        review=review,
        user=user,
        expected_version=review.version,
        title=review.title,
        meeting_date=max(review.meeting_date, latest.planned_end + timedelta(days=1)),
        attendees=attendees,
        other_attendees=review.other_attendees,
        top_management=[top or attendees[0]],
        decisions=decisions,
    )
    for section in review.sections.all():
        review_section_update(
            section=section, user=user, expected_version=section.version, notes="Discussed."
        )
    for kind, label in OutputKind.choices:
        review_output_create(
            review=review, user=user, kind=kind, text=f"No change needed on {label.lower()}."
        )
    review.refresh_from_db()
    return review


def finalise_review(review, *, user, **fields):
    """complete_review, then finalise the minutes."""
    return review_finalise(review=complete_review(review, user=user, **fields), user=user)


# --- Reports --------------------------------------------------------------------------------------


def make_report(project, *, status=ReportStatus.DONE, user=None, kind="management", **fields):
    """A report row; a finished one carries a (fake) one-page PDF."""
    report = Report.objects.create(
        project=project,
        kind=kind,
        title="Management progress report",
        status=status,
        requested_by=user,
        **fields,
    )
    if status == ReportStatus.DONE:
        report.file.save(report.filename, ContentFile(b"%PDF-1.7 test"), save=False)
        report.page_count, report.finished_at = 1, timezone.now()
        report.save()
    written_directly(project)
    return report


# --- Operating evidence ---------------------------------------------------------------------------


def add_evidence(project, clause, *, months, user=None, per_month=1, today=None):
    """`per_month` link entries in each of the last `months` months (this month included) for the
    process of `clause`, written directly (fast); the services are tested on their own."""
    from documents.models import EvidenceEntry, OperatingProcess
    from documents.operation.processes import EVENT_RECORDS, process_by_clause

    today = today or timezone.localdate()
    process, _ = OperatingProcess.objects.get_or_create(project=project, clause=clause)
    # a process that keeps an event record (complaints, disputes, security incidents) records them
    kinds = [code for code in process_by_clause()[clause].records if code in EVENT_RECORDS]
    entries = []
    year, month = today.year, today.month
    for _ in range(months):
        for n in range(per_month):
            entries.append(
                EvidenceEntry(
                    project=project,
                    process=process,
                    # never after today, so every entry counts whatever day the test runs
                    on=min(date(year, month, 1 + n % 28), today),
                    summary=f"{clause} ran in {year}-{month:02d}",
                    link="https://itsm.example.test/report",
                    record_code=kinds[0] if kinds else "",
                    created_by=user,
                )
            )
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    created = EvidenceEntry.objects.bulk_create(entries)
    # Recorded when it happened (documents.operation.rules: backdated entries do not count), by a
    # process that was operating by then.
    for entry in created:
        entry.created_at = timezone.make_aware(datetime.combine(entry.on, time(12)))
    EvidenceEntry.objects.bulk_update(created, ["created_at"])
    first = min((entry.on for entry in created), default=None)
    if first and (process.started_on is None or process.started_on > first):
        OperatingProcess.objects.filter(pk=process.pk).update(started_on=first.replace(day=1))
    written_directly(project)
    return created


def add_evidence_everywhere(project, *, months, user=None, except_clauses=()):
    from documents.operation.processes import PROCESSES

    for process in PROCESSES:
        if process.clause not in except_clauses:
            add_evidence(project, process.clause, months=months, user=user)


# --- Webhooks -------------------------------------------------------------------------------------


def make_webhook(project, *, user, url="https://hooks.example.com/sms", events=("task.done",), **fields):
    """An endpoint through the real service (so the cached subscriptions are cleared)."""
    return webhook_services.endpoint_create(
        project=project, user=user, url=url, events=list(events), **fields
    )


def make_webhook_delivery(endpoint, *, status=DeliveryStatus.FAILED, name="task.done", key="matrix:1"):
    event = WebhookEvent.objects.create(
        project_id=endpoint.project_id, name=name, key=key, payload={"event": name, "data": {}}
    )
    return WebhookDelivery.objects.create(endpoint=endpoint, event=event, status=status, attempts=1)
