"""The management report's section of ticket figures (a report section through the registry)."""

from . import selectors


def figures_section(project, *, today, shared):
    """Each mapped process's last six closed months with its chart; None (no section) without rules."""
    overview = selectors.figures_overview(project, months=6, today=today)
    rows = [row for row in overview["rows"] if row["clause"]]
    if not rows:
        return None
    return {"columns": overview["columns"], "rows": rows}
