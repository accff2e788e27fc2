"""Pages of the operating evidence drawn from tickets: figures and frozen months, the mapping
rules, one population with its differences, the auditor's sample worksheet."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kernel.access import get_project_for_user
from kernel.concurrency import EditConflict
from kernel.formtools import add_validation_error, conflict_form, versioned_edit
from kernel.spreadsheets import Sheet, workbook_bytes
from projects.models import Role

from . import selectors, services
from .forms import EvidenceForm, FindingForm, MarkForm, RuleForm
from .mapping import project_rules
from .models import MappingRule, Population, Sample, SampleItem, Verdict
from .permissions import can_edit_rules, can_freeze, can_sample
from .populations import KEY_FIELDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 50


def overview(request, project_id):
    access = get_project_for_user(request, project_id)
    project = access.project
    rules = project_rules(project)
    page = Paginator(selectors.populations(project), 24).get_page(request.GET.get("page"))
    return render(
        request,
        "ticket_evidence/overview.html",
        {
            "project": project,
            "rules": rules,
            "figures": selectors.figures_overview(project, rules=rules),
            "page": page,
            "can_freeze": can_freeze(access),
            "can_edit_rules": can_edit_rules(access),
        },
    )


@require_POST
def freeze(request, project_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    made = services.freeze_closed_months(project=access.project, user=request.user)
    if made:
        messages.success(
            request, f"{len(made)} month{'s' if len(made) != 1 else ''} frozen as operating evidence."
        )
    else:
        messages.info(request, "Nothing to freeze: every closed month with tickets is frozen already.")
    return redirect("ticket_evidence:overview", access.project.pk)


def rules(request, project_id):
    access = get_project_for_user(request, project_id)
    project = access.project
    form = RuleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        access.require(can_edit_rules(access))
        if form.is_valid():
            try:
                services.rule_create(project=project, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, "Rule added.")
                return redirect("ticket_evidence:rules", project.pk)
        status = 422
    return render(
        request,
        "ticket_evidence/rules.html",
        {
            "project": project,
            "rules": project_rules(project),
            "form": form,
            "can_edit": can_edit_rules(access),
        },
        status=status,
    )


def _rule(project, rule_id) -> MappingRule:
    return get_object_or_404(MappingRule, pk=rule_id, project=project)


def rule_edit(request, project_id, rule_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    project = access.project
    rule = _rule(project, rule_id)
    form = RuleForm(request.POST or None, instance=rule)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.rule_update(
            rule=rule, user=request.user, expected_version=version, **data
        ),
        on_conflict=lambda current: conflict_form(
            RuleForm, current, noun=pgettext("record being edited", "rule")
        ),
    )
    if edit.saved:
        messages.success(request, "Rule saved.")
        return redirect("ticket_evidence:rules", project.pk)
    return render(
        request,
        "ticket_evidence/rule_form.html",
        {"project": project, "form": edit.form, "rule": rule},
        status=edit.status,
    )


@require_POST
def rule_move(request, project_id, rule_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    rule = _rule(access.project, rule_id)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponse("The form did not say which version of the rule it moves.", status=400)
    try:
        services.rule_move(
            rule=rule, user=request.user, expected_version=version, up=request.POST.get("up") == "1"
        )
    except EditConflict:
        messages.error(
            request, "Someone else changed this rule meanwhile; the list now shows the saved order."
        )
        return render(
            request,
            "ticket_evidence/rules.html",
            {
                "project": access.project,
                "rules": project_rules(access.project),
                "form": RuleForm(),
                "can_edit": True,
            },
            status=409,
        )
    return redirect("ticket_evidence:rules", access.project.pk)


def rule_delete(request, project_id, rule_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    rule = _rule(access.project, rule_id)
    if request.method == "POST":
        services.rule_delete(rule=rule, user=request.user)
        messages.success(request, "Rule deleted.")
        return redirect("ticket_evidence:rules", access.project.pk)
    return render(
        request,
        "confirm_delete.html",
        {
            "project": access.project,
            "title": "Delete this rule?",
            "body": f"“{rule}” no longer maps tickets. Frozen months keep the rules they were made with.",
            "confirm_label": "Delete rule",
            "cancel_url": reverse("ticket_evidence:rules", args=[access.project.pk]),
        },
    )


def _population(project, population_id) -> Population:
    return get_object_or_404(
        Population.objects.select_related("frozen_by", "entry"), pk=population_id, project=project
    )


def population(request, project_id, population_id):
    access = get_project_for_user(request, project_id)
    project = access.project
    frozen = _population(project, population_id)
    page = Paginator(selectors.population_rows(frozen), PER_PAGE).get_page(request.GET.get("page"))
    sample = Sample.objects.filter(population=frozen).first()
    return render(
        request,
        "ticket_evidence/population.html",
        {
            "project": project,
            "population": frozen,
            "label": selectors.process_label(frozen.clause),
            "page": page,
            "sample": sample,
            "can_sample": can_sample(access),
            **selectors.population_detail(frozen),
        },
    )


def population_by_month(request, project_id, process_slug, month):
    """The address an evidence entry cites: the process and the month, stable before the row exists."""
    access = get_project_for_user(request, project_id)
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError as error:
        raise Http404("No such month.") from error
    frozen = get_object_or_404(
        Population, project=access.project, clause=process_slug.replace("-", "."), month=first
    )
    return redirect(frozen.get_absolute_url())


def population_export(request, project_id, population_id):
    access = get_project_for_user(request, project_id)
    frozen = _population(access.project, population_id)
    headers = ["Connector", "Ticket", *KEY_FIELDS]
    rows = (
        [row["connector_id"], row["external_id"], *(row[name] for name in KEY_FIELDS)]
        for row in selectors.population_rows(frozen).values("connector_id", "external_id", *KEY_FIELDS)
    )
    preamble = [
        [f"{selectors.process_label(frozen.clause)}, {frozen.month:%B %Y}"],
        [
            f"{frozen.count} tickets, SHA-256 {frozen.checksum}, "
            f"frozen {timezone.localtime(frozen.frozen_at):%Y-%m-%d %H:%M}"
        ],
    ]
    body = workbook_bytes(Sheet("Population", headers, rows, preamble=preamble))
    response = HttpResponse(body, content_type=XLSX)
    filename = f"population-{frozen.clause}-{frozen.month:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def sample_draw(request, project_id, population_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD, Role.AUDITOR])
    frozen = _population(access.project, population_id)
    try:
        sample = services.sample_draw(population=frozen, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(frozen.get_absolute_url())
    return redirect(sample.get_absolute_url())


def _sample(project, sample_id) -> Sample:
    return get_object_or_404(
        Sample.objects.select_related("population", "drawn_by"), pk=sample_id, population__project=project
    )


def sample(request, project_id, sample_id):
    access = get_project_for_user(request, project_id)
    project = access.project
    drawn = _sample(project, sample_id)
    items = list(selectors.sample_items(drawn))
    allowed = can_sample(access)
    forms = {item.pk: MarkForm(instance=item, prefix=f"i{item.pk}") for item in items} if allowed else {}
    for item in items:
        item.form = forms.get(item.pk)
    counts = selectors.sample_counts(drawn)
    return render(
        request,
        "ticket_evidence/sample.html",
        {
            "project": project,
            "sample": drawn,
            "population": drawn.population,
            "label": selectors.process_label(drawn.population.clause),
            "items": items,
            "counts": counts,
            "done": counts[Verdict.PENDING] == 0,
            "can_sample": allowed,
        },
    )


def _item(project, sample_id, item_id) -> SampleItem:
    return get_object_or_404(
        SampleItem.objects.select_related("sample__population", "ticket"),
        pk=item_id,
        sample_id=sample_id,
        sample__population__project=project,
    )


def item_mark(request, project_id, sample_id, item_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD, Role.AUDITOR])
    project = access.project
    item = _item(project, sample_id, item_id)
    form = MarkForm(request.POST or None, instance=item, prefix=f"i{item.pk}")
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.item_mark(
            item=item, user=request.user, expected_version=version, **data
        ),
        on_conflict=lambda current: conflict_form(
            MarkForm, current, noun=pgettext("record being edited", "sampled ticket"), prefix=f"i{item.pk}"
        ),
    )
    if edit.saved:
        messages.success(request, f"Ticket {item.ticket.external_id} marked.")
        return redirect(item.sample.get_absolute_url() + f"#item-{item.pk}")
    return render(
        request,
        "ticket_evidence/item_form.html",
        {"project": project, "item": item, "form": edit.form},
        status=edit.status,
    )


def item_finding(request, project_id, sample_id, item_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD, Role.AUDITOR])
    project = access.project
    item = _item(project, sample_id, item_id)
    if item.verdict != Verdict.NONCONFORMING:
        messages.error(request, "Mark the ticket not conforming (with a note) before raising a finding.")
        return redirect(item.sample.get_absolute_url())
    if item.finding_id:
        return redirect(item.finding.get_absolute_url())
    form = FindingForm(request.POST or None, project=project, process_clause=item.sample.population.clause)
    if request.method == "POST":
        if form.is_valid():
            try:
                finding = services.item_raise_finding(item=item, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, f"{finding.reference} raised from the sample.")
                return redirect(finding.get_absolute_url())
        return render(
            request,
            "ticket_evidence/item_finding.html",
            {"project": project, "item": item, "form": form},
            status=422,
        )
    return render(
        request, "ticket_evidence/item_finding.html", {"project": project, "item": item, "form": form}
    )


def sample_evidence(request, project_id, sample_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD, Role.AUDITOR])
    project = access.project
    drawn = _sample(project, sample_id)
    responses = list(selectors.evidence_choices(access, drawn.population.clause))
    form = EvidenceForm(request.POST or None, responses=responses)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.sample_record_evidence(
                    sample=drawn, user=request.user, response=form.cleaned_data["response"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, "The sample's results are now evidence on the checklist.")
                return redirect(drawn.get_absolute_url())
        return render(
            request,
            "ticket_evidence/sample_evidence.html",
            {"project": project, "sample": drawn, "form": form},
            status=422,
        )
    return render(
        request, "ticket_evidence/sample_evidence.html", {"project": project, "sample": drawn, "form": form}
    )
