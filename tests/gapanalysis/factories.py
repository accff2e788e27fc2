"""Builders for gap-analysis tests: the shipped ISO template, small custom templates, assessments."""

import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from gapanalysis import services
from gapanalysis.checklist_io import import_template
from gapanalysis.models import ChecklistTemplate, Evidence, Response, Result

ISO_FILE = Path(__file__).resolve().parents[2] / "gapanalysis" / "data" / "iso20000-1-2018-checklist.json"
ISO_SLUG = "iso20000-1-2018"


def iso_template() -> ChecklistTemplate:
    """The shipped template (loaded by the data migration; reloaded after a transactional test flushed it)."""
    template = ChecklistTemplate.objects.filter(slug=ISO_SLUG, version=1).first()
    if template is None:
        template = import_template(ISO_FILE.read_bytes(), filename=ISO_FILE.name)
    return template


def template_json(*, slug="custom", version=1, clauses=2, questions_per_clause=3) -> dict:
    """A small template: top-level clause 1 with leaves 1.1…1.n, each with questions."""
    data = {
        "slug": slug,
        "name": f"Custom {slug}",
        "standard": "Test standard",
        "version": version,
        "clauses": [{"number": "1", "title": "Everything", "parent": None, "is_leaf": False, "guidance": ""}],
        "questions": [],
    }
    for c in range(1, clauses + 1):
        data["clauses"].append(
            {
                "number": f"1.{c}",
                "title": f"Clause {c}",
                "parent": "1",
                "is_leaf": True,
                "guidance": "Check it.",
            }
        )
        for q in range(1, questions_per_clause + 1):
            data["questions"].append(
                {
                    "id": f"T-1.{c}-{q:02d}",
                    "clause": f"1.{c}",
                    "text": f"Question {q} of clause {c}?",
                    "documented_information": "record" if q % 2 else "none",
                    "guidance": "",
                }
            )
    return data


def make_template(**kwargs) -> ChecklistTemplate:
    data = template_json(**kwargs)
    return import_template(json.dumps(data).encode(), filename=f"{data['slug']}.json")


def make_assessment(
    project, *, user, template=None, title="Baseline", clause_numbers=None, auditors=(), **kw
):
    return services.assessment_create(
        project=project,
        template=template or iso_template(),
        title=title,
        clause_numbers=clause_numbers,
        auditor_ids=[u.pk for u in auditors],
        user=user,
        **kw,
    )


def answer(assessment, code, result, *, user, notes=None) -> Response:
    response = Response.objects.select_related("assessment").get(assessment=assessment, question__code=code)
    return services.response_save(
        response=response, user=user, expected_version=response.version, result=result, notes=notes
    )


def answer_all(assessment, result=Result.CONFORMANT, *, user):
    Response.objects.filter(assessment=assessment).update(result=result, answered_by=user)


def pdf_upload(name="evidence.pdf"):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "application/pdf"
    )


def add_file_evidence(response, *, user) -> Evidence:
    return services.evidence_add(response=response, user=user, upload=pdf_upload())
