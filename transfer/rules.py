"""What the project transfer leaves out, what it matches by natural key, and the ids it finds in
plain fields. Every model with a foreign-key path to a project is exported unless it is listed in
EXCLUDED with a reason (tests/transfer/test_coverage.py fails on a model that is neither)."""

from datetime import date

from django.conf import settings

EXCLUDED = {
    "notifications.outboxmessage": "e-mails this installation sent or is sending; a new one sends its own",
    "webhooks.webhookendpoint": "an integration of this installation, with its signing secret",
    "webhooks.webhookevent": "the webhook outbox of this installation (delivered or pending events)",
    "webhooks.webhookdelivery": "the delivery log of this installation's webhooks",
    "api.accesstoken": "a personal credential of a user in this installation; never leaves it",
    "transfer.importjob": "the record of an import into this installation (who uploaded what, its progress)",
    "transfer.importperson": "the people an import here found in an archive, and whom the importer invited",
    "connectors.connector": "an integration of this installation, with the tool's encrypted credentials",
    "connectors.syncrun": "the sync log of this installation's connectors",
    "connectors.ticket": "a copy of the ticketing tool's data, read again by a connector elsewhere",
}

# Exported (the archive says who took part) but never imported as they are: nobody becomes a member
# of a project without accepting an invitation (issue 19 defect 3). The import reads the roles from
# the memberships to suggest them on the invitation choice; the importer alone becomes a member.
NOT_IMPORTED = {
    "projects.membership": "membership needs the person's consent: the importer invites whom they choose",
    "projects.invitation": "an invitation of the source project; the importer sends new ones",
}

# Content shared by all projects (seeded by migrations, or staff-imported into the library): an
# exported reference to it carries the natural key, and the import finds the same row on the target
# or refuses. `key(row)` reads the key from a row; `lookup(key)` gives the filter that finds it.
# Project-owned rows of the same models (a checklist imported into the project) are exported.
GLOBAL_CONTENT = {
    "gapanalysis.checklisttemplate": {
        "fields": ("slug", "version"),
        "project_filter": {"project__isnull": True},
        "label": "checklist {0} version {1}",
    },
    "gapanalysis.templateclause": {
        "fields": ("template__slug", "template__version", "number"),
        "project_filter": {"template__project__isnull": True},
        "label": "clause {2} of checklist {0} version {1}",
    },
    "gapanalysis.question": {
        "fields": ("template__slug", "template__version", "code"),
        "project_filter": {"template__project__isnull": True},
        "label": "question {2} of checklist {0} version {1}",
    },
}

USER_MODEL = settings.AUTH_USER_MODEL.lower()

# Plain integer fields that hold the id of another exported row: (model, field) -> the model the
# id belongs to, given the row's values.
REPORT_SUBJECTS = {
    "gap": "gapanalysis.assessment",
    "audit": "audits.audit",
    "review": "audits.managementreview",
}


def soft_reference_target(label: str, field: str, row: dict) -> str | None:
    """The model the id belongs to; None when the row's values name none (a report of an unknown
    kind, or of a kind without a subject): the import then empties the field rather than keep an
    id that would point at whatever row has it here (issue 19 defect 11)."""
    if label == "reports.report" and field == "subject_id":
        return REPORT_SUBJECTS.get(row.get("kind"))
    return None


SOFT_REFERENCES = {("reports.report", "subject_id")}

# A checklist answer's evidence may cite a register entry (gapanalysis.Evidence: entry_kind, entry_id
# and entry_path, the entry's page). The kind (kernel.extensions.evidence_sources) -> the model whose
# id entry_id holds; tests/transfer/test_coverage.py fails on a citable kind missing here. The import
# gives entry_id the imported entry's id and entry_path its page; a citation of an entry the archive
# does not hold (deleted after it was cited, or of a kind unknown here) is left out, and the job says
# so (never a link to another project's row).
CITED_ENTRIES = {
    "service": "registers.service",
    "sla_actual": "registers.slaactual",
    "supplier": "registers.supplier",
    "risk": "registers.risk",
}
# Tables that hold citations (the evidence and its history rows).
CITATIONS = {"gapanalysis.evidence", "gapanalysis.historicalevidence"}

# Activity lines link to a page: its URL's ids are rewritten. URL argument -> model.
URL_ARGUMENTS = {
    "project_id": "projects.project",
    "phase_id": "projects.phase",
    "milestone_id": "projects.milestone",
    "task_id": "projects.task",
    "comment_id": "projects.taskcomment",
    "attachment_id": "projects.taskattachment",
    "membership_id": "projects.membership",
    "invitation_id": "projects.invitation",
    "assessment_id": "gapanalysis.assessment",
    "response_id": "gapanalysis.response",
    "evidence_id": "gapanalysis.evidence",
    "template_id": "gapanalysis.checklisttemplate",
    "document_id": "documents.document",
    "version_id": "documents.documentversion",
    "entry_id": "documents.evidenceentry",
    "audit_id": "audits.audit",
    "finding_id": "audits.finding",
    "action_id": "audits.correctiveaction",
    "improvement_id": "audits.improvement",
    "review_id": "audits.managementreview",
    "section_id": "audits.reviewsection",
    "output_id": "audits.reviewoutput",
    "report_id": "reports.report",
    "rule_id": "ticket_evidence.mappingrule",
    "population_id": "ticket_evidence.population",
    "sample_id": "ticket_evidence.sample",
    "item_id": "ticket_evidence.sampleitem",
}
URL_FRAGMENTS = {"comment": "projects.taskcomment", "report": "reports.report"}
URL_FIELDS = {("projects.activity", "url")}

# Links stored with this installation's address (SITE_URL + a page) in fields that are the row's one
# source, so never emptied: an auditor sample's results as checklist evidence (its worksheet) and a
# frozen population's operating-evidence entry (its month's page), and their history rows. A link to
# a page of the exported project is rewritten to the same page of the imported copy (URL_ARGUMENTS);
# one whose row the archive does not hold opens the page LINK_FALLBACKS names for its section (else
# the project's dashboard), and the job lists it. A link elsewhere (another site, another project) is
# kept as it is.
SITE_LINKS = {
    ("gapanalysis.evidence", "url"),
    ("gapanalysis.historicalevidence", "url"),
    ("documents.evidenceentry", "link"),
    ("documents.historicalevidenceentry", "link"),
}
LINK_FALLBACKS = {"ticket_evidence": "ticket_evidence:overview"}
LINK_FALLBACK = "projects:dashboard"


def _population_month(kwargs: dict) -> dict | None:
    """The lookup ticket_evidence:population_by_month makes from its address (views.population_by_month)."""
    try:
        year, number = (int(part) for part in str(kwargs["month"]).split("-"))
        return {"clause": str(kwargs["process_slug"]).replace("-", "."), "month": date(year, number, 1)}
    except (KeyError, ValueError):
        return None


# Pages that find their row by values rather than an id (an address that is stable before the row
# exists): view name -> (model, kwargs -> the row's lookup within the project, None if it names none).
# The import checks that the imported project holds such a row.
PAGES_BY_VALUE = {
    "ticket_evidence:population_by_month": ("ticket_evidence.population", _population_month),
}
