"""Management review (clause 9.3): a meeting record with one section per input, pre-filled from
live data; decisions; actions that become roadmap tasks; minutes that are read-only once final."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

from kernel.clauses import is_within
from kernel.concurrency import lock_for_edit
from projects.models import Membership, Project, Task, TaskStatus
from projects.progress_refresh import progress_refresh_on_commit
from projects.roadmap import PhaseKey
from projects.services import activity_record, task_create

from . import selectors
from .models import (
    HELD_STATUSES,
    Audit,
    AuditType,
    Finding,
    Grade,
    Improvement,
    ManagementReview,
    OutputKind,
    ReviewAction,
    ReviewOutput,
    ReviewSection,
    ReviewStatus,
)

# The inputs clause 9.3 asks top management to consider, in our own words.
REVIEW_INPUTS = (
    ("previous_actions", gettext_lazy("Status of actions from earlier management reviews")),
    (
        "context_changes",
        gettext_lazy(
            "Changes in internal and external issues (is climate change still relevant, or now relevant?) "
            "and in interested parties' needs, including climate-related ones"
        ),
    ),
    (
        "performance",
        gettext_lazy("Performance of the SMS: nonconformities, monitoring, measurement and audit results"),
    ),
    ("customer_satisfaction", gettext_lazy("Customer satisfaction and complaints")),
    ("other_parties", gettext_lazy("Performance of other parties involved in the service lifecycle")),
    ("resources", gettext_lazy("Adequacy of resources and capacity")),
    ("risks", gettext_lazy("Risks and opportunities, and how well the actions on them worked")),
    ("improvement", gettext_lazy("Opportunities for continual improvement")),
)

NO_LIVE_DATA = gettext_lazy("The tool holds no data for this input; record what the meeting heard.")


def _gap_and_document_lines(project) -> list[str]:
    """Gap-analysis score and documented-information status, read through those apps' selectors."""
    from documents.selectors import document_status_summary, mandatory_coverage
    from gapanalysis.selectors import as_percent, latest_gap_assessment, overall_score

    lines = []
    latest = latest_gap_assessment(project)
    if latest is None:
        lines.append(_("Gap analysis: none held."))
    else:
        score = as_percent(overall_score(latest))
        lines.append(
            _("Latest gap analysis “%(latest)s” (%(get_status_display)s): ")
            % {"latest": latest, "get_status_display": latest.get_status_display().lower()}
            + (f"score {score}%." if score is not None else _("no answers scored yet."))
        )
    coverage = mandatory_coverage(project)
    summary = document_status_summary(project)
    lines.append(
        _(
            "Required documented information in place: %(approved)s of %(required)s. "
            "Documents: %(total)s, %(review_overdue)s overdue for review, %(review_due)s due "
            "for review soon."
        )
        % {
            "approved": coverage.approved,
            "required": coverage.required,
            "total": summary["total"],
            "review_overdue": summary["review_overdue"],
            "review_due": summary["review_due"],
        }
    )
    return lines


def service_performance_lines(project) -> list[str]:
    """Service performance for the "performance" input: did the processes run, with records?
    From the operating evidence the documents app holds."""
    from documents.operation.selectors import operating_evidence_summary

    return [operating_evidence_summary(project)]


# Clause areas whose live data feeds an input: customer satisfaction (business relationship and
# service level management) and the performance of other parties (supplier management).
CUSTOMER_CLAUSES = ("8.3.2", "8.3.3")
SUPPLIER_CLAUSES = ("8.3.4",)


def _clause_area_lines(project, clauses: tuple[str, ...], noun: str) -> list[str]:
    """What the tool holds on these clauses: documents and records, findings, the gap score."""
    from documents.models import Document, DocumentStatus
    from gapanalysis.selectors import as_percent, clause_scores, latest_gap_assessment

    def ours(numbers) -> bool:
        return any(is_within(n, c) for n in numbers for c in clauses)

    lines = []
    documents = [
        (code, title, status)
        for code, title, status, numbers in Document.objects.filter(project=project)
        .exclude(status=DocumentStatus.OBSOLETE)
        .order_by("code")
        .values_list("code", "title", "status", "clauses")
        if ours(numbers or [])
    ]
    if documents:
        labels = dict(DocumentStatus.choices)
        lines.append(
            _("Documents and records on %(noun)s: ") % {"noun": noun}
            + "; ".join(
                f"{code} {title} ({labels.get(status, status).lower()})"
                for code, title, status in documents[:8]
            )
            + (_("; and %(len)s more") % {"len": len(documents) - 8} if len(documents) > 8 else "")
            + "."
        )
    findings = [
        (number, grade, status, clause)
        for number, grade, status, clause in Finding.objects.filter(project=project)
        .order_by("number")
        .values_list("number", "grade", "status", "clause")
        if ours([clause])
    ]
    if findings:
        lines.append(
            _("Audit findings on %(noun)s: ") % {"noun": noun}
            + "; ".join(
                f"F-{n} {Grade(g).label.lower()} ({st.replace('_', ' ')})" for n, g, st, _ in findings[:8]
            )
            + "."
        )
    latest = latest_gap_assessment(project)
    if latest is not None:
        scores = clause_scores(latest)
        shown = [f"{c} {as_percent(scores[c])}%" for c in clauses if scores.get(c) is not None]
        if shown:
            lines.append(_("Gap-analysis score: %(join)s.") % {"join": ", ".join(shown)})
    if not lines:
        lines.append(
            _("The tool holds nothing on %(noun)s yet (clauses %(join)s).")
            % {"noun": noun, "join": ", ".join(clauses)}
        )
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
        gettext(
            "%(len)s actions from earlier reviews: %(done)s done, %(total)s open "
            "(%(overdue_actions)s overdue)."
        )
        % {
            "len": len(earlier),
            "done": done,
            "total": len(earlier) - done,
            "overdue_actions": overdue_actions,
        }
        if earlier
        else gettext("No actions from earlier reviews.")
    )
    previous += gettext("\nOverdue roadmap tasks today: %(overdue_work)s.") % {"overdue_work": overdue_work}

    programme = selectors.programme_for(project)
    audits = list(Audit.objects.filter(project=project).order_by("planned_start"))
    held = [a for a in audits if a.is_held]
    lines = service_performance_lines(project)
    lines.append(
        _("Audits held: %(len)s of %(len2)s in the programme.") % {"len": len(held), "len2": len(audits)}
    )
    for audit in held[-5:]:
        lines.append(f"- {audit.get_audit_type_display()} “{audit}” ({audit.planned_start:%-d %b %Y})")
    counts = selectors.finding_counts(project)
    lines.append(
        "Findings: "
        + "; ".join(
            f"{Grade(g).label.lower()} {c['total']} ({c['open']} open)"
            for g, c in counts.items()
            if c["total"]
        )
        if any(c["total"] for c in counts.values())
        else _("Findings: none recorded.")
    )
    by_quarter = Counter(
        f"{raised.year} Q{(raised.month - 1) // 3 + 1}"
        for raised in Finding.objects.filter(
            project=project, grade__in=(Grade.MAJOR_NC, Grade.MINOR_NC)
        ).values_list("raised_at", flat=True)
    )
    if by_quarter:
        lines.append(
            _("Nonconformity trend: ") + ", ".join(f"{q}: {n}" for q, n in sorted(by_quarter.items()))
        )
    actions = selectors.action_counts(project)
    lines.append(
        _(
            "Corrective actions: %(open)s not yet verified effective, %(overdue)s overdue, "
            "%(awaiting)s awaiting verification."
        )
        % {"open": actions["open"], "overdue": actions["overdue"], "awaiting": actions["awaiting"]}
    )
    uncovered = selectors.uncovered_clauses(project)
    lines.append(
        _("Clauses not yet covered by an internal audit in the cycle starting %(cycle_start)s: %(len)s.")
        % {"cycle_start": format(programme.cycle_start, "%-d %b %Y"), "len": len(uncovered)}
    )
    lines.extend(_gap_and_document_lines(project))

    improvements = Counter(Improvement.objects.filter(project=project).values_list("status", flat=True))
    improvement = (
        gettext("Improvement register: ")
        + ", ".join(f"{status.replace('_', ' ')} {n}" for status, n in sorted(improvements.items()))
        if improvements
        else gettext("The improvement register is empty.")
    )
    prefill = {
        "previous_actions": previous,
        "performance": "\n".join(lines),
        "customer_satisfaction": "\n".join(
            _clause_area_lines(
                project, CUSTOMER_CLAUSES, gettext("customer relationships and service levels")
            )
        ),
        "other_parties": "\n".join(_clause_area_lines(project, SUPPLIER_CLAUSES, "suppliers")),
        "improvement": improvement,
    }
    return _with_contributed_inputs(project, prefill, today=today)


def _with_contributed_inputs(project, prefill: dict[str, str], *, today: date) -> dict[str, str]:
    """Append what other apps hold on each input (the registers: SLA attainment, suppliers, risks,
    objectives, context and climate), declared as review_inputs in their integration.py."""
    from kernel.extensions import review_inputs

    for source in review_inputs():
        for key, lines in source(project, today=today).items():
            if lines:
                prefill[key] = "\n".join([prefill[key], *lines] if prefill.get(key) else lines)
    return prefill


def _refuse_if_final(review: ManagementReview) -> None:
    if review.is_final:
        raise ValidationError(_("These minutes are final and read-only."))


def _check_attendees(project, attendees, top_management=()) -> None:
    members = set(Membership.objects.filter(project=project).values_list("user_id", flat=True))
    strangers = [u.username for u in attendees if u.pk not in members]
    if strangers:
        raise ValidationError(
            {"attendees": _("Not members of the project: %(items)s.") % {"items": ", ".join(strangers)}}
        )
    attending = {u.pk for u in attendees}
    absent = [u.username for u in top_management if u.pk not in attending]
    if absent:
        raise ValidationError(
            {
                "top_management": _("Top management must be among the attendees: %(items)s.")
                % {"items": ", ".join(absent)}
            }
        )


@transaction.atomic
def review_create(
    *,
    project: Project,
    user,
    title: str,
    meeting_date: date,
    attendees=(),
    other_attendees: str = "",
    top_management=(),
    other_top_management: str = "",
) -> ManagementReview:
    review = ManagementReview(
        project=project,
        title=title.strip()
        or gettext("Management review %(meeting_date)s") % {"meeting_date": format(meeting_date, "%B %Y")},
        meeting_date=meeting_date,
        other_attendees=other_attendees,
        other_top_management=other_top_management.strip(),
        created_by=user,
    )
    attendees, top_management = list(attendees), list(top_management)
    _check_attendees(project, attendees, top_management)
    review.full_clean()
    review.save()
    review.attendees.set(attendees)
    review.top_management.set(top_management)
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
        message=gettext_noop("“%(review)s” prepared"),
        values={"review": str(review)},
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
    top_management=(),
    other_top_management: str = "",
) -> ManagementReview:
    review = lock_for_edit(ManagementReview, review.pk, expected_version=expected_version)
    _refuse_if_final(review)
    attendees, top_management = list(attendees), list(top_management)
    _check_attendees(review.project, attendees, top_management)
    review.title, review.meeting_date = title.strip() or review.title, meeting_date
    review.other_attendees, review.decisions = other_attendees, decisions.strip()
    review.other_top_management = other_top_management.strip()
    review.version += 1
    review.full_clean()
    review.save()
    review.attendees.set(attendees)
    review.top_management.set(top_management)
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


def latest_internal_audit(project) -> Audit | None:
    """The internal audit of the current cycle held last (by its last day)."""
    programme = selectors.programme_for(project)
    return (
        Audit.objects.filter(
            project=project,
            audit_type=AuditType.INTERNAL,
            status__in=HELD_STATUSES,
            planned_start__gte=programme.cycle_start,
            planned_start__lte=selectors.cycle_end(programme.cycle_start),
        )
        .order_by("-planned_end", "-id")
        .first()
    )


def finalise_refusals(review: ManagementReview) -> list[str]:
    """Everything that keeps these minutes from being final, in the order to fix it (empty: none)."""
    reasons = []
    if not review.attendees.exists() and not review.other_attendees.strip():
        reasons.append(_("Record who attended."))
    if not review.top_management.exists() and not review.other_top_management.strip():
        reasons.append(
            _("Mark who among the attendees is top management: clause 9.3 is top management's review.")
        )
    latest = latest_internal_audit(review.project)
    if latest is None:
        reasons.append(
            _(
                "No internal audit of this cycle has been held: the review considers its results, so hold "
                "one before the meeting."
            )
        )
    elif review.meeting_date <= latest.planned_end:
        reasons.append(
            _(
                "The meeting (%(meeting_date)s) must come after the latest internal audit of the "
                "cycle, “%(latest)s”, which ended %(planned_end)s."
            )
            % {
                "meeting_date": format(review.meeting_date, "%-d %b %Y"),
                "latest": latest,
                "planned_end": format(latest.planned_end, "%-d %b %Y"),
            }
        )
    empty = [s.title for s in review.sections.order_by("order") if not s.notes.strip()]
    if empty:
        reasons.append(
            _("Write what the meeting said on every clause 9.3 input; no note yet on: ")
            + "; ".join(empty)
            + "."
        )
    decided = set(review.outputs.values_list("kind", flat=True))
    undecided = [label.lower() for kind, label in OutputKind.choices if kind not in decided]
    if undecided:
        reasons.append(
            _("Record the decisions on ")
            + ", on ".join(undecided)
            + _(" (a decision may be that nothing changes).")
        )
    return reasons


@transaction.atomic
def review_finalise(*, review: ManagementReview, user) -> ManagementReview:
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    _refuse_if_final(review)
    reasons = finalise_refusals(review)
    if reasons:
        raise ValidationError(reasons)
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
        message=gettext_noop("Minutes of “%(review)s” finalised"),
        values={"review": str(review)},
        url=review.get_absolute_url(),
    )
    return review


# Outputs ------------------------------------------------------------------------------------------


@transaction.atomic
def review_output_create(*, review: ManagementReview, user, kind: str, text: str) -> ReviewOutput:
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    _refuse_if_final(review)
    output = ReviewOutput(review=review, kind=kind, text=text.strip(), created_by=user)
    output.full_clean()
    output.save()
    return output


@transaction.atomic
def review_output_to_task(*, output: ReviewOutput, user) -> ReviewAction:
    """Turn a decision into a roadmap task (phase 12). Idempotent: the output row is locked, and a
    second click (or a double submit) returns the action made by the first."""
    output = ReviewOutput.objects.select_for_update().select_related("review").get(pk=output.pk)
    if output.action_id is not None:
        return output.action
    _refuse_if_final(output.review)
    title = " ".join(output.text.split())
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]  # a decision is written as a sentence; a task title carries no full stop
    action = review_action_create(
        review=output.review,
        user=user,
        title=title if len(title) <= 200 else title[:199] + "…",
        description=f"{output.get_kind_display()}: {output.text}",
    )
    output.action = action
    output.save(update_fields=["action", "updated_at"])
    return action
