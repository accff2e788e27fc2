"""Clause numbers of the standard ("8.5.1"), in one place: parsing, order, prefixes, the stored
list format and the roadmap's clause references ("4.1–4.4, 5.1", "8.x", "all")."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A clause number as people type it into a document's clause list: "8", "8.5", "8.5.1".
CLAUSE_NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2}){0,4}$")
SEPARATORS = re.compile(r"[\s,;]+")


def clause_key(number: str) -> tuple[int, ...]:
    """Sort key: "8.10" after "8.9"."""
    return tuple(int(part) for part in re.findall(r"\d+", number))


def sort_clauses(numbers: Iterable[str]) -> list[str]:
    return sorted(numbers, key=clause_key)


def top_clause(number: str) -> str:
    """The top-level clause a number belongs to: "8" for "8.5.1"."""
    return number.split(".")[0]


def is_within(number: str, prefix: str) -> bool:
    """Is `number` the clause `prefix` or one of its sub-clauses? ("8.5.1" is within "8.5", "8.50" is not.)"""
    return number == prefix or number.startswith(prefix + ".")


def with_parents(number: str) -> list[str]:
    """The clause and every clause above it: "8.5.1" -> ["8", "8.5", "8.5.1"]."""
    parts = number.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def parse_clause_list(text: str | None) -> list[str]:
    """The clause numbers in free text or a stored list, split on commas, semicolons and spaces."""
    return [part for part in SEPARATORS.split(text or "") if part]


def format_clause_list(numbers: Iterable[str]) -> str:
    """The stored format of a list of clauses: "5.2.1, 5.2.2" (duplicates dropped, order kept)."""
    return ", ".join(dict.fromkeys(numbers))


def clause_list_regex(number: str) -> str:
    """Database regex matching a stored clause list that names `number` or one of its sub-clauses."""
    return r"(^|[ ,])" + re.escape(number) + r"(\.|,|$)"


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
