"""The one extension mechanism: what each app contributes to the rest of the product.

An app declares everything it contributes in one module of its own, `<app>/integration.py`, as a
`Contributions` named CONTRIBUTIONS, and registers it in its AppConfig.ready():

    def ready(self):
        from kernel.extensions import register

        from . import integration

        register(self.label, integration.CONTRIBUTIONS)

The readers — phase progress, the readiness gates (readiness/), reports and their sections, the reminder
sweep, Excel exports, the dashboard, new-project setup and the demo data — ask this registry and
import no app. Contributions are read in the order the apps were registered (INSTALLED_APPS).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings


@dataclass(frozen=True)
class ReportKindSpec:
    """A kind of PDF report: a template and a context builder; for kinds about one record (an
    assessment, an audit, a review) also the records one may choose from."""

    kind: str
    label: str
    template: str
    build: Callable[..., dict]  # build(project, *, subject_id, today) -> template context
    subjects: Callable[..., list[tuple[int, str]]] | None = None  # subjects(project) for per-record kinds


@dataclass(frozen=True)
class ReportSection:
    """A section of the management progress report, shown in `order`."""

    key: str
    title: str
    order: int
    template: str
    # build(project, *, today, shared) -> context, or None to leave the section out; `shared` is a dict
    # the sections of one rendering share (e.g. the phases read once).
    build: Callable[..., dict | None]
    # Start the section on a new page. The shipped sections flow instead (headings kept with their
    # content): forced breaks left pages holding a table's last rows and nothing else (issue 25 §2.3).
    break_before: bool = False


@dataclass(frozen=True)
class ExportSpec:
    """An Excel sheet of one project: build(project) -> (headers, rows), in a constant number of queries."""

    key: str
    label: str
    build: Callable[..., tuple[list[str], list[list]]]


class ReminderItem(NamedTuple):
    """One line of a reminder digest (and one event of the calendar feed). A named tuple: the sweep
    makes one per open item of the installation."""

    user_id: int
    project_id: int
    project_name: str
    category: str  # "Task", "Document review", "Corrective action", "Audit"
    title: str
    due_date: date
    url_name: str  # the item's page: reverse(url_name, args=url_args), only for the items shown
    url_args: tuple
    key: str  # e.g. "task:12", unique per item

    @property
    def path(self) -> str:
        """Site-relative link; reversed on demand, since a digest shows only a few of its items."""
        from django.urls import reverse

        return reverse(self.url_name, args=self.url_args)

    def days_overdue(self, today: date) -> int:
        return (today - self.due_date).days


def due_window(
    rows,
    date_field: str,
    *,
    today: date,
    until: date | None = None,
    since: date | None = None,
    earliest: date | None = None,
    horizon_days: int | None = None,
    user_field: str | None = None,
    user_id=None,
    project_ids=None,
    exclude_user_ids=(),
):
    """The rows a reminder source reports: `date_field` up to `until` (default today + the horizon,
    settings.REMINDER_HORIZON_DAYS unless given) and from `since` (default `earliest`; None keeps
    everything overdue); only `user_id`'s rows (through `user_field`) when asked for one user, only
    the rows of `project_ids` when given, none of `exclude_user_ids`' rows."""
    if until is None:
        until = today + timedelta(
            days=settings.REMINDER_HORIZON_DAYS if horizon_days is None else horizon_days
        )
    rows = rows.filter(**{f"{date_field}__lte": until})
    since = earliest if since is None else since
    if since is not None:
        rows = rows.filter(**{f"{date_field}__gte": since})
    if user_field is not None and user_id is not None:
        rows = rows.filter(**{f"{user_field}_id": user_id})
    if project_ids is not None:
        rows = rows.filter(project_id__in=project_ids)
    if user_field is not None and exclude_user_ids:
        rows = rows.exclude(**{f"{user_field}_id__in": exclude_user_ids})
    return rows


@dataclass(frozen=True)
class DashboardCard:
    """A card on the project dashboard: a template rendered with the dashboard's context."""

    template: str
    order: int


@dataclass(frozen=True)
class ProcessPanel:
    """A panel on an operating process's page (documents.operation): `build(project, clause)` gives
    the template's context, or None to leave the panel out, in a constant number of queries."""

    template: str
    order: int
    build: Callable


@dataclass(frozen=True)
class SetupStep:
    """A step of starting a project, listed on a new project's dashboard until it is done.

    `done(project)` gives a condition on the project row (a Q object, e.g. Q(Exists(...)) with
    OuterRef("pk") for the project): every app's steps are read together in one query."""

    key: str
    order: int
    title: str
    hint: str  # what doing it gives, in one sentence
    url_name: str  # where the lead does it: reverse(url_name, kwargs={"project_id": project.pk})
    done: Callable


@dataclass(frozen=True)
class DemoData:
    """seed(project, users) adds the app's part of the demo project; run in `order`."""

    seed: Callable[..., None]
    order: int
    # certified_seed(project, users): the app's part of the certified demo project (a whole cycle)
    certified_seed: Callable[..., None] | None = None
    # spread_history(project, *, since, start, span, now): rows the seed wrote at seeding time are
    # spread in their order over start..start+span (projects.demo_clock.spread_history)
    spread_history: Callable[..., None] | None = None


@dataclass(frozen=True)
class Responsibility:
    """A kind of open thing a member can hold in a project (open tasks, audits they lead…), shown
    before they are removed and handed over to a lead (projects.responsibilities)."""

    label: str  # plural, e.g. "Open tasks"
    items: Callable  # items(project, user) -> queryset of the open things the person holds
    field: str = ""  # the person field to hand over; or give `reassign`
    reassign: Callable | None = None  # reassign(queryset, project, old, new) for anything else


class WaitingItem(NamedTuple):
    """One thing waiting for a user's decision (a version to approve, an action to verify…)."""

    title: str
    project_name: str
    detail: str  # who or what it comes from, e.g. "from Carl Author"
    since: object  # date or datetime it has waited since (None if unknown)
    path: str  # the page where the user decides


@dataclass(frozen=True)
class WaitingSource:
    """A kind of thing waiting for a user, listed on My work under "Waiting for my approval".

    `rows(user)` is a queryset of such things across the user's projects, oldest first, that
    `item(row)` turns into a WaitingItem without further queries (select_related what it reads)."""

    key: str  # in the URL of the full list: /my-work/?waiting=<key>
    label: str  # plural, e.g. "Document versions to approve"
    order: int
    rows: Callable
    item: Callable
    project_path: str = "project"  # the rows' lookup to their project (lists leave hidden ones out)


@dataclass(frozen=True)
class HeldRecord:
    """A mandatory record the app keeps itself (the audit programme, review minutes…): whether its
    data exists now, what it holds and where to see it."""

    satisfied: bool
    summary: str  # e.g. "3 internal audits in the programme"
    url: str = ""


@dataclass(frozen=True)
class Blocker:
    """One thing that blocks a certification stage (or, as a warning, is shown beside it). The
    readiness package (readiness/) evaluates every rule; an app that adds rules of its own through
    `Contributions.readiness_blockers` returns these."""

    category: str  # e.g. "Roadmap", "Documented information", "Internal audit"
    message: str
    url: str = ""
    # Blockers of one kind that differ only in their subject ("4.1", "4.2", …) are one counted
    # bullet in the management PDF: `kind` is that bullet's wording, a gettext_noop key translated
    # where shown, `subject` what tells them apart.
    kind: str = ""
    subject: str = ""


@dataclass(frozen=True)
class ReadinessGroup:
    """How the readiness page presents one blocker category: which comes first (`step`, low first),
    what one blocker is ("clause not covered by an internal audit", plural), and the action that
    resolves the lot (a label and url(project))."""

    category: str
    step: int
    noun: str
    plural: str
    action: str = ""
    action_url: Callable | None = None  # action_url(project) -> path


class CitedEntry(NamedTuple):
    """A register entry cited as evidence: what the answer's evidence list shows and links to."""

    label: str  # e.g. "SLA month: E-mail — Availability, March 2026 (met)"
    path: str  # the entry's page


@dataclass(frozen=True)
class EvidenceSource:
    """A kind of record an auditor may cite as evidence for a checklist answer, beside files and
    links. `resolve(project, entry_id)` -> CitedEntry, or None when the project has no such entry
    (another project's entry is refused, never cited)."""

    kind: str  # e.g. "service", "sla_actual"
    label: str  # e.g. "Service"
    resolve: Callable


@dataclass(frozen=True)
class EmailKind:
    """A kind of e-mail an app sends through the outbox (the outbox's `kind` column holds `kind`).
    `render(message) -> (text, html)` renders the bodies of a message recorded without them, when it
    is sent (the digest: its items are stored, its text is written at sending time)."""

    kind: str
    label: str
    render: Callable | None = None


@dataclass(frozen=True)
class WebhookEventSpec:
    """A webhook event an app publishes (kernel.webhooks.webhook_publish), offered to endpoints."""

    name: str  # e.g. task.done
    description: str


@dataclass(frozen=True)
class ThrottleScopeSpec:
    """A security throttle an app counts (kernel/throttle.py): the `scope` its events are stored under."""

    scope: str  # e.g. second_factor; at most 30 characters (identity.ThrottleEvent.scope)
    label: str


@dataclass(frozen=True)
class Contributions:
    """Everything one app adds to the others. Every field is optional."""

    # provider(project) -> {phase key: (done, total)}, in a constant number of queries
    progress_providers: tuple[Callable, ...] = ()
    # Readiness rules of an app beyond the built-in ones (readiness/rules/; docs/readiness.md):
    # source(project) -> [Blocker], in a constant number of queries: what blocks Stage 1; Stage 2
    # needs these and also the `stage2_readiness_blockers`
    readiness_blockers: tuple[Callable, ...] = ()
    stage2_readiness_blockers: tuple[Callable, ...] = ()
    # source(project) -> [Blocker] shown beside the gates without blocking them
    readiness_warnings: tuple[Callable, ...] = ()
    report_kinds: tuple[ReportKindSpec, ...] = ()
    report_sections: tuple[ReportSection, ...] = ()
    # source(*, today, until=None, since=None, user_id=None, project_ids=None, exclude_user_ids=())
    # -> [ReminderItem], across all projects (or those given), read as plain values
    reminder_sources: tuple[Callable, ...] = ()
    exports: tuple[ExportSpec, ...] = ()
    dashboard_cards: tuple[DashboardCard, ...] = ()
    process_panels: tuple[ProcessPanel, ...] = ()
    # phase key -> what else that phase's progress is derived from, e.g. "the internal audits held"
    progress_derived_from: Mapping[str, str] = field(default_factory=dict)
    # setup(project) right after a project is created (e.g. the register's mandatory items)
    project_setup: tuple[Callable, ...] = ()
    # usage(project) -> bytes of uploaded files the app stores for the project (the storage quota)
    upload_usage: tuple[Callable, ...] = ()
    demo_data: DemoData | None = None
    responsibilities: tuple[Responsibility, ...] = ()
    setup_steps: tuple[SetupStep, ...] = ()  # the new-project checklist on the dashboard
    waiting: tuple[WaitingSource, ...] = ()
    # source(project) -> {mandatory record code: HeldRecord}, in a constant number of queries
    record_sources: tuple[Callable, ...] = ()
    readiness_groups: tuple[ReadinessGroup, ...] = ()
    # kinds of records citable as checklist evidence (gapanalysis evidence of kind "entry")
    evidence_sources: tuple[EvidenceSource, ...] = ()
    # source(project, *, today) -> {management review input key: [lines]}, appended to the input's
    # pre-filled text (audits.reviews), in a constant number of queries
    review_inputs: tuple[Callable, ...] = ()
    # hook(project) after a project's stored progress was recomputed (e.g. announce readiness changes)
    after_progress_refresh: tuple[Callable, ...] = ()
    # count(project, stage) -> the number of the stage's readiness blockers (the readiness app's gate,
    # for readers below it such as the dashboard's outlook)
    readiness_counts: tuple[Callable, ...] = ()
    email_kinds: tuple[EmailKind, ...] = ()
    webhook_events: tuple[WebhookEventSpec, ...] = ()
    throttle_scopes: tuple[ThrottleScopeSpec, ...] = ()


_registry: dict[str, Contributions] = {}


def register(label: str, contributions: Contributions) -> None:
    """Record an app's contributions; registering the same app again replaces them."""
    _registry[label] = contributions


def _all() -> list[Contributions]:
    return list(_registry.values())


def progress_providers() -> list[Callable]:
    return [provider for c in _all() for provider in c.progress_providers]


def readiness_blockers(stage: int = 1) -> list[Callable]:
    sources = [source for c in _all() for source in c.readiness_blockers]
    if stage == 2:
        sources += [source for c in _all() for source in c.stage2_readiness_blockers]
    return sources


def readiness_warnings() -> list[Callable]:
    return [source for c in _all() for source in c.readiness_warnings]


def report_kinds() -> list[ReportKindSpec]:
    return [spec for c in _all() for spec in c.report_kinds]


def report_kind(kind: str) -> ReportKindSpec | None:
    return next((spec for spec in report_kinds() if spec.kind == kind), None)


def report_sections() -> list[ReportSection]:
    return sorted((s for c in _all() for s in c.report_sections), key=lambda s: (s.order, s.key))


def reminder_sources() -> list[Callable]:
    return [source for c in _all() for source in c.reminder_sources]


def upload_usage() -> list[Callable]:
    return [usage for c in _all() for usage in c.upload_usage]


def exports() -> list[ExportSpec]:
    return [spec for c in _all() for spec in c.exports]


def export_spec(key: str) -> ExportSpec | None:
    return next((spec for spec in exports() if spec.key == key), None)


def dashboard_cards() -> list[DashboardCard]:
    return sorted((card for c in _all() for card in c.dashboard_cards), key=lambda card: card.order)


def process_panels() -> list[ProcessPanel]:
    return sorted((panel for c in _all() for panel in c.process_panels), key=lambda panel: panel.order)


def progress_derived_from(phase_key: str) -> list[str]:
    return [c.progress_derived_from[phase_key] for c in _all() if phase_key in c.progress_derived_from]


def project_setup() -> list[Callable]:
    return [setup for c in _all() for setup in c.project_setup]


def responsibilities() -> list[Responsibility]:
    return [spec for c in _all() for spec in c.responsibilities]


def setup_steps() -> list[SetupStep]:
    return sorted((step for c in _all() for step in c.setup_steps), key=lambda step: (step.order, step.key))


def waiting_sources() -> list[WaitingSource]:
    return sorted((w for c in _all() for w in c.waiting), key=lambda w: (w.order, w.key))


def demo_data() -> list[DemoData]:
    return sorted((c.demo_data for c in _all() if c.demo_data), key=lambda demo: demo.order)


def record_sources() -> list[Callable]:
    return [source for c in _all() for source in c.record_sources]


def readiness_groups() -> dict[str, ReadinessGroup]:
    return {group.category: group for c in _all() for group in c.readiness_groups}


def evidence_sources() -> dict[str, EvidenceSource]:
    return {source.kind: source for c in _all() for source in c.evidence_sources}


def review_inputs() -> list[Callable]:
    return [source for c in _all() for source in c.review_inputs]


def after_progress_refresh() -> list[Callable]:
    return [hook for c in _all() for hook in c.after_progress_refresh]


def readiness_blocker_count(project, stage: int) -> int:
    return sum(count(project, stage) for c in _all() for count in c.readiness_counts)


def email_kinds() -> dict[str, EmailKind]:
    return {spec.kind: spec for c in _all() for spec in c.email_kinds}


def email_kind(kind: str) -> EmailKind | None:
    return email_kinds().get(kind)


def webhook_events() -> dict[str, str]:
    """Event name -> description, in the order the apps registered them."""
    return {spec.name: spec.description for c in _all() for spec in c.webhook_events}


def throttle_scopes() -> dict[str, str]:
    """{scope: label} of the throttles the apps count."""
    return {spec.scope: spec.label for c in _all() for spec in c.throttle_scopes}
