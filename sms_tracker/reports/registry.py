"""What reports exist and what the management report contains, as registries.

Each app registers, in its AppConfig.ready() (or sms_tracker does it for the app):
- report kinds (`register_report_kind`): a template and a context builder, and for kinds about
  one record (an assessment, an audit, a review) the records one may choose from;
- sections of the management progress report (`register_report_section`), shown in `order`.
Builders read through selectors with a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ReportKindSpec:
    kind: str
    label: str
    template: str
    build: Callable[..., dict]  # build(project, *, subject_id, today) -> template context
    subjects: Callable[..., list[tuple[int, str]]] | None = None  # subjects(project) for per-record kinds


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    order: int
    template: str
    # build(project, *, today, shared) -> context, or None to leave the section out; `shared` is a dict
    # the sections of one rendering share (e.g. the phases read once).
    build: Callable[..., dict | None]
    break_before: bool = False  # start the section on a new page


@dataclass
class BuiltSection:
    key: str
    title: str
    template: str
    data: dict
    break_before: bool = False


_kinds: dict[str, ReportKindSpec] = {}
_sections: dict[str, ReportSection] = {}


def register_report_kind(spec: ReportKindSpec) -> ReportKindSpec:
    _kinds[spec.kind] = spec
    return spec


def register_report_section(section: ReportSection) -> ReportSection:
    _sections[section.key] = section
    return section


def report_kinds() -> list[ReportKindSpec]:
    return list(_kinds.values())


def report_kind(kind: str) -> ReportKindSpec | None:
    return _kinds.get(kind)


def build_sections(project, *, today: date) -> list[BuiltSection]:
    built, shared = [], {}
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        data = section.build(project, today=today, shared=shared)
        if data is not None:
            built.append(
                BuiltSection(section.key, section.title, section.template, data, section.break_before)
            )
    return built
