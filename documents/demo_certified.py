"""The certified demo project's register and operating evidence for seed_demo: every register row
issued and approved before Stage 1, and every process operating since well before Stage 2 up to
this month, by its kind (documents/operation/rules.py): monthly reports for the continuous ones,
completed cycles for the periodic ones, occurrences or the owner's "none occurred" statements for
the event-driven ones and the event records. Each step at its own moment (projects.demo_clock)."""

from datetime import date, timedelta

from django.utils import timezone

from projects.demo_clock import days_ago, demo_clock

from . import services
from .demo import _issue_documents
from .models import Document, EvidenceOrigin, ReviewOutcome
from .operation import services as operation
from .operation.processes import CONTINUOUS, EVENT_RECORDS, PERIODIC, PROCESSES
from .operation.rules import months_between

ISSUED_DAYS_AGO = 480  # the register is written from here on, a few days per document ...
APPROVED_BY_DAYS_AGO = 280  # ... and approved before Stage 1 (audits.demo_certified: 260 days ago)
REVIEWED_FROM_DAYS_AGO = 150  # the yearly review of each document, three days apart from here
OPERATING_DAYS_AGO = 400  # every process operating since the month of this day (Stage 2: 200 days ago)
OCCURRENCE_EVERY = 3  # event-driven processes: an occurrence every third month, statements between
STAMPS = ()


def seed_certified_documents(project, users) -> None:
    codes = tuple(Document.objects.filter(project=project).order_by("code").values_list("code", flat=True))
    step = (ISSUED_DAYS_AGO - APPROVED_BY_DAYS_AGO) / max(len(codes), 1)
    _issue_documents(
        project,
        users,
        approved=codes,
        host="borealis.example",
        moment=lambda index: days_ago(round(ISSUED_DAYS_AGO - index * step), 11, index),
    )
    _review_documents(project, users, codes)
    seed_certified_evidence(project, users)


def _review_documents(project, users, codes) -> None:
    """The yearly review of every document in the surveillance year, spread over its months."""
    for index, code in enumerate(codes):
        with demo_clock(days_ago(REVIEWED_FROM_DAYS_AGO - index * 3, 14, index), stamp=STAMPS):
            services.document_review_record(
                document=Document.objects.get(project=project, code=code),
                user=users["lead"],
                outcome=ReviewOutcome.NO_CHANGE,
                notes="Reviewed with the process owner: still accurate.",
            )


def _month_end(month: date, today: date) -> date:
    """The day the month's report is drawn: the 28th, or today for the running month."""
    return today if (month.year, month.month) == (today.year, today.month) else month.replace(day=28)


def _moment(on: date, today: date):
    """Recorded the working day after the period it covers (today for the running month)."""
    return days_ago((today - on).days - (0 if on >= today else 1), 9)


def seed_certified_evidence(project, users) -> None:
    owner = users["contributor"]
    today = timezone.localdate()
    started = days_ago(OPERATING_DAYS_AGO).date().replace(day=1)
    months = months_between(started, today)
    for process in PROCESSES:
        with demo_clock(days_ago((today - started).days, 9), stamp=STAMPS):
            operation.process_update(
                project=project,
                process=process,
                user=users["lead"],
                expected_version=1,
                started_on=started,
                owner=owner,
            )
        if process.kind == PERIODIC:
            _cycles(project, process, owner, started, today)
            continue
        for index, month in enumerate(months):
            on = _month_end(month, today)
            occurred = process.kind == CONTINUOUS or index % OCCURRENCE_EVERY == 0
            with demo_clock(_moment(on, today), stamp=STAMPS):
                _month_entry(project, process, owner, month, on, occurred=occurred)
        for code in process.records:
            if code in EVENT_RECORDS:
                _none_occurred(project, process, owner, months, today, record_code=code)


def _month_entry(project, process, owner, month, on, *, occurred: bool) -> None:
    clause = process.clause
    if occurred:
        count = 3 + (month.month * len(clause)) % 40
        operation.entry_create(
            project=project,
            process=process,
            user=owner,
            on=on,
            summary=f"{on:%B %Y}: {count} records of {process.title.lower()}",
            link=f"https://itsm.borealis.example/reports/{clause}/{on:%Y-%m}",
            # monthly reports drawn from the ticketing tool: they carry the month they cover
            origin=EvidenceOrigin.SYSTEM,
            period_start=month,
        )
    else:
        operation.entry_create(
            project=project,
            process=process,
            user=owner,
            on=on,
            summary=f"{on:%B %Y}: none occurred (checked in the ticketing tool)",
            none_occurred=True,
            period_start=month,
        )


def _none_occurred(project, process, owner, months, today, *, record_code) -> None:
    """The owner's monthly statement that no event of this record's kind happened."""
    for month in months:
        on = _month_end(month, today)
        with demo_clock(_moment(on, today), stamp=STAMPS):
            operation.entry_create(
                project=project,
                process=process,
                user=owner,
                on=on,
                summary=f"{on:%B %Y}: no {EVENT_RECORDS[record_code].lower()} recorded",
                record_code=record_code,
                none_occurred=True,
                period_start=month,
            )


def _cycles(project, process, owner, started, today) -> None:
    """A completed cycle every `period_months` from the start, the last one within the period."""
    period = timedelta(days=round(process.period_months * 30.44))
    on = started + timedelta(days=45)
    while on <= today:
        with demo_clock(_moment(on, today), stamp=STAMPS):
            operation.entry_create(
                project=project,
                process=process,
                user=owner,
                on=on,
                summary=f"{process.title}: cycle completed {on:%-d %b %Y}",
                link=f"https://itsm.borealis.example/cycles/{process.clause}/{on:%Y-%m-%d}",
                origin=EvidenceOrigin.SYSTEM,
                period_start=on.replace(day=1),
            )
        on += period / 2  # two cycles a period: the next one is never late
