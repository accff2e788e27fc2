"""Records of the other apps for the background-work tests, made through their services."""

from itertools import cycle

from gapanalysis import services as gap_services
from gapanalysis.models import Response, Result
from tests.gapanalysis.factories import iso_template

RESULTS = (Result.CONFORMANT, Result.PARTIAL, Result.NONCONFORMANT, Result.CONFORMANT, Result.NOT_APPLICABLE)


def make_gap_assessment(project, *, user, title="Baseline gap analysis", answer_all=True):
    template = iso_template()  # reloaded if a transactional test flushed the migration's data
    assessment = gap_services.assessment_create(project=project, template=template, title=title, user=user)
    if answer_all:
        results = cycle(RESULTS)
        for response in Response.objects.filter(assessment=assessment).order_by("id"):
            Response.objects.filter(pk=response.pk).update(
                result=next(results), notes=f"Observed during the workshop ({response.pk})."
            )
    return assessment
