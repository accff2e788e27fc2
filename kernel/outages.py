"""When a service the site needs is down: a 503 that says so, one clear log line, and service again
as soon as it is back, with no process restarted.

* PostgreSQL unreachable (stopped, restarting, the network gone): every page answers the
  self-contained `503.html` (no database, session or cache needed to draw it) and every `/api/`
  route a problem+json 503; the log gets one line naming the database. A connection the server
  dropped is replaced on the next request (CONN_HEALTH_CHECKS; the psycopg pool checks its
  connections the same way), so nothing has to be restarted.
* The task queue (Redis as Celery's broker) unreachable: what needs it raises `QueueUnavailable`;
  a view that does not answer it itself gets the same 503, "Could not queue this, try again in a
  moment." Rows that wait to be sent (outbox, webhook deliveries, reports) stay in PostgreSQL and
  the periodic sweeps send them once the broker is back.
* The cache (Redis through django-redis) unreachable: a miss, never an error (IGNORE_EXCEPTIONS);
  `CacheOutageLogFilter` turns django-redis's traceback per ignored call into one line, at most one
  every few seconds per process.
* `/healthz/` is answered here, before sessions and authentication: it names what is down whether
  or not the probe carries a session cookie.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .health import healthz
from .queueing import QueueUnavailable

logger = logging.getLogger("sms_tracker.outages")

QUEUE_MESSAGE = gettext_lazy("Could not queue this, try again in a moment.")
DATABASE_MESSAGE = gettext_lazy("The database cannot be reached just now. Try again in a moment.")
RETRY_AFTER_SECONDS = 30
PROBLEM_TYPE = "https://sms-tracker.invalid/problems/"  # as api/problems.py
HEALTHZ_PATH = "/healthz/"

# SQLSTATEs that mean the connection, not the statement, failed: class 08 (connection exception),
# and the server shutting down or starting up (57P01 admin shutdown, 57P02 crash, 57P03 cannot
# connect now). Errors raised by the client itself (refused, reset, closed) carry no SQLSTATE.
_CONNECTION_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def is_database_outage(error: BaseException) -> bool:
    """True for a database error that says the server cannot be reached or went away; False for one
    a statement caused (a deadlock, a constraint, SQLite's "database is locked")."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if cause is None or type(cause).__module__.startswith("sqlite3"):
        return False
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(_CONNECTION_SQLSTATES)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__


def unavailable(request, what: str, error: BaseException) -> HttpResponse:
    """The 503 for `request`: problem+json under /api/, the self-contained page elsewhere."""
    message = QUEUE_MESSAGE if what == "queue" else DATABASE_MESSAGE
    logger.error(
        "%s unavailable: answered 503 to %s %s (%s: %s)",
        "Task queue" if what == "queue" else "Database",
        request.method,
        request.path,
        type(error).__name__,
        _first_line(error),
    )
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "type": PROBLEM_TYPE + ("queue-unavailable" if what == "queue" else "database-unavailable"),
                "title": _("Service unavailable"),
                "status": 503,
                "detail": message,
                "instance": request.get_full_path(),
            },
            status=503,
            content_type="application/problem+json",
        )
    else:
        # No request in the context: no context processor runs (they read the session and the
        # database), and the template uses no tag that would.
        response = HttpResponse(loader.render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def outage_of(error: BaseException | None) -> str | None:
    if isinstance(error, QueueUnavailable):
        return "queue"
    if isinstance(error, DatabaseError) and is_database_outage(error):
        return "database"
    return None


class ServiceUnavailableMiddleware:
    """Placed before the session and authentication middleware (settings.MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ_PATH:
            return healthz(request)
        try:
            # Opens (or health-checks) the request's connection before anything else needs it, so
            # a database that is down is one clear 503 rather than an error deep in the session
            # middleware. Creating a cursor sends nothing to the server.
            connection.cursor().close()
        except DatabaseError as error:
            if not is_database_outage(error):
                raise
            return unavailable(request, "database", error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        what = outage_of(exception)
        return unavailable(request, what, exception) if what else None


def server_error(request):
    """handler500: an outage met where no middleware saw it (a session saved as the database went
    away) is still a 503; anything else is the plain 500 page, or a problem+json 500 under /api/."""
    error = sys.exc_info()[1]
    what = outage_of(error)
    if what:
        return unavailable(request, what, error)
    if request.path.startswith("/api/"):
        # An API client reads problem details, never the HTML error page.
        return JsonResponse(
            {
                "type": PROBLEM_TYPE + "server-error",
                "title": _("Server error"),
                "status": 500,
                "detail": _("Something went wrong on our side; it has been logged."),
                "instance": request.get_full_path(),
            },
            status=500,
            content_type="application/problem+json",
        )
    return HttpResponse(loader.render_to_string("500.html"), status=500)


class CacheOutageLogFilter(logging.Filter):
    """django-redis logs every call it ignored with a traceback: several per request while Redis is
    down. This keeps one line, and at most one every `interval` seconds per process (with the count
    of those left out)."""

    def __init__(self, interval: float = 10.0):
        super().__init__()
        self.interval = interval
        self._lock = threading.Lock()
        self._last = 0.0
        self._left_out = 0

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.interval:
                self._left_out += 1
                return False
            left_out, self._left_out, self._last = self._left_out, 0, now
        cause = getattr(error, "__cause__", None) or error
        detail = f"{type(cause).__name__}: {_first_line(cause)}" if cause else record.getMessage()
        record.msg = "Cache unavailable, served without it (%s)%s"
        record.args = (detail, f"; {left_out} more since the last line" if left_out else "")
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class OutageTracebackFilter(logging.Filter):
    """Drops the records that repeat, with a traceback, an outage `unavailable()` has already logged
    in one line: Django's "Service Unavailable: /path" (django.request) and django-structlog's
    `request_failed`, both written when the database goes away in a middleware (the session saved as
    the server stops) rather than in a view. Any other error keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        # structlog's `logger.exception(...)` carries exc_info=True in its event dict and is rendered
        # while the exception is still being handled, as this filter runs.
        if error is None and isinstance(record.msg, dict) and record.msg.get("exc_info"):
            exc_info = record.msg["exc_info"]
            error = exc_info if isinstance(exc_info, BaseException) else sys.exc_info()[1]
        return outage_of(error) is None
