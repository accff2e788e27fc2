"""An outage answered 503 leaves one line in the log, never a traceback (issue 19 §1): also when the
database goes away in a middleware, where Django and django-structlog would each log the exception."""

import io
import logging

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from kernel import outages
from tests.core.test_outages import _database_down


@pytest.fixture
def console():
    """The configured console handler (settings.LOGGING), writing to a buffer for the test."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, outages.OutageTracebackFilter) for f in h.filters)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.django_db
def test_the_database_lost_while_the_session_is_saved_is_one_line_without_traceback(
    settings, console, monkeypatch
):
    settings.ROOT_URLCONF = "tests.core.outage_urls"

    def save(self, must_create=False):
        raise _database_down()

    monkeypatch.setattr(SessionStore, "save", save)
    response = Client(raise_request_exception=False).get("/touch-session/")

    assert response.status_code == 503
    text = console.getvalue()
    assert "Database unavailable: answered 503 to GET /touch-session/" in text
    assert "Traceback" not in text and "request_failed" not in text, text


@pytest.mark.django_db
def test_another_error_in_a_middleware_keeps_its_traceback(settings, console, monkeypatch):
    settings.ROOT_URLCONF = "tests.core.outage_urls"

    def save(self, must_create=False):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(SessionStore, "save", save)
    response = Client(raise_request_exception=False).get("/touch-session/")

    assert response.status_code == 500
    text = console.getvalue()
    assert "request_failed" in text and "Traceback" in text and "a bug, not an outage" in text


def _record(exc_info=None, msg="x"):
    return logging.LogRecord("django.request", logging.ERROR, __file__, 1, msg, (), exc_info)


def test_the_filter_reads_the_exception_of_stdlib_and_structlog_records():
    log_filter = outages.OutageTracebackFilter()
    outage = _database_down()
    assert not log_filter.filter(_record((type(outage), outage, None)))
    assert log_filter.filter(_record((ValueError, ValueError("x"), None)))
    try:
        raise outage
    except Exception:
        assert not log_filter.filter(_record(msg={"event": "request_failed", "exc_info": True}))
    try:
        raise ValueError("x")
    except ValueError:
        assert log_filter.filter(_record(msg={"event": "request_failed", "exc_info": True}))
    assert log_filter.filter(_record(msg="a plain line"))
