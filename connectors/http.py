"""HTTP for the connector clients: timeouts, backoff on rate limits, and errors a lead can act on.

429 (and 503) answers are retried after the tool's Retry-After (seconds or an HTTP date), else after
an exponential pause, at most CONNECTOR_MAX_RETRIES times per request. 401/403 is AuthRejected (the
connector is marked: credentials expired or revoked). Error texts name the URL path and the status,
never a header or a credential; nothing here logs a request's headers."""

import email.utils
import time
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

from .normalise import MalformedData


class ConnectorError(Exception):
    """A sync or connection test that failed; str() is the message the connector page shows."""


class AuthRejected(ConnectorError):
    pass


class RemoteError(ConnectorError):
    pass


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class HttpClient:
    def __init__(self, base_url: str, *, auth=None, headers: dict | None = None, sleep=time.sleep):
        self.base_url = base_url.rstrip("/") + "/"
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy or netrc credentials picked up from the environment
        if auth is not None:
            self.session.auth = auth
        self.session.headers.update({"Accept": "application/json", **(headers or {})})
        self.sleep = sleep
        self.waited = 0.0  # seconds spent backing off (the run reports it)

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path.lstrip("/")) if not path.startswith("http") else path

    def get(self, path: str, params=None) -> requests.Response:
        return self.request("GET", path, params)

    def request(self, method: str, path: str, params=None, data=None) -> requests.Response:
        """One request with the backoff above; `data` is a form body (a search too long for a URL)."""
        url = self.url(path)
        shown = urlsplit(url).path
        attempts = settings.CONNECTOR_MAX_RETRIES
        for attempt in range(attempts + 1):
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    timeout=settings.CONNECTOR_HTTP_TIMEOUT_SECONDS,
                    allow_redirects=False,
                )
            except requests.Timeout:
                raise RemoteError(
                    f"The tool did not answer within {settings.CONNECTOR_HTTP_TIMEOUT_SECONDS} s ({shown})."
                ) from None
            except requests.RequestException as exc:
                raise RemoteError(
                    f"Could not reach the tool at {urlsplit(url).netloc}: {type(exc).__name__}."
                ) from None
            if response.status_code in (429, 503) and attempt < attempts:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                wait = min(2.0**attempt, 60.0) if wait is None else wait
                if wait > settings.CONNECTOR_MAX_RETRY_AFTER_SECONDS:
                    raise RemoteError(
                        f"The tool asks to wait {int(wait)} s before the next request "
                        f"(HTTP {response.status_code}); "
                        "the sync will resume from here on the next run."
                    )
                self.waited += wait
                self.sleep(wait)
                continue
            if response.status_code in (401, 403):
                raise AuthRejected(
                    f"The tool refused the credentials (HTTP {response.status_code} on {shown}): "
                    "they may have "
                    "expired or lost their rights. Enter new credentials on the connector."
                )
            if response.status_code == 429:
                raise RemoteError(
                    f"Still rate-limited after {attempts} retries (HTTP 429 on {shown}); try again later."
                )
            if response.status_code >= 300:
                raise RemoteError(f"The tool answered HTTP {response.status_code} on {shown}.")
            return response
        raise AssertionError("unreachable")

    def get_json(self, path: str, params=None, *, what: str = "page", data=None):
        response = self.request("POST" if data is not None else "GET", path, params, data)
        try:
            return response.json(), response
        except ValueError:
            raise MalformedData(f"The tool's {what} is not JSON ({urlsplit(response.url).path}).") from None
