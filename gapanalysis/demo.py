"""Demo gap analysis for seed_demo: a finalised baseline and a follow-up half answered; for the
certified project the same baseline and a finalised follow-up with every gap closed."""

from django.utils import timezone

from gapanalysis import services
from gapanalysis.models import GAP_RESULTS, ISO_TEMPLATE_SLUG, ChecklistTemplate, Response, Result
from kernel.clauses import top_clause
from projects.demo_clock import days_ago, demo_clock

# Baseline result by top-level clause, then by question position: a realistic spread of gaps.
BASELINE = {
    "4": (Result.PARTIAL, Result.NONCONFORMANT, Result.CONFORMANT),
    "5": (Result.CONFORMANT, Result.PARTIAL),
    "6": (Result.NONCONFORMANT, Result.PARTIAL),
    "7": (Result.PARTIAL, Result.CONFORMANT, Result.NONCONFORMANT),
    "8": (Result.CONFORMANT, Result.PARTIAL, Result.NONCONFORMANT, Result.PARTIAL),
    "9": (Result.NONCONFORMANT, Result.PARTIAL),
    "10": (Result.NONCONFORMANT,),
}


NOT_APPLICABLE = (
    (
        "GA-8.5.2.1-03",
        "No service has been removed or transferred since the SMS started; the removal plan template "
        "exists and will be checked when the first removal is planned.",
    ),
    (
        "GA-8.3.4.2-01",
        "There are no customers acting as suppliers; internal suppliers are covered by the OLA register "
        "(answered under 8.3.4.2-02).",
    ),
)


def _answer(assessment, user, pick) -> None:
    now = timezone.now()
    responses = Response.objects.filter(assessment=assessment).select_related("question__clause")
    for index, response in enumerate(responses.order_by("id")):
        result = pick(top_clause(response.question.clause.number), index)
        if result is None:
            continue
        if result in GAP_RESULTS and response.question.clause.informative:
            result = Result.CONFORMANT  # an explanatory clause (8.3.1) holds no gap
        Response.objects.filter(pk=response.pk).update(
            result=result, answered_by=user, answered_at=now, version=response.version + 1
        )


def _template():
    return ChecklistTemplate.objects.library().filter(slug=ISO_TEMPLATE_SLUG).order_by("-version").first()


def _baseline(project, users, template):
    auditor, lead = users["auditor"], users["lead"]
    baseline = services.assessment_create(
        project=project, template=template, title="Baseline gap analysis", auditor_ids=[auditor.pk], user=lead
    )
    _answer(baseline, auditor, lambda top, i: BASELINE[top][i % len(BASELINE[top])])
    return services.assessment_finalise(assessment=baseline, user=lead)


def seed_gap_analysis(project, users) -> None:
    template = _template()
    if template is None:
        return
    auditor, lead = users["auditor"], users["lead"]
    _baseline(project, users, template)

    follow_up = services.assessment_create(
        project=project,
        template=template,
        title="Follow-up before the internal audit",
        auditor_ids=[auditor.pk],
        user=lead,
    )
    # The follow-up has covered clauses 4 to 7 so far, most of them now conformant.
    _answer(
        follow_up,
        auditor,
        lambda top, i: (
            (Result.PARTIAL if i % 5 == 0 else Result.CONFORMANT) if top in ("4", "5", "6", "7") else None
        ),
    )
    # Two questions the team judged not applicable, each with the reason an auditor will ask for.
    for code, reason in NOT_APPLICABLE:
        Response.objects.filter(assessment=follow_up, question__code=code).update(
            result=Result.NOT_APPLICABLE, notes=reason, answered_by=auditor, answered_at=timezone.now()
        )


# The certified demo project: the same baseline early on, and a follow-up before the internal audits
# that found every gap closed, both finalised (audits.demo_certified: internal audits 330 days ago).
CERTIFIED_BASELINE_DAYS_AGO = 560
CERTIFIED_FOLLOW_UP_DAYS_AGO = 350


def seed_certified_gap_analysis(project, users) -> None:
    template = _template()
    if template is None:
        return
    auditor, lead = users["auditor"], users["lead"]
    with demo_clock(days_ago(CERTIFIED_BASELINE_DAYS_AGO, 15)):
        _baseline(project, users, template)
    with demo_clock(days_ago(CERTIFIED_FOLLOW_UP_DAYS_AGO, 15)):
        follow_up = services.assessment_create(
            project=project,
            template=template,
            title="Follow-up before the internal audits",
            auditor_ids=[auditor.pk],
            user=lead,
        )
        _answer(follow_up, auditor, lambda top, i: Result.CONFORMANT)
        for code, reason in NOT_APPLICABLE:
            Response.objects.filter(assessment=follow_up, question__code=code).update(
                result=Result.NOT_APPLICABLE, notes=reason, answered_by=auditor, answered_at=timezone.now()
            )
        services.assessment_finalise(assessment=follow_up, user=lead)
