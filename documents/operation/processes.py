"""The processes whose operation a certification body samples: the clause 8 processes and 9.1-9.3.

Titles are the standard's clause titles (facts); the records each process leaves are the
mandatory records of documents/data that its evidence satisfies.
"""

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Process:
    clause: str
    title: str
    records: tuple[str, ...] = ()  # mandatory record codes its operating evidence satisfies

    @property
    def label(self) -> str:
        return f"{self.clause} {self.title}"

    @property
    def slug(self) -> str:
        """The clause in a URL: "8.6.1" -> "8-6-1"."""
        return self.clause.replace(".", "-")


PROCESSES: tuple[Process, ...] = (
    Process("8.2.4", "Service catalogue management"),
    Process("8.2.5", "Asset management"),
    Process("8.2.6", "Configuration management", ("REC-03",)),
    Process("8.3.2", "Business relationship management", ("REC-04",)),
    Process("8.3.3", "Service level management"),
    Process("8.3.4", "Supplier management", ("REC-05",)),
    Process("8.4.1", "Budgeting and accounting for services"),
    Process("8.4.2", "Demand management"),
    Process("8.4.3", "Capacity management"),
    Process("8.5.1", "Change management", ("REC-06",)),
    Process("8.5.2", "Service design and transition"),
    Process("8.5.3", "Release and deployment management", ("REC-07",)),
    Process("8.6.1", "Incident management", ("REC-08",)),
    Process("8.6.2", "Service request management", ("REC-09",)),
    Process("8.6.3", "Problem management", ("REC-10", "REC-11")),
    Process("8.7.1", "Service availability management", ("REC-12",)),
    Process("8.7.2", "Service continuity management", ("REC-13",)),
    Process("8.7.3", "Information security management", ("REC-14",)),
    Process("9.1", "Monitoring, measurement, analysis and evaluation", ("REC-15",)),
    Process("9.2", "Internal audit"),
    Process("9.3", "Management review"),
)

# 8.1 asks for evidence that the operational processes ran as planned: all of clause 8 together.
ALL_OPERATIONAL_RECORD = "REC-02"


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


PROCESS_CLAUSE_CHOICES = [(p.clause, p.label) for p in PROCESSES]
