"""Whole page parts cached until a table they were read from is written: never stale after a save.

Some parts of a page cost many queries and much rendering but change only when someone saves
(the dashboard's cards, readiness blockers, an audit's findings). `{% cachedpart %}` (template tag
`cachedpart`) keeps such a part's HTML in Django's cache and serves it again while nothing it was
drawn from has changed. What "drawn from" means is not declared by hand, where one forgotten table
would serve stale pages: it is recorded.

* Every SQL statement goes through `execute_wrapper` (installed on each database connection). A
  statement run while a part renders adds the tables it reads (FROM/JOIN) to the part's record.
* Every INSERT/UPDATE/DELETE gives the tables it writes a new **generation** (a random token in the
  shared cache): once when the statement runs (the writer's own later reads) and again after its
  transaction commits (readers that read the old rows between the two).
* A part is stored with the generations of its tables, read *before* it rendered; it is served
  only while every one of them is unchanged. A part whose tables were not known before it rendered
  (the first time) is not stored, only its table list: a write between its reads and a later look
  at the generations cannot hide.

Anything a part shows that was read *before* it began (the project from the access check, today's
date, the viewer's role) must be in its key; a part that contains the request's CSRF token is never
stored. The generations are global per table, not per project: a save in one project invalidates
the same part of every project (correct, and cheap enough: parts are rebuilt on the next view).

The cache must be shared by every process that writes (`PAGE_CACHE`, on when `CACHE_URL`/`REDIS_URL`
is set; off with per-process memory, where another worker's write would go unseen).
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created

READ = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
GEN_PREFIX = "pagecache:gen:"
PART_PREFIX = "pagecache:part:"

_state = threading.local()


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE", False)


# --- recording reads and bumping generations --------------------------------------------------


class _Tables(set):
    tainted = False  # data read outside the block was used inside it: do not store


def _recorders() -> list[_Tables]:
    stack = getattr(_state, "recorders", None)
    if stack is None:
        stack = _state.recorders = []
    return stack


def execute_wrapper(execute, sql, params, many, context):
    stack = _recorders()
    if stack:
        tables = set(READ.findall(sql))
        for recorder in stack:
            recorder.update(tables)
    result = execute(sql, params, many, context)
    written = WRITE.match(sql)
    if written:
        _written(context["connection"], written.group(1))
    return result


def _written(connection, table):
    """A new generation now and another once the transaction commits (see the module docstring)."""
    bump([table])
    if connection.in_atomic_block:
        # One callback per transaction; a rolled-back (savepoint) block drops it, so a later write
        # registers a new one.
        state = connection.__dict__.get("_pagecache_pending")
        if state is None or not any(entry[1] is state[1] for entry in connection.run_on_commit):
            tables = {table}
            state = (tables, lambda: bump(tables))
            connection.__dict__["_pagecache_pending"] = state
            connection.on_commit(state[1])
        else:
            state[0].add(table)


def bump(tables):
    tables = list(tables)
    if tables:
        cache.set_many({GEN_PREFIX + table: uuid.uuid4().hex for table in tables}, timeout=None)


def generations(tables) -> dict[str, str | None]:
    found = cache.get_many([GEN_PREFIX + table for table in tables])
    return {table: found.get(GEN_PREFIX + table) for table in tables}


def install(connection, **kwargs):
    if execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(execute_wrapper)


def connect_signals():
    """Wrap every connection made from now on, and those already open (the shell, tests)."""
    connection_created.connect(install, dispatch_uid="pagecache-install")
    for connection in connections.all(initialized_only=True):
        install(connection)


# --- cached parts ------------------------------------------------------------------------------


class Recording:
    """The tables read by the statements run inside this block (nested blocks see them too)."""

    def __enter__(self):
        self.tables = _Tables()
        _recorders().append(self.tables)
        return self.tables

    def __exit__(self, *exc):
        _recorders().remove(self.tables)


@functools.cache
def code_version() -> str:
    """Changes when the code or a template changes (a deploy), so parts drawn by the old code go."""
    from django.apps import apps

    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", ())]
    roots += [Path(a.path) for a in apps.get_app_configs() if Path(a.path).resolve().is_relative_to(base)]
    stamp = hashlib.blake2b(digest_size=16)
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".html"):
                info = path.stat()
                stamp.update(f"{path}:{info.st_size}:{info.st_mtime_ns};".encode())
    return stamp.hexdigest()


def part_key(name, parts) -> str:
    digest = hashlib.blake2b(repr((code_version(), name, parts)).encode(), digest_size=16).hexdigest()
    return f"{PART_PREFIX}{name}:{digest}"


def cached_part(name: str, key_parts: tuple, render, *, must_not_contain=()) -> str:
    """The HTML `render()` gives, from the cache while no table it read has been written."""
    if not enabled():
        return render()
    key = part_key(name, key_parts)
    entry = cache.get(key)
    known = entry["tables"] if entry else cache.get(key + ":tables")
    before = generations(known) if known else {}
    if entry and None not in before.values() and before == entry["generations"]:
        return entry["html"]
    with Recording() as tables:
        html = render()
    if tables.tainted or any(secret and secret in html for secret in must_not_contain):
        return html  # read before the block began, or the request's CSRF token: never shared
    tables = sorted(tables)
    if known and set(tables) <= set(known) and None not in before.values():
        cache.set(key, {"tables": known, "generations": before, "html": html})
    else:
        missing = [t for t, g in before.items() if g is None]
        if missing:
            bump(missing)  # tables never written yet get a generation, so the next view can store
        cache.set(key + ":tables", sorted(set(tables) | set(known or ())))
    return html


class lazy:  # noqa: N801 - used like a function: lazy(compute)
    """A value computed on first use, for a `{% cachedpart %}`: on a hit it is never computed.

    Computed outside any part and then used inside one, it makes that part uncacheable this time
    (its queries were not recorded, and a write may have come between them and the part)."""

    def __init__(self, compute):
        self._compute = compute
        self._done = False

    def _get(self):
        stack = _recorders()
        if not self._done:
            self._value = self._compute()
            self._done, self._outside = True, not stack
        elif self._outside:
            for recorder in stack:
                recorder.tainted = True
        return self._value

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())

    def __bool__(self):
        return bool(self._get())

    def __getitem__(self, key):
        return self._get()[key]

    def __contains__(self, item):
        return item in self._get()

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._get(), name)
