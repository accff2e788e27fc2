"""Whole page parts cached until a table they were read from is written: never stale after a save.

Some parts of a page cost many queries and much rendering but change only when someone saves
(the dashboard's cards, readiness blockers, an audit's findings). `{% cachedpart %}` (template tag
`cachedpart`) keeps such a part's HTML in Django's cache and serves it again while nothing it was
drawn from has changed. What "drawn from" means is not declared by hand, where one forgotten table
would serve stale pages: it is recorded.

* Every SQL statement goes through `execute_wrapper` (installed on each database connection). It
  notes the tables a statement reads (FROM/JOIN), for the request and for the parts rendering.
* Every INSERT/UPDATE/DELETE gives the tables it writes a new **generation** (a random token in the
  shared cache) once it is committed: at once in autocommit, after the commit in a transaction
  (one write to the cache per transaction). Until then readers see the old rows and the old
  generation, which agree; the writing request stops trusting its snapshot for those tables.
* Just before a request's first query, the generations of every table are read at once (one
  MGET): the request's **snapshot**. A part is stored with the snapshot's generations of every
  table the request had read when the part was done — those the part read and those read before it
  (the project of the access check, data a view computed eagerly) — and served while each of them
  is unchanged. Data read after the snapshot is at least as new as it, so a write can never hide
  between a read and the generations it is stored with.

Anything a part shows that was not read from the database in this request (today's date, the
viewer's role, the query string) must be in its key. The request's CSRF token (forms inside a part)
is never stored: it is stored as a placeholder and each request's own token is put back when the
part is served. Outside a GET request (a save, a management command, a task) parts are rendered,
not cached.
The generations are global per table, not per project: a save in one project invalidates the same
part of every project (correct, and cheap enough: a part is rebuilt on its next view).

The cache must be shared by every process that writes (`PAGE_CACHE`, on when `CACHE_URL`/`REDIS_URL`
is set; off with per-process memory, where another worker's write would go unseen).
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import uuid
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils.crypto import salted_hmac
from django.utils.html import conditional_escape

READ = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
TRUNCATE = re.compile(r"^\s*TRUNCATE\b", re.IGNORECASE)
TRUNCATE_TABLES = re.compile(r'"([A-Za-z0-9_]+)"')
GEN_PREFIX = "pagecache:gen:"
PART_PREFIX = "pagecache:part:"

_state = threading.local()


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE", False)


# --- recording reads and bumping generations --------------------------------------------------


class _Request:
    """What one request has read, and the generations at its first query."""

    def __init__(self):
        self.snapshot = None
        self.tables = set()


def _current() -> _Request | None:
    return getattr(_state, "request", None)


def request_started(environ=None, **kwargs):
    # Pages are read with GET; a save (an autosave among them) pays for no snapshot.
    method = (environ or {}).get("REQUEST_METHOD", "GET")
    _state.request = _Request() if enabled() and method in ("GET", "HEAD") else None


def request_finished(**kwargs):
    _state.request = None


@functools.cache
def all_tables() -> tuple[str, ...]:
    from django.apps import apps

    return tuple(sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)}))


def execute_wrapper(execute, sql, params, many, context):
    request = _current()
    if request is not None:
        if request.snapshot is None:
            request.snapshot = generations(all_tables())
        request.tables.update(READ.findall(sql))
    result = execute(sql, params, many, context)
    written = WRITE.match(sql)
    if written:
        _written(context["connection"], written.group(1))
    elif TRUNCATE.match(sql):  # the test database flushed between tests
        bump(TRUNCATE_TABLES.findall(sql.split(" RESTART", 1)[0]))
    return result


def _written(connection, table):
    """A new generation once the write is committed: at once in autocommit, else after the
    transaction commits (readers until then see the old rows and the old generation: consistent).
    The writing request itself no longer trusts its snapshot for that table."""
    request = _current()
    if request is not None and request.snapshot is not None:
        request.snapshot[table] = None
    if not connection.in_atomic_block or connection.atomic_blocks[0]._from_testcase:
        # Autocommit; or a test case's transaction, which never commits: bump as a commit would.
        bump([table])
        return
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
    tables = set(tables)
    if tables or _unbumped:
        _write_generations(tables)


# Tables this process wrote while the cache could not be reached: their new generations are owed.
# Until they are written, this process serves no part drawn from them, and it writes them at its next
# chance (the next snapshot or write), so parts stored before the outage are not served again once
# Redis is back with its old data (a blip, or a restart with persistence).
_unbumped: set[str] = set()
_unbumped_lock = threading.Lock()


def _write_generations(tables: set[str]) -> bool:
    with _unbumped_lock:
        tables = tables | _unbumped
        _unbumped.clear()
    mapping = {GEN_PREFIX + table: uuid.uuid4().hex for table in tables}
    try:
        _set_many_or_raise(mapping)
    except CacheUnreachable:
        with _unbumped_lock:
            _unbumped.update(tables)
        return False
    return True


class CacheUnreachable(Exception):
    pass


def _set_many_or_raise(mapping) -> None:
    """cache.set_many, but a Redis that cannot be reached is an error here: the cache ignores it
    (IGNORE_EXCEPTIONS), and a generation silently not written would leave a stale part served."""
    backend = caches["default"]
    client = getattr(backend, "client", None)
    if client is None or not hasattr(client, "set_many"):
        backend.set_many(mapping, timeout=None)  # memory: cannot fail
        return
    from django_redis.exceptions import ConnectionInterrupted

    try:
        client.set_many(mapping, timeout=None)
    except ConnectionInterrupted as error:
        raise CacheUnreachable(str(error)) from error


def generations(tables) -> dict[str, str | None]:
    if _unbumped:
        _write_generations(set())
    found = cache.get_many([GEN_PREFIX + table for table in tables])
    owed = set(_unbumped)
    return {table: None if table in owed else found.get(GEN_PREFIX + table) for table in tables}


def install(connection, **kwargs):
    if execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(execute_wrapper)


def connect_signals():
    """Wrap every connection made from now on, and those already open (the shell, tests)."""
    from django.core import signals

    signals.request_started.connect(request_started, dispatch_uid="pagecache-request-started")
    signals.request_finished.connect(request_finished, dispatch_uid="pagecache-request-finished")
    connection_created.connect(install, dispatch_uid="pagecache-install")
    for connection in connections.all(initialized_only=True):
        install(connection)


# --- cached parts ------------------------------------------------------------------------------


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


@functools.cache
def _csrf_placeholder() -> str:
    """Stands for the CSRF token in a stored part. Nothing a user writes can contain it: NUL is
    refused by PostgreSQL's text and by every form's CharField, and the rest derives from the secret."""
    return "\x00csrf-" + salted_hmac("pagecache.csrf", "placeholder").hexdigest()[:24] + "\x00"


def cached_part(name: str, key_parts: tuple, render, *, csrf_token: str = "") -> str:
    """The HTML `render()` gives, from the cache while no table the request read has been written.
    `csrf_token` (the request's) is kept out of the cache: a placeholder there, this token served."""
    request = _current()
    if request is None:
        return render()  # switched off, or not in a request
    if request.snapshot is None:  # nothing read from the database yet in this request
        request.snapshot = generations(all_tables())
    snapshot = request.snapshot
    key = part_key(name, key_parts)
    entry = _local.get(key)
    if entry is None or not _valid(entry, snapshot):
        entry = cache.get(key)
    if entry and _valid(entry, snapshot):
        _local.put(key, entry)
        return _with_token(entry["html"], csrf_token)
    html = render()
    if csrf_token and len(csrf_token) < 32 and csrf_token in html:
        return html  # not a real token (Django's "NOTPROVIDED", a test's): too short to stand for
    tables = set(request.tables)  # read before the part and inside it
    unknown = [t for t in tables if snapshot.get(t) is None]
    if unknown:
        # A table never written (or whose generation was evicted) has none to compare with: give it
        # one; the next request's snapshot has it and can store the part.
        bump([t for t in unknown if t in all_tables()])
        return html
    stored = html.replace(csrf_token, _csrf_placeholder()) if csrf_token and csrf_token in html else html
    entry = {"generations": {t: snapshot[t] for t in tables}, "html": stored}
    cache.set(key, entry)
    _local.put(key, entry)
    return html


def _with_token(html, csrf_token):
    placeholder = _csrf_placeholder()
    if placeholder not in html:
        return html
    return type(html)(html.replace(placeholder, csrf_token))  # a SafeString stays safe


def _valid(entry, snapshot) -> bool:
    return all(snapshot.get(t) == g for t, g in entry["generations"].items())


class _LocalParts:
    """The parts this process served last, kept in its memory (a Redis round trip less per part).
    Safe to keep: an entry is served only while the shared generations still match it."""

    def __init__(self, size=500):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


_local = _LocalParts()


class lazy:  # noqa: N801 - used like a function: lazy(compute)
    """A value computed on first use: passed to a `{% cachedpart %}`, on a hit it is never computed."""

    def __init__(self, compute):
        self._compute = compute
        self._done = False

    def _get(self):
        if not self._done:
            self._value = self._compute()
            self._done = True
        return self._value

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        value = self._get()
        try:
            return len(value)
        except TypeError:  # iterable only (a form): {% for %} asks every sequence for its length
            return len(list(value))

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

    def __str__(self):  # {{ value }}
        return str(self._get())

    def __html__(self):  # autoescaping: a safe string stays safe, anything else is escaped
        return conditional_escape(self._get())

    def __eq__(self, other):  # {% if value == … %}
        return self._get() == other

    __hash__ = None
