"""Helpers shared by the gap-analysis views: the assessment of a project and answer permission."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from sms_tracker.core.access import get_project_for_user

from .. import selectors
from ..models import Assessment, AssessmentAuditor, Response
from ..permissions import ANSWERER_ROLES


def assessment_for(request, project_id, assessment_id):
    """(access, assessment) — 404 for non-members and for an assessment of another project."""
    access = get_project_for_user(request, project_id)
    try:
        assessment = selectors.assessment_get(project=access.project, assessment_id=assessment_id)
    except Assessment.DoesNotExist as missing:
        raise Http404("No such assessment.") from missing
    return access, assessment


def response_for(access, assessment_id, response_id) -> Response:
    """The response with its assessment and question, and whether the user is assigned to its
    clause (annotated as `assigned`): one query."""
    assigned = AssessmentAuditor.objects.filter(
        assessment=OuterRef("assessment_id"), user=access.user
    ).filter(Q(clause__isnull=True) | Q(clause_id=OuterRef("question__clause_id")))
    try:
        return (
            Response.objects.select_related("assessment", "question__clause")
            .annotate(assigned=Exists(assigned))
            .get(pk=response_id, assessment_id=assessment_id, assessment__project=access.project)
        )
    except Response.DoesNotExist as missing:
        raise Http404("No such answer.") from missing


def may_answer(access, response: Response) -> bool:
    if response.assessment.is_finalised or access.role not in ANSWERER_ROLES:
        return False
    return access.is_lead or response.assigned
