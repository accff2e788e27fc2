"""The mandatory documented information of ISO/IEC 20000-1:2018: 23 documents and 20 records.

Loaded once from `data/iso20000-1-2018-mandatory.json` (titles and guidance in our own words;
clause numbers are facts). Each item belongs to roadmap phase 4, 5 or 6 by its clauses.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sms_tracker.core.clauses import format_clause_list

DATA_FILE = Path(__file__).resolve().parent / "data" / "iso20000-1-2018-mandatory.json"


@dataclass(frozen=True)
class MandatoryItem:
    code: str
    kind: str  # "document" (maintained) or "record" (retained)
    title: str
    clauses: tuple[str, ...]
    phase: str
    doc_type: str
    guidance: str

    @property
    def clauses_label(self) -> str:
        return format_clause_list(self.clauses)


def load_items(path: Path = DATA_FILE) -> tuple[MandatoryItem, ...]:
    raw = json.loads(path.read_text(encoding="utf-8"))["items"]
    return tuple(
        MandatoryItem(
            code=item["code"],
            kind=item["kind"],
            title=item["title"],
            clauses=tuple(item["clauses"]),
            phase=str(item["phase"]),
            doc_type=item["doc_type"],
            guidance=item["guidance"],
        )
        for item in raw
    )


@cache
def mandatory_items() -> tuple[MandatoryItem, ...]:
    return load_items()


@cache
def mandatory_by_code() -> dict[str, MandatoryItem]:
    return {item.code: item for item in mandatory_items()}
