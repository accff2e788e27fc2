"""Page parts cached per project: a save in one project leaves every other project's parts warm.

Some parts of a page cost many queries and much rendering but change only when someone saves
(the dashboard's cards, readiness blockers, an audit's findings). `{% cachedpart "name" %}` (template
tag `cachedpart`) keeps such a part's HTML in Django's cache and serves it again while its
**namespace** is unchanged.

* A namespace is a project (`project:<id>`), or a user for what is theirs across projects (pending
  invitations: `user:<id>`). Each has a **generation**, a random number in the shared cache. A part's
  key holds the generations of its namespaces, so clearing a namespace is one key write (the way
  pretix's ObjectRelatedCache works): the old parts are never asked for again and expire.
* Writes say so explicitly, in the service write path every save already passes through: the
  activity record and the progress refresh call `project_changed(project_id)` (and the few services
  that record no activity call it themselves). Nothing is inferred from SQL: a write made outside the
  services (a shell, raw SQL) is seen once its project's next save goes through them.
* `project_changed` gives the namespace a new generation at once and again once the transaction
  commits: until the commit other readers see the old rows, and what they store under the first new
  generation is left behind by the second.
* A part's key holds its declared inputs (kernel/cacheparts.py: today's date, the viewer,
  their role, the query parameters it reads) and nothing else: no request path, so keys are bounded.
  tests/core/test_cachedpart_inputs.py renders every part and fails when its template reads anything
  that is not declared.

The request's CSRF token (forms inside a part) is never stored: it is stored as a placeholder and each
request's own token is put back when the part is served. Outside a GET request (a save, a management
command, a task) parts are rendered, not cached.

The cache must be shared by every process that writes (`PAGE_CACHE`, on when `CACHE_URL`/`REDIS_URL`
is set; off with per-process memory, where another worker's write would go unseen).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import threading
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.html import conditional_escape

GEN_PREFIX = "pagecache:gen:"
PART_PREFIX = "pagecache:part:"
EVERYTHING = "all"  # a namespace in every key: a restore or a flush clears every part at once

logger = logging.getLogger(__name__)
_state = threading.local()


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE", False)


def _cache():
    return caches["default"]


# --- requests ----------------------------------------------------------------------------------


class _Request:
    """The generations this request has read: each namespace is read once, so every part of a page
    is drawn against the same state of a project."""

    def __init__(self):
        self.generations: dict[str, int | None] = {}


def _current() -> _Request | None:
    return getattr(_state, "request", None)


def request_started(environ=None, **kwargs):
    # Pages are read with GET; a save (an autosave among them) renders its parts uncached.
    method = (environ or {}).get("REQUEST_METHOD", "GET")
    _state.request = _Request() if enabled() and method in ("GET", "HEAD") else None


def request_finished(**kwargs):
    _state.request = None


def connect_signals():
    from django.core import signals

    signals.request_started.connect(request_started, dispatch_uid="pagecache-request-started")
    signals.request_finished.connect(request_finished, dispatch_uid="pagecache-request-finished")


# --- namespaces and their generations ----------------------------------------------------------


def project_namespace(project_id) -> str:
    return f"project:{project_id}"


def user_namespace(user_id) -> str:
    return f"user:{user_id}"


def project_changed(project_id) -> None:
    """Every cached part of the project is stale: called by the services on each write."""
    if project_id is not None:
        changed([project_namespace(project_id)])


def user_changed(user_id) -> None:
    """The user's own cross-project parts (project list, My work) are stale."""
    if user_id is not None:
        changed([user_namespace(user_id)])


def everything_changed() -> None:
    """Every part of every project (a restore, an import that replaced rows)."""
    changed([EVERYTHING])


def changed(namespaces) -> None:
    """A new generation now (the writing request and this test's transaction see their own rows)
    and another once the transaction commits (what was stored from the old rows in between goes)."""
    namespaces = list(namespaces)
    request = _current()
    if request is not None:
        for name in namespaces:  # this request no longer trusts what it read before the write
            request.generations[name] = None
    _write_generations(namespaces)
    if not transaction.get_autocommit():  # in a transaction: again once it commits
        transaction.on_commit(lambda: _write_generations(namespaces))


# Namespaces this process changed while the cache could not be reached: their new generations are
# owed. Until they are written this process serves no part of them, and it writes them at its next
# chance, so parts stored before the outage are not served again once Redis is back with its old data.
_unwritten: set[str] = set()
_unwritten_lock = threading.Lock()


class CacheUnreachable(Exception):
    pass


def _write_generations(namespaces) -> bool:
    with _unwritten_lock:
        names = set(namespaces) | _unwritten
        _unwritten.clear()
    if not names:
        return True
    try:
        _set_generations({name: secrets.randbits(62) for name in names})
    except CacheUnreachable as error:
        logger.warning("Page cache generations not written (%s); owed: %s", error, sorted(names))
        with _unwritten_lock:
            _unwritten.update(names)
        return False
    return True


def _redis():
    """The Redis connection behind the default cache, or None for another backend (django-redis's
    published `get_redis_connection`)."""
    try:
        from django_redis import get_redis_connection
        from django_redis.cache import RedisCache
    except ImportError:  # pragma: no cover - django-redis is a dependency
        return None
    if not isinstance(_cache(), RedisCache):
        return None
    return get_redis_connection("default")


def _set_generations(mapping: dict[str, int]) -> None:
    """Written without expiry. Through the Redis connection itself: the cache ignores an unreachable
    Redis (IGNORE_EXCEPTIONS), and a generation silently not written would leave stale parts served.
    Integers are stored by django-redis as they are, so `cache.get_many` reads them back."""
    cache = _cache()
    connection = _redis()
    if connection is None:
        cache.set_many({GEN_PREFIX + name: value for name, value in mapping.items()}, timeout=None)
        return
    from redis.exceptions import RedisError

    try:
        pipeline = connection.pipeline(transaction=False)
        for name, value in mapping.items():
            pipeline.set(cache.make_and_validate_key(GEN_PREFIX + name), value)
        pipeline.execute()
    except RedisError as error:
        raise CacheUnreachable(str(error)) from error


def generations(namespaces) -> dict[str, int | None]:
    """The current generation of each namespace; None where none can be trusted (owed, or the cache
    unreachable). A namespace never written (or evicted) is given one."""
    if _unwritten:
        _write_generations(())
    names = list(namespaces)
    found = _cache().get_many([GEN_PREFIX + name for name in names])
    result = {name: found.get(GEN_PREFIX + name) for name in names}
    missing = [name for name, value in result.items() if value is None]
    if missing:
        fresh = {name: secrets.randbits(62) for name in missing}
        for name, value in fresh.items():
            # add: two processes giving the same namespace its first generation agree on one
            if _cache().add(GEN_PREFIX + name, value, timeout=None):
                result[name] = value
        still = [name for name in missing if result[name] is None]
        if still:  # another process added first (or the cache is down: then nothing is found again)
            again = _cache().get_many([GEN_PREFIX + name for name in still])
            result.update({name: again.get(GEN_PREFIX + name) for name in still})
    owed = set(_unwritten)
    return {name: None if name in owed else value for name, value in result.items()}


def _request_generations(request: _Request, namespaces) -> dict[str, int | None]:
    unread = [name for name in namespaces if name not in request.generations]
    if unread:
        request.generations.update(generations(unread))
    return {name: request.generations[name] for name in namespaces}


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


def part_key(name, generations_, inputs) -> str:
    """Bounded: the part's name and a digest of its generations and declared inputs."""
    digest = hashlib.blake2b(
        repr((code_version(), name, sorted(generations_.items()), inputs)).encode(), digest_size=16
    ).hexdigest()
    return f"{PART_PREFIX}{name}:{digest}"


@functools.cache
def _csrf_placeholder() -> str:
    """Stands for the CSRF token in a stored part. Nothing a user writes can contain it: NUL is
    refused by PostgreSQL's text and by every form's CharField, and the rest derives from the secret."""
    return "\x00csrf-" + salted_hmac("pagecache.csrf", "placeholder").hexdigest()[:24] + "\x00"


def cached_part(name: str, namespaces, inputs: tuple, render, *, csrf_token: str = "") -> str:
    """The HTML `render()` gives, from the cache while the generations of `namespaces` (and of
    EVERYTHING) are those it was stored with. `inputs` are the part's declared inputs, resolved.
    `csrf_token` (the request's) is kept out of the cache: a placeholder there, this token served."""
    request = _current()
    if request is None:
        return render()  # switched off, or not in a request
    found = _request_generations(request, [EVERYTHING, *namespaces])
    if any(value is None for value in found.values()):
        return render()  # the cache is unreachable, or a generation is owed
    key = part_key(name, found, inputs)
    html = _local.get(key)
    if html is None:
        html = _cache().get(key)
    if html is not None:
        _local.put(key, html)
        return _with_token(html, csrf_token)
    html = render()
    if csrf_token and len(csrf_token) < 32 and csrf_token in html:
        return html  # not a real token (Django's "NOTPROVIDED", a test's): too short to stand for
    stored = html.replace(csrf_token, _csrf_placeholder()) if csrf_token and csrf_token in html else html
    _cache().set(key, stored)
    _local.put(key, stored)
    return html


def _with_token(html, csrf_token):
    placeholder = _csrf_placeholder()
    if placeholder not in html:
        return html
    return type(html)(html.replace(placeholder, csrf_token))  # a SafeString stays safe


class _LocalParts:
    """The parts this process served last, kept in its memory (a Redis round trip less per part).
    Safe to keep: a key holds the generations its part was drawn at."""

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
