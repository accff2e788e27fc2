"""The implementation roadmap: twelve steps and the two certification stages.

Guidance texts are our own words; the clause references follow ISO/IEC 20000-1:2018.
`weeks` is the default share of the schedule used when back-scheduling from the target date.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from kernel.content_files import shipped_text
from kernel.extensions import progress_derived_from

# The English lives below; other languages in `data/roadmap.<locale>.json` (kernel/content_files.py).
CONTENT_FILE = Path(__file__).resolve().parent / "data" / "roadmap.json"


class PhaseKey:
    """The roadmap's phase keys by name, for code that means one particular phase."""

    MANAGEMENT_SUPPORT = "1"
    PROJECT_SETUP = "2"
    GAP_ANALYSIS = "3"
    SCOPE_AND_POLICY = "4"
    SUPPORT_PROCEDURES = "5"
    PROCESS_DOCUMENTATION = "6"
    PROCESS_IMPLEMENTATION = "7"
    TRAINING = "8"
    OPERATION = "9"
    IMPROVEMENT = "10"
    INTERNAL_AUDIT = "11"
    MANAGEMENT_REVIEW = "12"
    STAGE_1 = "S1"
    STAGE_2 = "S2"


CERTIFICATION_STAGES = (PhaseKey.STAGE_1, PhaseKey.STAGE_2)


@dataclass(frozen=True)
class PhaseDefinition:
    key: str
    english_title: str  # what a project's phase row starts with (Phase.display_title)
    clauses: str
    english_purpose: str
    english_outputs: str
    weeks: int
    optional: bool = False
    english_milestones: tuple[str, ...] = field(default_factory=tuple)
    # The shortest (and longest) the phase may be planned, in days (scheduling.back_schedule). The
    # operating phase's minimum is the project's operating period, set per project.
    min_days: int = 7
    max_days: int | None = None

    def _text(self, name: str, english, index: int | None = None):
        return shipped_text(CONTENT_FILE, "phases", self.key, name, english, index)

    @property
    def title(self) -> str:
        """In the reader's language, like purpose, outputs and milestones."""
        return self._text("title", self.english_title)

    @property
    def purpose(self) -> str:
        return self._text("purpose", self.english_purpose)

    @property
    def outputs(self) -> str:
        return self._text("outputs", self.english_outputs)

    @property
    def milestones(self) -> tuple[str, ...]:
        return tuple(self._text("milestones", m, i) for i, m in enumerate(self.english_milestones))


ROADMAP: tuple[PhaseDefinition, ...] = (
    PhaseDefinition(
        "1",
        "Secure management support",
        "5.1, 7.1",
        "Win a sponsor in top management and agree why the organisation wants the certificate, "
        "what it may cost and who will do the work.",
        "Named sponsor, approved budget and a written mandate for the project.",
        2,
    ),
    PhaseDefinition(
        "2",
        "Set up the implementation project",
        "5.3, 6.3, 7.1",
        "Run the implementation as a project: charter, team, responsibilities and a plan everyone can see.",
        "Project charter, team and responsibilities (RACI), project plan.",
        2,
        optional=True,
    ),
    PhaseDefinition(
        "3",
        "Assess the current state: gap analysis",
        "4–10",
        "Measure how far today's practice is from each clause, so the work that follows "
        "targets the real gaps.",
        "Gap-analysis results per clause and a remediation plan.",
        4,
        optional=True,
    ),
    PhaseDefinition(
        "4",
        "Define scope, policy, objectives and responsibilities",
        "4.1–4.4, 5.1–5.3, 6.1–6.3",
        "Decide which services and which parts of the organisation the SMS covers, and set "
        "out management's intentions, objectives, risk approach and plan.",
        "SMS scope, service management policy, objectives, risk approach, service management plan.",
        4,
    ),
    PhaseDefinition(
        "5",
        "Put the support procedures in place",
        "7.1–7.5, 9.2, 10.1",
        "Create the procedures that keep the system running: document and record control, "
        "internal audit, corrective action, competence and communication.",
        "Document and record control, internal audit procedure, corrective action procedure, "
        "communication and training plans.",
        4,
    ),
    PhaseDefinition(
        "6",
        "Document the service management processes",
        "8.1–8.7, 9.4",
        "Describe how each service management process works here, from the service catalogue "
        "to incident, change and continuity.",
        "Process documents, service catalogue, SLAs, change and information security policies, "
        "continuity plan.",
        8,
    ),
    PhaseDefinition(
        "7",
        "Implement the processes",
        "8.x, 7.6",
        "Make the documented processes real: configure the tools, brief the people and start "
        "producing records.",
        "Configured tools, first operational records.",
        8,
    ),
    PhaseDefinition(
        "8",
        "Train staff and raise awareness",
        "7.2–7.4",
        "Make sure everyone who works in the SMS knows the policy, their role and the "
        "procedures that apply to them.",
        "Training records, awareness material.",
        3,
    ),
    PhaseDefinition(
        "9",
        "Operate the SMS and gather evidence",
        "8.x, 9.1, 9.4",
        "Run the processes long enough that auditors can sample real records, measurements "
        "and service reports.",
        "Operational records, service reports, measurements.",
        10,
    ),
    PhaseDefinition(
        "10",
        "Continual improvement: define the approach, then put it to work",
        "10.1, 10.2",
        "First agree how improvements are proposed, judged and tracked; then run the first "
        "ones through that approach.",
        "Improvement procedure and register, first improvements.",
        4,
        english_milestones=("Improvement approach defined", "First improvements implemented"),
    ),
    PhaseDefinition(
        "11",
        "Internal audit",
        "9.2",
        "Check the whole SMS against the standard and your own rules before the certification body does.",
        "Audit programme, audit reports, nonconformities.",
        3,
        min_days=14,  # an audit of every clause, reports, and time to answer its findings
    ),
    PhaseDefinition(
        "12",
        "Management review",
        "9.3",
        "Top management looks at the results so far and decides what to change.",
        "Review minutes, decisions, actions.",
        2,
    ),
    PhaseDefinition(
        "S1",
        "Certification Stage 1 — documentation and readiness review",
        "all",
        "The certification body reviews the documentation and judges whether the SMS is ready "
        "for the main audit.",
        "Certification body's Stage 1 report, areas of concern.",
        4,
        # From the Stage 1 visit to Stage 2: time to fix the Stage 1 findings, but not so long that
        # the Stage 1 conclusions go stale (certification bodies plan two to eight weeks).
        min_days=14,
        max_days=56,
    ),
    PhaseDefinition(
        "S2",
        "Certification Stage 2 — main audit",
        "all",
        "The certification body audits how the SMS works in practice and recommends certification.",
        "Stage 2 report, findings, recommendation for certification (the certificate follows the "
        "certification body's independent decision).",
        2,
        min_days=3,
    ),
)

ROADMAP_BY_KEY = {definition.key: definition for definition in ROADMAP}


def progress_source(key: str) -> str:
    """What a phase's progress is derived from (shown under its progress bar): its tasks, and what
    the apps declare for that phase in their integration.py."""
    # Translators: joins what a phase's progress comes from: "its tasks and the gap assessment".
    return _(" and ").join([_("its tasks"), *(str(source) for source in progress_derived_from(key))])
