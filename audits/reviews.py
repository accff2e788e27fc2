"""Management review (clause 9.3): a meeting record with one section per input, pre-filled from
live data; decisions; actions that become roadmap tasks; minutes that are read-only once final."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from projects.models import Membership, Project, Task, TaskStatus
from projects.progress_refresh import progress_refresh_on_commit
from projects.roadmap import PhaseKey
from projects.services import activity_record, task_create
from sms_tracker.core.concurrency import lock_for_edit

from . import selectors
from .models import (
    Audit,
    Finding,
    Grade,
    Improvement,
    ManagementReview,
    ReviewAction,
    ReviewSection,
    ReviewStatus,
)

# The inputs clause 9.3 asks top management to consider, in our own words.
REVIEW_INPUTS = (
    ("previous_actions", "Status of actions from earlier management reviews"),
    ("context_changes", "Changes in internal and external issues and in interested parties' needs"),
    ("performance", "Performance of the SMS: nonconformities, monitoring, measurement and audit results"),
    ("customer_satisfaction", "Customer satisfaction and complaints"),
    ("other_parties", "Performance of other parties involved in the service lifecycle"),
    ("resources", "Adequacy of resources and capacity"),
    ("risks", "Risks and opportunities, and how well the actions on them worked"),
    ("improvement", "Opportunities for continual improvement"),
)

NO_LIVE_DATA = "The tool holds no data for this input; record what the meeting heard."


def _gap_and_document_lines(project) -> list[str]:
    """Gap-analysis score and documented-information status, read through those apps' selectors."""
    from documents.operation.selectors import operating_evidence_summary
    from documents.selectors import document_status_summary, mandatory_coverage
    from gapanalysis.selectors import as_percent, latest_gap_assessment, overall_score

    lines = []
    latest = latest_gap_assessment(project)
    if latest is None:
        lines.append("Gap analysis: none held.")
    else:
        score = as_percent(overall_score(latest))
        lines.append(
            f"Latest gap analysis “{latest}” ({latest.get_status_display().lower()}): "
            + (f"score {score}%." if score is not None else "no answers scored yet.")
        )
    coverage = mandatory_coverage(project)
    summary = document_status_summary(project)
    lines.append(
        f"Required documented information in place: {coverage.approved} of {coverage.required}. "
        f"Documents: {summary['total']}, {summary['review_overdue']} overdue for review, "
        f"{summary['review_due']} due for review soon."
    )
    lines.append(operating_evidence_summary(project))  # service performance: did the processes run?
    return lines


def review_prefill(project: Project, *, today: date | None = None) -> dict[str, str]:
    """The pre-filled text of every input, read from the project's live data."""
    today = today or timezone.localdate()
    earlier = list(
        Task.objects.filter(
            review_action__review__project=project, review_action__review__status=ReviewStatus.FINAL
        ).values("status", "due_date")
    )
    done = sum(t["status"] == TaskStatus.DONE for t in earlier)
    overdue_actions = sum(
        t["status"] != TaskStatus.DONE and t["due_date"] and t["due_date"] < today for t in earlier
    )
    overdue_work = Task.objects.filter(project=project).overdue(today).count()
    previous = (
        f"{len(earlier)} actions from earlier reviews: {done} done, {len(earlier) - done} open"
        f" ({overdue_actions} overdue)."
        if earlier
        else "No actions from earlier reviews."
    )
    previous += f"\nOverdue roadmap tasks today: {overdue_work}."

    programme = selectors.programme_for(project)
    audits = list(Audit.objects.filter(project=project).order_by("planned_start"))
    held = [a for a in audits if a.is_held]
    lines = [f"Audits held: {len(held)} of {len(audits)} in the programme."]
    for audit in held[-5:]:
        lines.append(f"- {audit.get_audit_type_display()} “{audit}” ({audit.planned_start:%d %b %Y})")
    counts = selectors.finding_counts(project)
    lines.append(
        "Findings: "
        + "; ".join(
            f"{Grade(g).label.lower()} {c['total']} ({c['open']} open)"
            for g, c in counts.items()
            if c["total"]
        )
        if any(c["total"] for c in counts.values())
        else "Findings: none recorded."
    )
    by_quarter = Counter(
        f"{raised.year} Q{(raised.month - 1) // 3 + 1}"
        for raised in Finding.objects.filter(
            project=project, grade__in=(Grade.MAJOR_NC, Grade.MINOR_NC)
        ).values_list("raised_at", flat=True)
    )
    if by_quarter:
        lines.append("Nonconformity trend: " + ", ".join(f"{q}: {n}" for q, n in sorted(by_quarter.items())))
    actions = selectors.action_counts(project)
    lines.append(
        f"Corrective actions: {actions['open']} not yet verified effective, {actions['overdue']} overdue, "
        f"{actions['awaiting']} awaiting verification."
    )
    uncovered = selectors.uncovered_clauses(project)
    lines.append(
        f"Clauses not yet covered by an internal audit in the cycle starting "
        f"{programme.cycle_start:%d %b %Y}: {len(uncovered)}."
    )
    lines.extend(_gap_and_document_lines(project))

    improvements = Counter(Improvement.objects.filter(project=project).values_list("status", flat=True))
    improvement = (
        "Improvement register: "
        + ", ".join(f"{status.replace('_', ' ')} {n}" for status, n in sorted(improvements.items()))
        if improvements
        else "The improvement register is empty."
    )
    return {
        "previous_actions": previous,
        "performance": "\n".join(lines),
        "improvement": improvement,
    }


def _refuse_if_final(review: ManagementReview) -> None:
    if review.is_final:
        raise ValidationError("These minutes are final and read-only.")


def _check_attendees(project, attendees) -> None:
    members = set(Membership.objects.filter(project=project).values_list("user_id", flat=True))
    strangers = [u.username for u in attendees if u.pk not in members]
    if strangers:
        raise ValidationError({"attendees": f"Not members of the project: {', '.join(strangers)}."})


@transaction.atomic
def review_create(
    *, project: Project, user, title: str, meeting_date: date, attendees=(), other_attendees: str = ""
) -> ManagementReview:
    review = ManagementReview(
        project=project,
        title=title.strip() or f"Management review {meeting_date:%B %Y}",
        meeting_date=meeting_date,
        other_attendees=other_attendees,
        created_by=user,
    )
    attendees = list(attendees)
    _check_attendees(project, attendees)
    review.full_clean()
    review.save()
    review.attendees.set(attendees)
    prefill = review_prefill(project)
    ReviewSection.objects.bulk_create(
        ReviewSection(
            review=review, key=key, order=order, title=title, prefill=prefill.get(key, NO_LIVE_DATA)
        )
        for order, (key, title) in enumerate(REVIEW_INPUTS, 1)
    )
    activity_record(
        project=project,
        actor=user,
        verb="review",
        summary=f"“{review}” prepared",
        url=review.get_absolute_url(),
    )
    return review


@transaction.atomic
def review_update(
    *,
    review: ManagementReview,
    user,
    expected_version: int,
    title: str,
    meeting_date: date,
    attendees=(),
    other_attendees: str = "",
    decisions: str = "",
) -> ManagementReview:
    review = lock_for_edit(ManagementReview, review.pk, expected_version=expected_version)
    _refuse_if_final(review)
    attendees = list(attendees)
    _check_attendees(review.project, attendees)
    review.title, review.meeting_date = title.strip() or review.title, meeting_date
    review.other_attendees, review.decisions = other_attendees, decisions.strip()
    review.version += 1
    review.full_clean()
    review.save()
    review.attendees.set(attendees)
    return review


@transaction.atomic
def review_section_update(
    *, section: ReviewSection, user, expected_version: int, notes: str
) -> ReviewSection:
    section = lock_for_edit(ReviewSection, section.pk, expected_version=expected_version)
    _refuse_if_final(section.review)
    section.notes = notes.strip()
    section.version += 1
    section.save()
    return section


@transaction.atomic
def review_prefill_refresh(*, review: ManagementReview, user) -> ManagementReview:
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    _refuse_if_final(review)
    prefill = review_prefill(review.project)
    sections = list(review.sections.all())
    for section in sections:
        section.prefill = prefill.get(section.key, NO_LIVE_DATA)
    ReviewSection.objects.bulk_update(sections, ["prefill"])
    return review


@transaction.atomic
def review_action_create(*, review: ManagementReview, user, **task_fields) -> ReviewAction:
    """A decided action becomes a roadmap task (phase 12 unless another phase is chosen)."""
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    _refuse_if_final(review)
    project = review.project
    phase = task_fields.pop("phase", None) or project.phases.get(key=PhaseKey.MANAGEMENT_REVIEW)
    task = task_create(project=project, user=user, phase=phase, **task_fields)
    action = ReviewAction(review=review, task=task)
    action.copy_task()
    action.save()
    return action


@transaction.atomic
def review_finalise(*, review: ManagementReview, user) -> ManagementReview:
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    _refuse_if_final(review)
    if not review.attendees.exists() and not review.other_attendees.strip():
        raise ValidationError("Record who attended before finalising the minutes.")
    if not review.decisions.strip():
        raise ValidationError("Record the decisions before finalising the minutes.")
    actions = list(review.actions.select_related("task__assignee").filter(task__isnull=False))
    for action in actions:
        action.copy_task()
    ReviewAction.objects.bulk_update(actions, ["title", "assignee_name", "due_date"])
    review.status = ReviewStatus.FINAL
    review.finalised_at, review.finalised_by = timezone.now(), user
    review.version += 1
    review.save()
    progress_refresh_on_commit(review.project_id)
    activity_record(
        project=review.project,
        actor=user,
        verb="review final",
        summary=f"Minutes of “{review}” finalised",
        url=review.get_absolute_url(),
    )
    return review
