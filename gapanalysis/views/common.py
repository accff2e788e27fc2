"""Helpers shared by the gap-analysis views: the assessment of a project and answer permission."""

from collections.abc import Iterable

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext as _

from kernel.access import get_project_for_user

from .. import selectors
from ..models import Assessment, AssessmentAuditor, Question, Response
from ..permissions import ANSWERER_ROLES


def assessment_for(request, project_id, assessment_id):
    """(access, assessment) — 404 for non-members and for an assessment of another project."""
    access = get_project_for_user(request, project_id)
    try:
        assessment = selectors.assessment_get(project=access.project, assessment_id=assessment_id)
    except Assessment.DoesNotExist as missing:
        raise Http404(_("No such assessment.")) from missing
    return access, assessment


# What saving an answer reads of it (also when the form comes back after a conflict or refused
# input): the answer, its assessment's state and the question's code and clause (for the webhook;
# whether the clause is explanatory, for the rule that an answer there is never a nonconformity).
# Not the question's text and guidance, nor the assessment's other columns: the autosave is the
# busiest request of the app, and the ORM's cost grows with the columns it selects.
SAVE_FIELDS = (
    *(f.name for f in Response._meta.concrete_fields if f.name not in ("created_at", "updated_at")),
    "assessment__status",
    "assessment__kind",
    "assessment__project",
    "question__code",
    "question__clause__number",
    "question__clause__informative",
)


def response_for(access, assessment_id, response_id, *, only: Iterable[str] | None = None) -> Response:
    """The response with its assessment and question, and whether the user is assigned to its
    clause (annotated as `assigned`): one query. `only` limits the columns read (SAVE_FIELDS)."""
    responses = Response.objects.select_related("assessment", "question__clause")
    if only is not None:
        responses = responses.only(*only)
    try:
        return responses.annotate(assigned=_assigned(access.membership.user_id)).get(
            pk=response_id, assessment_id=assessment_id, assessment__project_id=access.project.pk
        )
    except Response.DoesNotExist as missing:
        raise Http404(_("No such answer.")) from missing


def _assigned(user_id) -> RawSQL:
    """Whether the user is assigned to the answer's assessment (all of it, or the question's clause).
    Written out: the same Exists() built from querysets and OuterRefs cost the ORM about as much
    again as the rest of the query, on every autosave. The question's table is joined by the
    select_related of response_for, under its own name."""
    return RawSQL(
        f'EXISTS (SELECT 1 FROM "{AssessmentAuditor._meta.db_table}" aa'
        f' WHERE aa.assessment_id = "{Response._meta.db_table}".assessment_id AND aa.user_id = %s'
        f' AND (aa.clause_id IS NULL OR aa.clause_id = "{Question._meta.db_table}".clause_id))',
        [user_id],
        output_field=BooleanField(),
    )


def may_answer(access, response: Response) -> bool:
    if response.assessment.is_finalised or access.role not in ANSWERER_ROLES:
        return False
    return access.is_lead or response.assigned
