"""The management progress report and the sections that `projects` data gives.

They are declared in reports/integration.py; the sections of the other apps (gap score per
clause, documented-information coverage, findings) in each app's integration.py.
"""

import re
from collections import OrderedDict

from django.conf import settings
from django.utils.translation import gettext as _

from projects import selectors
from projects.models import Task
from projects.outlook import schedule_outlook
from projects.progress import overall_progress
from projects.timeline import timeline_chart
from readiness.gate import STAGES, readiness

from .registry import build_sections

OVERDUE_LISTED = 40


def _dashboard(project, shared):
    if "dashboard" not in shared:
        shared["dashboard"] = selectors.dashboard(project=project)
    return shared["dashboard"]


def _gates(project, shared):
    """Both readiness gates (readiness.gate), computed once per report."""
    if "gates" not in shared:
        shared["gates"] = [readiness(project, stage) for stage in STAGES]
    return shared["gates"]


def _blockers(project, shared):
    return _gates(project, shared)[0].blockers


def summary_section(project, *, today, shared):
    data = _dashboard(project, shared)
    phases = data["phases"]
    counts = data["task_counts"]
    return {
        "progress": overall_progress(phases, {p.pk: p.progress for p in phases}),
        "forecast": data["forecast"],
        # The report has the Stage 1 blockers anyway: the outlook counts them whenever Stage 1 is near.
        "outlook": schedule_outlook(
            data["forecast"],
            phases=phases,
            overdue_tasks=counts["overdue"],
            today=today,
            stage1_blockers=len(_blockers(project, shared)),
        ),
        "counts": counts,
        "phases_done": sum(1 for p in phases if p.is_closed),
        "phases_total": len(phases),
        "current_phases": [p for p in phases if p.status == "in_progress"],
        "blocker_count": len(_blockers(project, shared)),
        "days_to_target": (project.target_certification_date - today).days,
    }


def timeline_section(project, *, today, shared):
    phases = _dashboard(project, shared)["phases"]
    return {"chart": timeline_chart(phases, today=today, target=project.target_certification_date)}


def phases_section(project, *, today, shared):
    """The phase table, with who owns what checked: a phase without an owner, or owned by someone
    who is no longer a member, is flagged (issue 25 §2.3)."""
    phases = _dashboard(project, shared)["phases"]
    members = set(project.memberships.values_list("user_id", flat=True))
    unowned = [p for p in phases if p.owner_id is None and not p.is_closed]
    former = [p for p in phases if p.owner_id is not None and p.owner_id not in members]
    return {
        "phases": phases,
        "today": today,
        "members": members,
        "unowned": unowned,
        "former_owned": former,
    }


def overdue_section(project, *, today, shared):
    overdue = Task.objects.overdue(today).filter(project=project)
    listed = list(overdue.select_related("assignee", "phase").order_by("due_date", "id")[:OVERDUE_LISTED])
    total = overdue.count() if len(listed) == OVERDUE_LISTED else len(listed)
    for task in listed:
        task.days_overdue = (today - task.due_date).days
    return {"tasks": listed, "total": total, "more": total - len(listed)}


BLOCKERS_LISTED = 25  # per category; the readiness page has them all


SAME_KIND_MERGED = 4  # this many blockers saying the same of different subjects become one bullet
_SUBJECT_AND_KIND = re.compile(r"^(?P<subject>.+?)(?P<kind>: .+| is .+| are .+)$")
_SHORT_SUBJECT = re.compile(r"^(?:Clause |Phase )?(?P<code>[A-Z]{0,4}-?\d[\w.-]*?)\.?(?:\s|$)")


def _kind_of(blocker) -> tuple[str, str] | None:
    """(subject, kind) of "Clause 4.1 Context is not covered by …" → ("4.1", "not covered by …"):
    blockers of one kind differ only in their subject."""
    match = _SUBJECT_AND_KIND.match(blocker.message)
    if not match:
        return None
    subject, kind = match.group("subject"), match.group("kind")
    kind = kind.removeprefix(": ").removeprefix(" is ").removeprefix(" are ").rstrip(".")
    short = _SHORT_SUBJECT.match(subject)
    return (short.group("code") if short else subject), kind


def _kind_and_subject(blocker) -> tuple[str, str, str] | None:
    """(key, wording, subject): a blocker that declares its kind is grouped by that stable key and
    worded in the report's language; one that does not, by what its English message says (the
    rules that declare no kind yet; in another language they stay one bullet each)."""
    if blocker.kind:
        return f"kind:{blocker.kind}", _(blocker.kind), blocker.subject
    found = _kind_of(blocker)
    if found is None:
        return None
    return f"text:{found[1]}", found[1][:1].upper() + found[1][1:], found[0]


def _bullets(items) -> list[dict]:
    """One bullet per blocker, except that SAME_KIND_MERGED or more of one kind become one counted
    bullet naming their subjects (issue 25 §2.3: 57 "not covered" clauses were three pages)."""
    kinds: OrderedDict[str, list] = OrderedDict()
    for blocker in items:
        found = _kind_and_subject(blocker)  # (key, wording, subject)
        kinds.setdefault(found[0] if found else f"\0{id(blocker)}", []).append((blocker, found))
    bullets = []
    for members in kinds.values():
        if len(members) >= SAME_KIND_MERGED:
            bullets.append(
                {
                    "kind": members[0][1][1],
                    "count": len(members),
                    "subjects": [found[2] for _blocker, found in members],
                    "url": members[0][0].url,
                }
            )
        else:
            bullets.extend({"message": blocker.message, "url": blocker.url} for blocker, _found in members)
    return bullets


def _grouped(blockers):
    grouped: OrderedDict[str, list] = OrderedDict()
    for blocker in blockers:
        grouped.setdefault(blocker.category, []).append(blocker)
    groups = []
    for category, items in grouped.items():
        bullets = _bullets(items)
        groups.append(
            {
                "category": category,  # the stable key (gettext_noop'd by the rules)
                "label": _(category),
                "count": len(items),
                "listed": bullets[:BLOCKERS_LISTED],
                "more": sum(b.get("count", 1) for b in bullets[BLOCKERS_LISTED:]),
            }
        )
    return {"groups": groups, "total": sum(g["count"] for g in groups)}


def blockers_section(project, *, today, shared):
    """Stage 1 and Stage 2 readiness, each with its blockers (linked) and the shared warnings."""
    gates = _gates(project, shared)
    first = _grouped(gates[0].blockers)
    return {
        **first,  # Stage 1, as before
        "stages": [{"stage": gate.stage, **_grouped(gate.blockers)} for gate in gates],
        "warnings": gates[0].warnings,
        "site_url": settings.SITE_URL.rstrip("/"),
    }


def build_management_report(project, *, subject_id=None, today):
    return {
        "project": project,
        "today": today,
        "title": _("Management progress report"),
        "sections": build_sections(project, today=today),
        "site_url": settings.SITE_URL,
    }
