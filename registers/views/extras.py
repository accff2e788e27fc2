"""What a register's detail page shows beyond its fields: the service's targets and recent months,
a target's actuals, an objective's measurements, the links between services, suppliers and risks."""

import datetime as dt

from .. import permissions, selectors

RECENT_MONTHS = 6


def _month_start(today: dt.date, months_back: int) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - months_back, 12)
    return dt.date(year, month + 1, 1)


def context(kind, obj, access) -> dict:
    if kind.key == "services":
        targets = selectors.targets_of(obj)
        since = _month_start(dt.date.today(), RECENT_MONTHS - 1)
        recent = selectors.recent_actuals(targets, since=since)
        return {
            "targets": [(t, recent[t.pk]) for t in targets],
            "dependencies": list(obj.dependencies.all()),
            "dependents": list(obj.dependents.all()),
            "suppliers": list(obj.suppliers.all()),
            "risks": list(obj.risks.all()),
            "can_add_child": permissions.can_create_child(access, kind, obj),
        }
    if kind.key == "targets":
        return {
            "actuals": selectors.actuals_of(obj),
            "can_add_child": permissions.can_create_child(access, kind, obj),
            "can_edit_actuals": permissions.can_edit(access, kind, obj),
        }
    if kind.key == "objectives":
        measurements = selectors.measurements_of(obj)
        return {
            "measurements": measurements,
            "can_add_child": permissions.can_create_child(access, kind, obj),
        }
    if kind.key == "suppliers":
        return {"linked_services": list(obj.services.all())}
    if kind.key == "risks":
        return {"linked_services": list(obj.affected_services.all())}
    return {}


def delete_warning(kind, obj) -> str:
    if kind.key == "services":
        return (
            "Its SLA targets and every month recorded for them are deleted with it; suppliers and risks "
            "linked to it stay, without the link. The history keeps what it held."
        )
    if kind.key == "targets":
        return "Every month recorded for this target is deleted with it."
    if kind.key == "objectives":
        return "Its measurements are deleted with it."
    return "The entry leaves the register; its history keeps what it held."
