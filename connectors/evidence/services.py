"""Writes of the ticket evidence: the mapping rules, freezing months, samples and their worksheet,
and what their results become (checklist evidence, findings). Views call these only."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, ngettext, ngettext_lazy

from audits.models import FindingSource
from audits.services import nonconformity_create
from connectors.models import Ticket
from connectors.normalise import cut
from documents.models import EvidenceOrigin
from documents.operation.processes import process_by_clause
from documents.operation.services import entry_create
from gapanalysis.models import Response
from gapanalysis.services import evidence_add
from kernel.concurrency import lock_for_edit
from projects import activity
from projects.models import Project
from projects.services import activity_record

from . import sampling
from .catalogue import record_sla_actuals
from .figures import month_starts
from .mapping import annotate_process, project_rules, rules_snapshot
from .models import FrozenTicket, MappingRule, Population, Sample, SampleItem, Verdict
from .populations import checksum, frozen_values, is_closed, month_bounds, month_end, month_tickets

# Mapping rules ---------------------------------------------------------------------------------


def _check_rule(rule: MappingRule) -> None:
    rule.value = (rule.value or "").strip()
    if rule.clause not in process_by_clause():
        raise ValidationError({"clause": gettext("Choose an operating process.")})
    rule.full_clean(exclude=["project"])


@transaction.atomic
def rule_create(*, project: Project, user, field: str, value: str, clause: str) -> MappingRule:
    Project.objects.select_for_update().filter(pk=project.pk).first()  # serialises positions
    last = MappingRule.objects.filter(project=project).aggregate(n=Max("position"))["n"]
    rule = MappingRule(project=project, field=field, value=value, clause=clause, position=(last or 0) + 1)
    _check_rule(rule)
    rule.save()
    activity_record(
        project=project,
        actor=user,
        verb="ticket rule",
        message=gettext_noop("Ticket rule added: %(rule)s"),
        values={"rule": str(rule)},
    )
    return rule


@transaction.atomic
def rule_update(*, rule: MappingRule, user, expected_version: int, field: str, value: str, clause: str):
    rule = lock_for_edit(MappingRule, rule.pk, expected_version=expected_version)
    rule.field, rule.value, rule.clause = field, value, clause
    _check_rule(rule)
    rule.version += 1
    rule.save()
    activity_record(
        project=rule.project,
        actor=user,
        verb="ticket rule",
        message=gettext_noop("Ticket rule edited: %(rule)s"),
        values={"rule": str(rule)},
    )
    return rule


@transaction.atomic
def rule_move(*, rule: MappingRule, user, expected_version: int, up: bool) -> MappingRule:
    """Swap the rule with its neighbour above or below (first match wins, so order matters)."""
    rule = lock_for_edit(MappingRule, rule.pk, expected_version=expected_version)
    rules = list(
        MappingRule.objects.select_for_update().filter(project_id=rule.project_id).order_by("position", "id")
    )
    index = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(rules):
        rules[index], rules[other] = rules[other], rules[index]
    for position, each in enumerate(rules, start=1):
        if each.position != position or each.pk == rule.pk:
            each.position = position
            each.version += 1 if each.pk == rule.pk else 0
            each.save(update_fields=["position", "version", "updated_at"])
    return next(r for r in rules if r.pk == rule.pk)


@transaction.atomic
def rule_delete(*, rule: MappingRule, user) -> None:
    project, text = rule.project, str(rule)
    rule.delete()
    activity_record(
        project=project,
        actor=user,
        verb="ticket rule",
        message=gettext_noop("Ticket rule deleted: %(rule)s"),
        values={"rule": text},
    )


# Frozen populations ----------------------------------------------------------------------------


def population_url(project_id: int, clause: str, month: date) -> str:
    return reverse(
        "ticket_evidence:population_by_month", args=[project_id, clause.replace(".", "-"), f"{month:%Y-%m}"]
    )


@transaction.atomic
def population_freeze(
    *, project: Project, clause: str, month: date, user, today: date | None = None
) -> Population:
    """Freeze one process's month: its tickets' key fields, count and checksum, and the evidence
    entry that cites them. Freezing it again returns the population made the first time."""
    month = month.replace(day=1)
    if clause not in process_by_clause():
        raise ValidationError(gettext("Choose an operating process."))
    if not is_closed(month, today):
        raise ValidationError(
            gettext("%(month)s is not over yet: only a closed month can be frozen.")
            % {"month": date_format(month, "F Y")}
        )
    Project.objects.select_for_update().filter(pk=project.pk).first()  # two freezes in turn
    existing = Population.objects.filter(project=project, clause=clause, month=month).first()
    if existing:
        record_sla_actuals([existing], user=user)  # a catalogue target added since gets its figure
        return existing
    rules = project_rules(project)
    rows = [frozen_values(row) for row in month_tickets(project, clause, month, rules)]
    digest = checksum(rows)
    process = process_by_clause()[clause]
    entry = entry_create(
        project=project,
        process=process,
        user=user,
        on=month_end(month),
        period_start=month,
        summary=cut(
            ngettext(
                "%(month)s: %(count)s %(process)s ticket frozen (SHA-256 %(digest)s…)",
                "%(month)s: %(count)s %(process)s tickets frozen (SHA-256 %(digest)s…)",
                len(rows),
            )
            % {
                "month": date_format(month, "F Y"),
                "count": len(rows),
                "process": str(process.title).lower(),
                "digest": digest[:16],
            },
            300,
        )[0],
        link=settings.SITE_URL + population_url(project.pk, clause, month),
        origin=EvidenceOrigin.CONNECTOR,
    )
    population = Population.objects.create(
        project=project,
        clause=clause,
        month=month,
        count=len(rows),
        checksum=digest,
        rules_used=rules_snapshot(rules),
        frozen_at=timezone.now(),
        frozen_by=user,
        entry=entry,
    )
    FrozenTicket.objects.bulk_create(FrozenTicket(population=population, **row) for row in rows)
    record_sla_actuals([population], user=user)
    activity_record(
        project=project,
        actor=user,
        verb="population frozen",
        message=ngettext_lazy(
            "%(process)s, %(month)s: %(count)s ticket frozen",
            "%(process)s, %(month)s: %(count)s tickets frozen",
            "count",
        ),
        values={
            "process": activity.joined([process.clause, activity.nested(process.title)], " "),
            "month": activity.day(month, "F Y"),
            "count": len(rows),
        },
        url=population.get_absolute_url(),
    )
    return population


def months_to_freeze(project, *, today: date | None = None, months: int = 12) -> list[tuple[str, date]]:
    """(clause, month) of every closed month in the last `months` with mapped tickets and no
    population yet (2 queries plus the rules)."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    first = this_month
    for _ in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
    start, _ = month_bounds(first)
    end, _ = month_bounds(this_month)
    rules = project_rules(project)
    tickets = annotate_process(
        Ticket.objects.filter(project=project, opened_at__gte=start, opened_at__lt=end), rules
    )
    found = {
        (row["process"], (row["m"].date() if hasattr(row["m"], "date") else row["m"]))
        for row in tickets.exclude(process="")
        .annotate(m=TruncMonth("opened_at"))
        .values("process", "m")
        .annotate(n=Count("id"))
        .order_by()
    }
    frozen = set(Population.objects.filter(project=project).values_list("clause", "month"))
    return sorted(found - frozen, key=lambda pair: (pair[1], pair[0]))


def freeze_closed_months(*, project: Project, user, today: date | None = None) -> list[Population]:
    """Freeze every closed month not frozen yet; running it twice freezes nothing more. The catalogue's
    computed SLA months of the frozen months in the window are recorded again (unchanged ones are
    not written), so a target added to the catalogue after a freeze gets its figures."""
    made = []
    for clause, month in months_to_freeze(project, today=today):
        try:
            made.append(
                population_freeze(project=project, clause=clause, month=month, user=user, today=today)
            )
        except IntegrityError:  # frozen at the same moment elsewhere: that one stands
            continue
    today = today or timezone.localdate()
    since = month_starts(today, 12)[0]
    record_sla_actuals(Population.objects.filter(project=project, month__gte=since), user=user)
    return made


# Samples and the worksheet ---------------------------------------------------------------------


@transaction.atomic
def sample_draw(*, population: Population, user, seed: int | None = None) -> Sample:
    """Draw the population's sample: size by sampling.sample_size, tickets by the recorded seed. A
    population has one sample; drawing again returns it."""
    Population.objects.select_for_update().filter(pk=population.pk).first()
    existing = Sample.objects.filter(population=population).first()
    if existing:
        return existing
    if population.count == 0:
        raise ValidationError(gettext("This population holds no ticket: there is nothing to sample."))
    seed = sampling.new_seed() if seed is None else seed
    size = sampling.sample_size(population.count)
    keys = list(population.tickets.order_by("connector_id", "external_id").values_list("pk", flat=True))
    chosen = sampling.draw(keys, seed=seed, size=size)
    sample = Sample.objects.create(
        population=population, seed=seed, size=len(chosen), rule=sampling.RULE, drawn_by=user
    )
    SampleItem.objects.bulk_create(
        SampleItem(sample=sample, ticket_id=pk, order=order) for order, pk in enumerate(chosen, start=1)
    )
    activity_record(
        project=population.project,
        actor=user,
        verb="sample drawn",
        message=gettext_noop("Sample of %(count)s from %(clause)s %(month)s (seed %(seed)s)"),
        values={
            "count": len(chosen),
            "clause": population.clause,
            "month": activity.day(population.month, "F Y"),
            "seed": seed,
        },
        url=sample.get_absolute_url(),
    )
    return sample


@transaction.atomic
def item_mark(*, item: SampleItem, user, expected_version: int, verdict: str, note: str) -> SampleItem:
    item = lock_for_edit(SampleItem, item.pk, expected_version=expected_version)
    note = (note or "").strip()
    if verdict not in (Verdict.CONFORMING, Verdict.NONCONFORMING):
        raise ValidationError({"verdict": gettext("Mark the ticket conforming or not conforming.")})
    if verdict == Verdict.NONCONFORMING and not note:
        raise ValidationError(
            {"note": gettext("Say what does not conform: the finding is raised from this note.")}
        )
    if item.finding_id and verdict != Verdict.NONCONFORMING:
        raise ValidationError(
            {"verdict": gettext("A finding was raised from this ticket; it stays not conforming.")}
        )
    item.verdict, item.note = verdict, note
    item.marked_by, item.marked_at = user, timezone.now()
    item.version += 1
    item.full_clean(exclude=["sample", "ticket", "finding"])
    item.save()
    return item


def finding_clause(clause: str, leaves: dict) -> str:
    """The leaf clause a sample's nonconformity is raised against: the process's clause when it is
    a leaf, else its first leaf (8.5.1 → 8.5.1.1)."""
    if clause in leaves:
        return clause
    return next((number for number in leaves if number.startswith(clause + ".")), clause)


@transaction.atomic
def item_raise_finding(*, item: SampleItem, user, grade: str, clause: str):
    """A ticket marked not conforming becomes a nonconformity whose source is the sample."""
    item = (
        SampleItem.objects.select_for_update().select_related("sample__population", "ticket").get(pk=item.pk)
    )
    if item.verdict != Verdict.NONCONFORMING:
        raise ValidationError(gettext("Only a ticket marked not conforming becomes a finding."))
    if item.finding_id:
        return item.finding
    population, ticket = item.sample.population, item.ticket
    finding = nonconformity_create(
        project=population.project,
        user=user,
        source=FindingSource.SAMPLE,
        # Written into the finding in the language of the person who raises it: from then on it is
        # the finding's own text, which they may edit.
        source_reference=cut(
            gettext("Sample %(sample)s of %(clause)s %(month)s, ticket %(ticket)s")
            % {
                "sample": item.sample_id,
                "clause": population.clause,
                "month": date_format(population.month, "YEAR_MONTH_FORMAT"),
                "ticket": ticket.external_id,
            },
            200,
        )[0],
        grade=grade,
        clause=clause,
        description=gettext("Sampled ticket %(ticket)s does not conform: %(note)s")
        % {"ticket": ticket.external_id, "note": item.note},
        evidence=gettext(
            "Ticket %(ticket)s “%(title)s” (%(type)s, %(status)s), item %(order)s of a sample of %(size)s "
            "(seed %(seed)s) from the frozen population of %(count)s tickets, SHA-256 %(checksum)s."
        )
        % {
            "ticket": ticket.external_id,
            "title": cut(ticket.title, 200)[0],
            "type": ticket.ticket_type or gettext("no type"),
            "status": ticket.status or gettext("no status"),
            "order": item.order,
            "size": item.sample.size,
            "seed": item.sample.seed,
            "count": population.count,
            "checksum": population.checksum,
        },
    )
    item.finding = finding
    item.save(update_fields=["finding", "updated_at"])
    return finding


def sample_summary(sample: Sample, counts: dict) -> str:
    population = sample.population
    return cut(
        f"Sample of {sample.size} from {population.clause} {population.month:%b %Y} "
        f"({population.count} tickets): {counts.get(Verdict.CONFORMING, 0)} conforming, "
        f"{counts.get(Verdict.NONCONFORMING, 0)} not, {counts.get(Verdict.PENDING, 0)} unchecked",
        200,
    )[0]


@transaction.atomic
def sample_record_evidence(*, sample: Sample, user, response: Response):
    """The worksheet's results as evidence on a checklist answer (a link to the worksheet)."""
    sample = Sample.objects.select_for_update().select_related("population").get(pk=sample.pk)
    counts = dict(sample.items.values_list("verdict").annotate(n=Count("id")).order_by())
    if counts.get(Verdict.PENDING):
        raise ValidationError(gettext("Mark every sampled ticket before recording the results."))
    if response.assessment.project_id != sample.population.project_id:
        raise ValidationError({"response": gettext("Choose a question of this project's checklists.")})
    evidence = evidence_add(
        response=response,
        user=user,
        url=settings.SITE_URL + sample.get_absolute_url(),
        description=sample_summary(sample, counts),
    )
    sample.checklist_evidence = evidence
    sample.save(update_fields=["checklist_evidence", "updated_at"])
    return evidence
