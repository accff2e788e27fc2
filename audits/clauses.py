"""The clause list audits are scoped to, and how roadmap phases map onto clauses."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CHECKLIST_FILE = Path("/work/briefs/iso20000-1-2018-checklist.json")


@dataclass(frozen=True)
class Clause:
    number: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


def clause_key(number: str) -> tuple[int, ...]:
    """Sort key: "8.10" after "8.9"."""
    return tuple(int(part) for part in re.findall(r"\d+", number))


@lru_cache(maxsize=1)
def _leaf_clauses() -> tuple[Clause, ...]:
    data = json.loads(CHECKLIST_FILE.read_text())
    leaves = [Clause(c["number"], c["title"]) for c in data["clauses"] if c["is_leaf"]]
    return tuple(sorted(leaves, key=lambda c: clause_key(c.number)))


def leaf_clauses(project=None) -> list[Clause]:
    """The leaf clauses of ISO/IEC 20000-1:2018, in clause order."""
    return list(_leaf_clauses())


def clause_titles(project=None) -> dict[str, str]:
    return {c.number: c.title for c in leaf_clauses(project)}


def _in_range(number: tuple[int, ...], low: tuple[int, ...], high: tuple[int, ...]) -> bool:
    width = max(len(low), len(high))
    return low <= number[: len(low)] and number[:width] <= high


def clause_in_reference(number: str, reference: str) -> bool:
    """Does the leaf clause `number` fall under a roadmap reference such as "4.1–4.4, 5.1", "8.x"?

    "all" means the whole standard; it is used by the certification stages only.
    """
    key = clause_key(number)
    for part in (p.strip() for p in reference.split(",")):
        if not part:
            continue
        if part == "all":
            return True
        if part.endswith(".x"):
            if key[:1] == clause_key(part[:-2]):
                return True
            continue
        bounds = re.split(r"\s*[–-]\s*", part)
        if len(bounds) == 2:
            if _in_range(key, clause_key(bounds[0]), clause_key(bounds[1])):
                return True
            continue
        prefix = clause_key(part)
        if key[: len(prefix)] == prefix:
            return True
    return False


def clauses_in_reference(numbers, reference: str) -> list[str]:
    return [n for n in numbers if clause_in_reference(n, reference)]
