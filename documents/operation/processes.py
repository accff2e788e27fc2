"""The processes whose operation a certification body samples: the clause 8 processes, 9.1-9.4.

Titles are the standard's clause titles (facts); the records each process leaves are the
mandatory records of documents/data that its evidence satisfies. Each process has a kind, which
decides what "it ran" means (documents/operation/rules.py):

- continuous: it runs all the time (incidents, changes), so every month needs evidence;
- periodic: it runs in cycles (an internal audit, a management review, a continuity test, the
  service plan), so one completed cycle within its period is the evidence;
- event-driven: it runs when something happens (a problem, a release), so every occurrence is
  recorded, and a month with none is covered by the owner's dated "none occurred" statement.
"""

from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CONTINUOUS = "continuous"
PERIODIC = "periodic"
EVENT_DRIVEN = "event"

KIND_LABELS = {
    CONTINUOUS: _("Continuous"),
    PERIODIC: _("Periodic"),
    EVENT_DRIVEN: _("Event-driven"),
}


@dataclass(frozen=True)
class Process:
    clause: str
    title: str
    records: tuple[str, ...] = ()  # mandatory record codes its operating evidence satisfies
    kind: str = CONTINUOUS
    period_months: int = 12  # periodic processes: one completed cycle within this many months

    @property
    def label(self) -> str:
        return f"{self.clause} {self.title}"

    @property
    def slug(self) -> str:
        """The clause in a URL: "8.6.1" -> "8-6-1"."""
        return self.clause.replace(".", "-")

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


PROCESSES: tuple[Process, ...] = (
    Process("8.2.2", _("Plan the services"), kind=PERIODIC),
    Process("8.2.3", _("Control of parties involved in the service lifecycle"), kind=PERIODIC),
    Process("8.2.4", _("Service catalogue management"), kind=PERIODIC),
    Process("8.2.5", _("Asset management"), kind=PERIODIC),
    Process("8.2.6", _("Configuration management"), ("REC-03",)),
    Process("8.3.2", _("Business relationship management"), ("REC-04",)),
    Process("8.3.3", _("Service level management")),
    Process("8.3.4", _("Supplier management"), ("REC-05",)),
    Process("8.4.1", _("Budgeting and accounting for services"), kind=PERIODIC),
    Process("8.4.2", _("Demand management"), kind=PERIODIC),
    Process("8.4.3", _("Capacity management")),
    Process("8.5.1", _("Change management"), ("REC-06",)),
    Process("8.5.2", _("Service design and transition"), kind=EVENT_DRIVEN),
    Process("8.5.3", _("Release and deployment management"), ("REC-07",), kind=EVENT_DRIVEN),
    Process("8.6.1", _("Incident management"), ("REC-08",)),
    Process("8.6.2", _("Service request management"), ("REC-09",)),
    Process("8.6.3", _("Problem management"), ("REC-10", "REC-11"), kind=EVENT_DRIVEN),
    Process("8.7.1", _("Service availability management"), ("REC-12",)),
    Process("8.7.2", _("Service continuity management"), ("REC-13",), kind=PERIODIC),
    Process("8.7.3", _("Information security management"), ("REC-14",)),
    Process("9.1", _("Monitoring, measurement, analysis and evaluation"), ("REC-15",)),
    Process("9.2", _("Internal audit"), kind=PERIODIC),
    Process("9.3", _("Management review"), kind=PERIODIC),
    Process("9.4", _("Service reporting")),
)

# 8.1 asks for evidence that the operational processes ran as planned: all of clause 8 together.
ALL_OPERATIONAL_RECORD = "REC-02"

# Records of things that happen now and then: only entries recorded as that kind of record (or the
# owner's statement that none occurred) satisfy them, never any entry of the process.
EVENT_RECORDS = {
    "REC-04": _("Service complaint"),
    "REC-05": _("Dispute with an external supplier"),
    "REC-14": _("Information security incident"),
}


@cache
def process_by_clause() -> dict[str, Process]:
    return {p.clause: p for p in PROCESSES}


@cache
def process_by_slug() -> dict[str, Process]:
    return {p.slug: p for p in PROCESSES}


@cache
def processes_for_record() -> dict[str, tuple[Process, ...]]:
    """{record code: the processes whose evidence satisfies it}."""
    result: dict[str, list[Process]] = {}
    for process in PROCESSES:
        for code in process.records:
            result.setdefault(code, []).append(process)
    result[ALL_OPERATIONAL_RECORD] = [p for p in PROCESSES if p.clause.startswith("8.")]
    return {code: tuple(found) for code, found in result.items()}


def record_kind_choices(process: Process) -> list[tuple[str, str]]:
    """The kinds of record an entry of this process can be ("" = general evidence of the process)."""
    return [("", gettext("General evidence of the process"))] + [
        (code, EVENT_RECORDS[code]) for code in process.records if code in EVENT_RECORDS
    ]


PROCESS_CLAUSE_CHOICES = [(p.clause, p.label) for p in PROCESSES]
