"""Writes for assessments, answers, evidence and remediation. Views call these; they never save models."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop, ngettext, ngettext_lazy
from django.utils.translation import gettext as _

from kernel import pagecache, webhooks
from kernel.clauses import is_within
from kernel.concurrency import EditConflict
from kernel.extensions import Responsibility
from kernel.uploads import check_project_quota, validate_upload
from projects import activity
from projects.models import Membership, Phase, PhaseStatus, Project, Role, Task, TaskStatus
from projects.progress_refresh import progress_refresh_on_commit
from projects.roadmap import PhaseKey
from projects.services import activity_record, task_create

from .answer_history import answer_history_record
from .models import (
    GAP_RESULTS,
    Assessment,
    AssessmentAuditor,
    AssessmentKind,
    AssessmentStatus,
    ChecklistTemplate,
    DocumentedInformation,
    Evidence,
    Question,
    Response,
    Result,
    TemplateClause,
)

logger = logging.getLogger(__name__)

AUDITOR_ROLES = (Role.AUDITOR, Role.LEAD)
NA_REASON_MISSING = gettext_lazy(
    "Say why this question does not apply: write the reason in the notes. The standard allows no "
    "exclusions, so “not applicable” needs a reason."
)
GAP_PHASE = PhaseKey.GAP_ANALYSIS


def explanatory_clause_message(number: str) -> str:
    return gettext(
        "Clause %(number)s is explanatory: it sets no requirement, so an answer here "
        "cannot be a nonconformity. Answer conformant, or not applicable with a reason, "
        "and record a gap under the clause that holds the requirement."
    ) % {"number": number}


def _leaf_clauses_for(
    template: ChecklistTemplate, clause_numbers: Iterable[str] | None
) -> list[TemplateClause]:
    """Leaf clauses named by the numbers; a parent number stands for all its leaves. None/empty = all."""
    clauses = list(TemplateClause.objects.filter(template=template).order_by("order"))
    leaves = [c for c in clauses if c.is_leaf]
    numbers = [n.strip() for n in (clause_numbers or ()) if n and n.strip()]
    if not numbers:
        return leaves
    known = {c.number for c in clauses}
    unknown = [n for n in numbers if n not in known]
    if unknown:
        raise ValidationError(
            {
                "clause_numbers": _("These clauses are not in the checklist: %(items)s.")
                % {"items": ", ".join(unknown)}
            }
        )
    return [c for c in leaves if any(is_within(c.number, n) for n in numbers)]


def _check_auditors(project: Project, user_ids: Iterable[int]) -> None:
    user_ids = set(user_ids)
    if not user_ids:
        return
    allowed = set(
        Membership.objects.filter(project=project, user_id__in=user_ids, role__in=AUDITOR_ROLES).values_list(
            "user_id", flat=True
        )
    )
    if user_ids - allowed:
        raise ValidationError({"auditors": _("Only members with the auditor or lead role can be assigned.")})


@transaction.atomic
def assessment_create(
    *,
    project: Project,
    template: ChecklistTemplate,
    kind: str = AssessmentKind.GAP,
    title: str,
    clause_numbers: Iterable[str] | None = None,
    auditor_ids: Iterable[int] = (),
    user,
) -> Assessment:
    """An assessment with one not-assessed response per question of its scope (no scope = all)."""
    if not ChecklistTemplate.objects.visible_in(project).filter(pk=template.pk).exists():
        raise ValidationError({"template": _("Choose a template of the library or of this project.")})
    assessment = Assessment(
        project=project, template=template, kind=kind, title=(title or "").strip(), created_by=user
    )
    assessment.full_clean()
    leaves = _leaf_clauses_for(template, clause_numbers)
    if not leaves:
        raise ValidationError({"clause_numbers": _("The scope holds no clause with questions.")})
    auditor_ids = list(auditor_ids)
    _check_auditors(project, auditor_ids)
    assessment.save()
    if clause_numbers:
        assessment.scope_clauses.set(leaves)
    questions = Question.objects.filter(template=template, clause__in=leaves).order_by("order")
    created = Response.objects.bulk_create(Response(assessment=assessment, question=q) for q in questions)
    if not created:
        raise ValidationError({"clause_numbers": _("The scope holds no clause with questions.")})
    AssessmentAuditor.objects.bulk_create(
        AssessmentAuditor(assessment=assessment, user_id=uid) for uid in set(auditor_ids)
    )
    if kind == AssessmentKind.GAP:
        progress_refresh_on_commit(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="assessment created",
        message=ngettext_lazy(
            "%(kind)s “%(title)s” started (%(count)s question)",
            "%(kind)s “%(title)s” started (%(count)s questions)",
            "count",
        ),
        values={
            "kind": activity.choice(AssessmentKind, assessment.kind),
            "title": assessment.title,
            "count": len(created),
        },
        url=assessment.get_absolute_url(),
    )
    return assessment


@transaction.atomic
def assessment_assign_auditors(
    *, assessment: Assessment, assignments: Mapping[int, Iterable[str] | None], user
) -> list[AssessmentAuditor]:
    """Replace the assignments. `assignments` maps a user id to clause numbers (None/empty = all)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _check_auditors(assessment.project, assignments.keys())
    in_scope = set(
        Response.objects.filter(assessment=assessment).values_list("question__clause_id", flat=True)
    )
    rows = []
    for user_id, numbers in assignments.items():
        numbers = [n for n in (numbers or ()) if n]
        if not numbers:
            rows.append(AssessmentAuditor(assessment=assessment, user_id=user_id))
            continue
        try:
            leaves = _leaf_clauses_for(assessment.template, numbers)
        except ValidationError as error:
            raise ValidationError({"auditors": error.message_dict["clause_numbers"]}) from error
        leaves = [c for c in leaves if c.pk in in_scope]
        if not leaves:
            raise ValidationError({"auditors": _("Those clauses are not in this assessment's scope.")})
        rows.extend(AssessmentAuditor(assessment=assessment, user_id=user_id, clause=c) for c in leaves)
    AssessmentAuditor.objects.filter(assessment=assessment).delete()
    AssessmentAuditor.objects.bulk_create(rows)
    activity_record(
        project=assessment.project,
        actor=user,
        verb="auditors assigned",
        message=gettext_noop("Auditors of “%(title)s” changed"),
        values={"title": assessment.title},
        url=assessment.get_absolute_url(),
    )
    return rows


def response_save(
    *, response: Response, user, expected_version: int, result: str | None = None, notes: str | None = None
) -> Response:
    """Save an answer if nobody saved it since `expected_version`; otherwise raise EditConflict.

    One conditional UPDATE claims the row (the version check and the write are one statement), so
    two people saving the same answer cannot both win. Phase progress is refreshed after commit.
    No transaction.atomic here: the write is that single statement, atomic on its own, and the
    savepoint would cost two more round trips on the busiest write of the app.
    """
    if result is not None and result not in Result.values:
        raise ValidationError({"result": _("Choose one of the listed results.")})
    if response.assessment.is_finalised:
        raise ValidationError(_("This assessment is finalised; reopen it to change answers."))
    # The standard allows no exclusions: "not applicable" stands only with the reason written down.
    # The saved notes count when this save does not send any (a result-only change).
    final_result = result if result is not None else response.result
    final_notes = notes if notes is not None else response.notes
    if final_result == Result.NOT_APPLICABLE and not (final_notes or "").strip():
        raise ValidationError({"notes": NA_REASON_MISSING})
    clause = response.question.clause
    if result in GAP_RESULTS and clause.informative:
        raise ValidationError({"result": explanatory_clause_message(clause.number)})
    project_id = response.assessment.project_id
    if webhooks.listens(project_id, "answer.changed"):
        # The answer and its webhook event are written together (the event must not outlive a
        # rolled-back answer, nor an answer lack its event); without listeners, no transaction.
        with transaction.atomic():
            response = _response_write(response, user, expected_version, result, notes)
            webhooks.webhook_publish(
                project=project_id,
                name="answer.changed",
                key=f"answer.changed:{response.pk}:{response.version}",
                data={
                    "assessment": response.assessment_id,
                    "question": response.question.code,
                    "clause": response.question.clause.number,
                    "result": response.result,
                    "notes": response.notes,
                    "version": response.version,
                    "by": webhooks.actor(user),
                },
            )
        return response
    return _response_write(response, user, expected_version, result, notes)


def _response_write(response: Response, user, expected_version: int, result, notes) -> Response:
    changes = {"version": F("version") + 1, "updated_at": timezone.now()}
    if result is not None:
        changes["result"] = result
    if notes is not None:
        changes["notes"] = notes.strip()
    if result is not None or notes is not None:
        changes["answered_by"] = user
        changes["answered_at"] = changes["updated_at"]
    updated = Response.objects.filter(
        _still_open(response.assessment_id), pk=response.pk, version=expected_version
    ).update(**changes)
    if not updated:
        current = Response.objects.select_related("answered_by", "assessment").get(pk=response.pk)
        if current.assessment.is_finalised:
            raise ValidationError(_("This assessment is finalised; reopen it to change answers."))
        raise EditConflict(current)
    was_answered = response.result != Result.NOT_ASSESSED
    for name, value in changes.items():
        if name != "version":
            setattr(response, name, value)
    response.version = expected_version + 1
    answer_history_record(response, user)
    # An answer that leaves the progress alone refreshes nothing: the cached parts go here.
    pagecache.project_changed(response.assessment.project_id)
    if (
        result is not None
        and was_answered != (result != Result.NOT_ASSESSED)
        and response.assessment.kind == AssessmentKind.GAP
    ):
        progress_refresh_on_commit(response.assessment.project_id)
    return response


def _still_open(assessment_id: int) -> RawSQL:
    """The assessment's status as part of the answer's own UPDATE: an assessment finalised since the
    page was loaded takes no answer. On PostgreSQL the check takes a share lock on the assessment
    row, so it waits for a finalise in flight and then sees it (a plain read would see the last
    committed status and let the answer in); concurrent answers do not block each other. SQLite
    serialises writers, so it needs no lock."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    return RawSQL(
        f"EXISTS (SELECT 1 FROM {Assessment._meta.db_table} WHERE id = %s AND status = %s{lock})",
        [assessment_id, AssessmentStatus.IN_PROGRESS],
        output_field=BooleanField(),
    )


def _require_open(assessment: Assessment) -> None:
    if assessment.is_finalised:
        raise ValidationError(_("This assessment is finalised; reopen it to change it."))


def _lock_open(assessment_id: int) -> Assessment:
    """Lock the assessment row for the rest of the transaction and refuse it if finalised: a
    finalise waits for this write, or this write sees the finalise (never both pass)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
    _require_open(assessment)
    return assessment


@transaction.atomic
def evidence_add(
    *, response: Response, user, upload=None, url: str = "", description: str = "", entry: str = ""
) -> Evidence:
    """A file, a link, or a cited record (`entry` "<kind>:<id>", e.g. "sla_actual:12", one of the
    kinds apps declare as evidence sources): exactly one. A cited record must be the project's."""
    assessment = _lock_open(response.assessment_id)
    url = (url or "").strip()
    entry = (entry or "").strip()
    if entry and (upload or url):
        raise ValidationError(_("Cite a register entry, or attach a file or give a link: one of them."))
    if not entry and bool(upload) == bool(url):
        raise ValidationError(_("Attach a file or give a link (one of the two)."))
    evidence = Evidence(response=response, url=url, description=(description or "").strip(), added_by=user)
    if entry:
        evidence.entry_kind, evidence.entry_id, cited = _cited_entry(assessment.project, entry)
        evidence.entry_label, evidence.entry_path = cited.label[:300], cited.path[:300]
    if upload:
        checked = validate_upload(upload)
        check_project_quota(project=assessment.project, adding=checked.size)
        evidence.filename, evidence.content_type, evidence.size = (
            checked.name,
            checked.content_type,
            checked.size,
        )
        evidence.file.save(checked.name, upload, save=False)
    else:
        evidence.full_clean(exclude=["file"])
    evidence.save()
    pagecache.project_changed(assessment.project_id)
    return evidence


def _cited_entry(project, entry: str):
    """(kind, id, CitedEntry) of "<kind>:<id>"; a ValidationError for an unknown kind, a malformed
    id or an entry this project does not have (another project's entry is never cited)."""
    from kernel.extensions import evidence_sources

    kind, _, raw_id = entry.partition(":")
    source = evidence_sources().get(kind)
    if source is None:
        raise ValidationError(
            {
                "entry": gettext("Choose a register entry to cite (unknown kind %(repr)s).")
                % {"repr": repr(kind[:30])}
            }
        )
    try:
        entry_id = int(raw_id)
        if not 1 <= entry_id < 2**63:
            raise ValueError(raw_id)
    except ValueError:
        raise ValidationError({"entry": gettext("Choose a register entry to cite.")}) from None
    cited = source.resolve(project, entry_id)
    if cited is None:
        raise ValidationError(
            {
                "entry": gettext("This project has no %(label)s with id %(entry_id)s.")
                % {"label": source.label, "entry_id": entry_id}
            }
        )
    return kind, entry_id, cited


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user) -> None:
    """The uploader's own evidence is deleted (file too); anyone else's is kept, marked removed."""
    assessment = _lock_open(evidence.response.assessment_id)
    pagecache.project_changed(assessment.project_id)
    evidence._history_user = user  # the history row says who, also outside a web request
    if evidence.added_by_id != user.pk:
        evidence.deleted_at, evidence.deleted_by = timezone.now(), user
        evidence.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        return
    stored = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage if evidence.file else None
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def default_remediation_phase(question: Question) -> str:
    """Missing documents are written in phase 6; everything else is put to work in phase 7."""
    if question.documented_information == DocumentedInformation.DOCUMENT:
        return PhaseKey.PROCESS_DOCUMENTATION
    return PhaseKey.PROCESS_IMPLEMENTATION


@transaction.atomic
def remediation_task_create(
    *, response: Response, user, phase: Phase | None = None, **fields
) -> tuple[Task, bool]:
    """A task in the roadmap, linked to the answer, for a nonconformant or partial answer.

    An answer has at most one open remediation task: a second request (a double-click, two
    auditors at once) gets the open task back instead of a duplicate. The answer's row lock
    makes the second request wait for the first one's commit. Returns (task, created)."""
    response = (
        Response.objects.select_for_update()
        .select_related("assessment", "question__clause")
        .get(pk=response.pk)
    )
    assessment = response.assessment
    _require_open(assessment)
    if not response.is_gap:
        raise ValidationError(
            _("Only a nonconformant or partially conformant answer needs a remediation task.")
        )
    existing = response.remediation_tasks.exclude(status=TaskStatus.DONE).order_by("pk").first()
    if existing is not None:
        return existing, False
    question = response.question
    if phase is None:
        phase = Phase.objects.get(project_id=assessment.project_id, key=default_remediation_phase(question))
    title = fields.pop("title", "") or gettext("Close gap %(code)s: %(text)s") % {
        "code": question.code,
        "text": question.text,
    }
    description = fields.pop("description", "") or (
        gettext(
            "Raised from “%(title)s”, %(number)s %(clause_title)s, answer: %(result)s.\n\nQuestion: %(text)s"
        )
        % {
            "title": assessment.title,
            "number": question.clause.number,
            "clause_title": question.clause.title,
            "result": response.get_result_display().lower(),
            "text": question.text,
        }
        + (f"\n\nNotes: {response.notes}" if response.notes else "")
    )
    task = task_create(
        project=assessment.project,
        user=user,
        phase=phase,
        title=title[:200],
        description=description,
        **fields,
    )
    response.remediation_tasks.add(task)
    return task, True


class UnexplainedNotApplicable(ValidationError):
    """Finalising refused: answers marked not applicable without a reason (`codes` lists them)."""

    def __init__(self, codes: list[str]):
        self.codes = codes
        super().__init__(
            ngettext(
                "%(count)s answer is marked not applicable without a reason: %(codes)s. The standard "
                "allows no exclusions, so say in the notes why each does not apply (or answer it), "
                "then finalise.",
                "%(count)s answers are marked not applicable without a reason: %(codes)s. The standard "
                "allows no exclusions, so say in the notes why each does not apply (or answer it), "
                "then finalise.",
                len(codes),
            )
            % {"count": len(codes), "codes": ", ".join(codes)}
        )


def unexplained_not_applicable(assessment: Assessment) -> list[str]:
    """Question codes answered "not applicable" with no reason in the notes, in checklist order."""
    return list(
        Response.objects.filter(assessment=assessment, result=Result.NOT_APPLICABLE)
        .filter(Q(notes="") | Q(notes__regex=r"^\s*$"))
        .order_by("question__order")
        .values_list("question__code", flat=True)
    )


@transaction.atomic
def assessment_finalise(*, assessment: Assessment, user, expected_version: int | None = None) -> Assessment:
    assessment = _lock(assessment, expected_version)
    if assessment.is_finalised:
        return assessment
    if assessment.kind == AssessmentKind.GAP and (codes := unexplained_not_applicable(assessment)):
        raise UnexplainedNotApplicable(codes)
    assessment.status = AssessmentStatus.FINALISED
    assessment.finalised_at, assessment.finalised_by = timezone.now(), user
    assessment.version += 1
    assessment.save()
    if assessment.kind == AssessmentKind.GAP:
        _gap_phase_set(assessment, done=True)
    activity_record(
        project=assessment.project,
        actor=user,
        verb="assessment finalised",
        message=gettext_noop("“%(title)s” finalised"),
        values={"title": assessment.title},
        url=assessment.get_absolute_url(),
    )
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user, expected_version: int | None = None) -> Assessment:
    assessment = _lock(assessment, expected_version)
    if not assessment.is_finalised:
        return assessment
    assessment.status = AssessmentStatus.IN_PROGRESS
    assessment.reopened_at, assessment.reopened_by = timezone.now(), user
    assessment.version += 1
    assessment.save()
    if assessment.kind == AssessmentKind.GAP:
        _gap_phase_set(assessment, done=False)
    activity_record(
        project=assessment.project,
        actor=user,
        verb="assessment reopened",
        message=gettext_noop("“%(title)s” reopened"),
        values={"title": assessment.title},
        url=assessment.get_absolute_url(),
    )
    return assessment


def _lock(assessment: Assessment, expected_version: int | None) -> Assessment:
    locked = Assessment.objects.select_for_update().select_related("project").get(pk=assessment.pk)
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(locked)
    return locked


def _is_latest_gap(assessment: Assessment) -> bool:
    latest = (
        Assessment.objects.filter(project_id=assessment.project_id, kind=AssessmentKind.GAP)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return latest == assessment.pk


def _gap_phase_set(assessment: Assessment, *, done: bool) -> None:
    """Finalising the latest gap assessment marks phase 3 done; reopening it puts it back in progress."""
    if not _is_latest_gap(assessment):
        return
    phase = Phase.objects.select_for_update().filter(project_id=assessment.project_id, key=GAP_PHASE).first()
    if phase is None:
        return
    today = timezone.localdate()
    if done and phase.status != PhaseStatus.DONE:
        phase.status = PhaseStatus.DONE
        phase.actual_start = phase.actual_start or today
        phase.actual_end = max(today, phase.actual_start)
    elif not done and phase.status == PhaseStatus.DONE:
        phase.status, phase.actual_end = PhaseStatus.IN_PROGRESS, None
    else:
        return
    phase.version += 1
    phase.save(update_fields=["status", "actual_start", "actual_end", "version", "updated_at"])
    progress_refresh_on_commit(assessment.project_id)


# What a member holds, handed over when they leave (projects.responsibilities) -----------------


def _auditor_assignments(project, user):
    return AssessmentAuditor.objects.filter(
        assessment__project=project, assessment__status=AssessmentStatus.IN_PROGRESS, user=user
    ).select_related("assessment", "clause")


def _hand_over_assignments(assignments, project, old, new) -> None:
    """The successor takes each assignment; one they already have is not doubled."""
    for assignment in list(assignments):
        taken = AssessmentAuditor.objects.filter(
            assessment_id=assignment.assessment_id, user=new, clause_id=assignment.clause_id
        ).exists()
        if taken:
            assignment.delete()
        else:
            AssessmentAuditor.objects.filter(pk=assignment.pk).update(user=new, updated_at=timezone.now())


AUDITOR_ASSIGNMENTS = Responsibility(
    gettext_lazy("Checklists they fill"), _auditor_assignments, reassign=_hand_over_assignments
)
