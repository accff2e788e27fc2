"""The one delivery row machine: e-mail (the outbox), webhook deliveries and report rendering.

A delivery row goes pending -> claimed -> done, or back to pending to be tried again, or failed:

- `claim` takes a pending (and due) row with a conditional UPDATE that must hit exactly one row, so a
  task delivered twice (late acknowledgement, a restarted worker, a flush racing a retry) sends once;
- `succeed` marks the row done; `give_up` fails it; `retry_or_give_up` puts it back to pending after a
  transient error (with its backoff when the row keeps its own schedule) until its last attempt;
- `sweep_stuck` handles rows claimed longer than the lease: their worker stopped. Where sending again
  could send twice (an e-mail, a webhook post that may have arrived) they are failed; where the work
  is safe to redo (a PDF) they go back to pending until the attempts are used up;
- `due_ids` lists the pending rows whose task was lost, for the periodic flush.

Each table keeps its own status names and column names (the outbox says "sent", a report "done"):
its `machine = Machine(...)` says which is which. The tables belong to their apps; `DeliveryRow` is
abstract, so the kernel still has none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .models import TimeStamped

ERROR_LIMIT = 2000  # characters of an error kept on the row


@dataclass(frozen=True)
class Machine:
    """How one table plays the delivery machine: its status values and columns, its limits."""

    pending: str
    claimed: str
    done: str
    failed: str
    max_attempts: Callable[[], int]  # read when used, so a setting changed at run time (tests) counts
    lease: Callable[[], timedelta]  # a claim older than this was lost with its worker
    claimed_at: str = "claimed_at"
    error: str = "last_error"
    done_at: str | None = None  # stamped on success (sent_at, delivered_at, finished_at)
    failed_at: str | None = None  # stamped on failure (a report's finished_at)
    due_at: str | None = None  # a row that keeps its own retry schedule (webhooks: next_attempt_at)
    backoff: Callable[[int], int] | None = None  # attempts so far -> seconds until the next one
    # A stuck row goes back to pending while attempts remain (work safe to redo), else it is failed.
    redo_stuck: bool = False
    # The reason a stuck row is failed with; may name {lease} (seconds) and, when redone, {attempts}.
    stuck_error: str = "The worker stopped."
    requeue: Callable[..., dict] = field(default=lambda now: {})  # requeue(now) -> columns set on redo


class DeliveryRow(TimeStamped):
    """A row one worker at a time claims and delivers. Each table sets its own `status` choices
    and default (its TextChoices) and its `machine = Machine(...)`."""

    status = models.CharField(max_length=20)
    attempts = models.PositiveSmallIntegerField(default=0)  # claims so far

    machine: ClassVar[Machine]

    class Meta:
        abstract = True


def _error(text: str) -> str:
    return text[:ERROR_LIMIT]


def claim(model, pk: int, *, where: Q | None = None, **also) -> bool:
    """pending -> claimed, exactly once: True for the one caller whose UPDATE hit the row."""
    machine: Machine = model.machine
    now = timezone.now()
    rows = model.objects.filter(where or Q(), pk=pk, status=machine.pending)
    if machine.due_at:
        rows = rows.filter(**{f"{machine.due_at}__lte": now})
    return (
        rows.update(
            status=machine.claimed,
            attempts=F("attempts") + 1,
            updated_at=now,
            **{machine.claimed_at: now},
            **also,
        )
        == 1
    )


def succeed(model, pk: int, *, held: bool = True, **also) -> bool:
    """claimed -> done. With `held`, only while this claim still holds the row (a sweep that
    decided otherwise meanwhile keeps its verdict): False then."""
    machine: Machine = model.machine
    now = timezone.now()
    rows = model.objects.filter(pk=pk)
    if held:
        rows = rows.filter(status=machine.claimed)
    fields = {machine.error: "", **also}
    if machine.done_at:
        fields.setdefault(machine.done_at, now)
    return rows.update(status=machine.done, updated_at=now, **fields) == 1


def give_up(
    model, pk: int, *, error: str, from_: tuple[str, ...] | None = None, where: Q | None = None, **also
) -> bool:
    """-> failed, with the reason where the user sees it. From claimed unless `from_` says which;
    `where` narrows it further (a register snapshot: only while still this run's claim)."""
    machine: Machine = model.machine
    now = timezone.now()
    fields = {machine.error: _error(error), **also}
    if machine.failed_at:
        fields.setdefault(machine.failed_at, now)
    rows = model.objects.filter(where or Q(), pk=pk, status__in=from_ or (machine.claimed,))
    return rows.update(status=machine.failed, updated_at=now, **fields) == 1


def retry_or_give_up(model, row, *, error: str, **also) -> int | None:
    """After a transient error on a claimed row (`row` as loaded after the claim): back to pending,
    due after its backoff, and the seconds to wait returned; None when that was the last attempt
    and the row is failed."""
    machine: Machine = model.machine
    if row.attempts >= machine.max_attempts():
        give_up(model, row.pk, error=error, **also)
        return None
    now = timezone.now()
    countdown = machine.backoff(row.attempts) if machine.backoff else 0
    if machine.due_at:
        also[machine.due_at] = now + timedelta(seconds=countdown)
    model.objects.filter(pk=row.pk, status=machine.claimed).update(
        status=machine.pending, updated_at=now, **{machine.error: _error(error)}, **also
    )
    return countdown


def sweep_stuck(model, *, now=None) -> dict[str, list[int]]:
    """Rows claimed longer than the lease: their worker stopped. Redone (back to pending) while
    attempts remain where the machine allows it, otherwise failed. A row is changed only while it
    is still in the claim that was found stuck, so a worker finishing at that moment keeps its result."""
    machine: Machine = model.machine
    now = now or timezone.now()
    lease = machine.lease()
    stuck = model.objects.filter(status=machine.claimed, **{f"{machine.claimed_at}__lt": now - lease})
    failing = {machine.failed_at: now} if machine.failed_at else {}
    if not machine.redo_stuck:
        # Nothing is sent again: one UPDATE for them all, whatever their number.
        ids = list(stuck.values_list("pk", flat=True))
        stuck.filter(pk__in=ids).update(
            status=machine.failed,
            updated_at=now,
            **{machine.error: _error(machine.stuck_error.format(lease=int(lease.total_seconds())))},
            **failing,
        )
        return {"retried": [], "failed": ids}
    retried: list[int] = []
    failed: list[int] = []
    for row in stuck:  # rare (a worker lost mid-run), and each row's own claim is checked
        same_claim = model.objects.filter(
            pk=row.pk, status=machine.claimed, **{machine.claimed_at: getattr(row, machine.claimed_at)}
        )
        if row.attempts < machine.max_attempts():
            if same_claim.update(
                status=machine.pending, updated_at=now, **{machine.claimed_at: None}, **machine.requeue(now)
            ):
                retried.append(row.pk)
        elif same_claim.update(
            status=machine.failed,
            updated_at=now,
            **{
                machine.error: _error(
                    machine.stuck_error.format(lease=int(lease.total_seconds()), attempts=row.attempts)
                )
            },
            **failing,
        ):
            failed.append(row.pk)
    return {"retried": retried, "failed": failed}


def due_ids(model, *, where: Q | None = None, limit: int = 1000) -> list[int]:
    """Pending rows whose time has come, for the periodic flush (their task was lost)."""
    machine: Machine = model.machine
    rows = model.objects.filter(where or Q(), status=machine.pending)
    if machine.due_at:
        rows = rows.filter(**{f"{machine.due_at}__lte": timezone.now()})
    return list(rows.values_list("pk", flat=True)[:limit])
