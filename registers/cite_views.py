"""The "Cite a register entry" page of a checklist answer (issue 23 §2): the project's services, SLA
months, suppliers and risks, filtered by kind and searched, paginated; citing one adds evidence of
kind "entry" to the answer through gapanalysis.services.evidence_add (which resolves the entry in the
answer's project again: a forged id of another project's entry is refused with 422)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from gapanalysis import services as gap_services
from gapanalysis.views.common import may_answer, response_for
from kernel.access import get_project_for_user

from .evidence import KINDS, citable_entries

PER_PAGE = 25


def _clause_url(response) -> str:
    assessment = response.assessment
    return reverse(
        "gapanalysis:clause", args=[assessment.project_id, assessment.pk, response.question.clause.number]
    )


@require_http_methods(["GET", "POST"])
def cite(request, project_id, assessment_id, response_id):
    access = get_project_for_user(request, project_id)
    response = response_for(access, assessment_id, response_id)
    access.require(may_answer(access, response))
    kind_key = request.GET.get("kind") if request.GET.get("kind") in KINDS else "sla_actual"
    error, status = "", 200
    if request.method == "POST":
        try:
            entry, description = request.POST.get("entry", ""), request.POST.get("description", "")
            if "\x00" in entry or "\x00" in description:  # PostgreSQL text cannot hold NUL
                raise ValidationError("Null characters are not allowed.")
            gap_services.evidence_add(
                response=response, user=request.user, entry=entry, description=description[:200]
            )
        except ValidationError as refused:
            error, status = " ".join(refused.messages), 422
        else:
            messages.success(request, "Register entry cited as evidence.")
            return redirect(_clause_url(response) + f"#q-{response.pk}")
    kind = KINDS[kind_key]
    query = request.GET.get("q", "")[:100]
    page = Paginator(citable_entries(access.project, kind_key, query), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(entry.pk, kind.label_of(entry), kind.path_of(entry)) for entry in page]
    context = {
        "project": access.project,
        "response": response,
        "kinds": KINDS.values(),
        "kind": kind,
        "query": query,
        "page": page,
        "rows": rows,
        "error": error,
        "back_url": _clause_url(response) + f"#q-{response.pk}",
    }
    return render(request, "registers_feed/cite.html", context, status=status)
