"""The mandatory documented information of ISO/IEC 20000-1:2018: 23 documents and 20 records.

Loaded once from `data/iso20000-1-2018-mandatory.json` (titles and guidance in our own words;
clause numbers are facts). Each item belongs to the roadmap phase where it is produced: documents
to phases 4, 5 and 6; records where the work that leaves them happens (competence in training,
operational records in operation, audit, review and improvement records in their phases).

`tier` follows the reference's flags: "required" for D and R (the standard says "shall"),
"recommended" for D* and R* (auditors expect it, the standard does not demand it).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from kernel.clauses import format_clause_list
from kernel.content_files import shipped_text

REQUIRED, RECOMMENDED = "required", "recommended"
TIER_LABELS = {
    REQUIRED: _("Required by the standard"),
    RECOMMENDED: _("Recommended (good practice)"),
}

DATA_FILE = Path(__file__).resolve().parent / "data" / "iso20000-1-2018-mandatory.json"


@dataclass(frozen=True)
class MandatoryItem:
    code: str
    kind: str  # "document" (maintained) or "record" (retained)
    english_title: str  # what a project's document row starts with (Document.display_title)
    clauses: tuple[str, ...]
    phase: str
    doc_type: str
    english_guidance: str
    tier: str = REQUIRED

    @property
    def title(self) -> str:
        """In the reader's language (`<file>.<locale>.json` beside the data file)."""
        return shipped_text(DATA_FILE, "items", self.code, "title", self.english_title)

    @property
    def guidance(self) -> str:
        return shipped_text(DATA_FILE, "items", self.code, "guidance", self.english_guidance)

    @property
    def is_record(self) -> bool:
        return self.kind == "record"

    @property
    def is_required(self) -> bool:
        return self.tier == REQUIRED

    @property
    def tier_label(self) -> str:
        return TIER_LABELS[self.tier]

    @property
    def clauses_label(self) -> str:
        return format_clause_list(self.clauses)


def load_items(path: Path = DATA_FILE) -> tuple[MandatoryItem, ...]:
    raw = json.loads(path.read_text(encoding="utf-8"))["items"]
    return tuple(
        MandatoryItem(
            code=item["code"],
            kind=item["kind"],
            english_title=item["title"],
            clauses=tuple(item["clauses"]),
            phase=str(item["phase"]),
            doc_type=item["doc_type"],
            english_guidance=item["guidance"],
            tier=item.get("tier", REQUIRED),
        )
        for item in raw
    )


@cache
def mandatory_items() -> tuple[MandatoryItem, ...]:
    return load_items()


@cache
def mandatory_by_code() -> dict[str, MandatoryItem]:
    return {item.code: item for item in mandatory_items()}


def required_items() -> tuple[MandatoryItem, ...]:
    """The items the standard demands: the readiness gate and coverage count these."""
    return tuple(item for item in mandatory_items() if item.is_required)
