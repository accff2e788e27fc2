"""The management report's sections, built from what the apps declared (kernel.extensions).

Builders read through selectors with a constant number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kernel.extensions import report_sections


@dataclass
class BuiltSection:
    key: str
    title: str
    template: str
    data: dict
    break_before: bool = False


def build_sections(project, *, today: date) -> list[BuiltSection]:
    built, shared = [], {}
    for section in report_sections():
        data = section.build(project, today=today, shared=shared)
        if data is not None:
            built.append(
                BuiltSection(section.key, section.title, section.template, data, section.break_before)
            )
    return built
