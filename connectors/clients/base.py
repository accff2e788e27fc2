import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from ..http import HttpClient
from ..normalise import MalformedData, TicketData


@dataclass
class Page:
    tickets: list[TicketData]
    next_cursor: dict | None  # None: this was the last page
    total: int | None = None


class BaseClient:
    def __init__(self, connector, credentials: dict, *, sleep=None):
        self.connector = connector
        self.credentials = credentials or {}
        self.page_size = settings.CONNECTOR_PAGE_SIZE
        self.http = HttpClient(
            connector.base_url,
            auth=self.auth(),
            headers=self.headers(),
            sleep=sleep if sleep is not None else time.sleep,
        )

    def auth(self):
        username, secret = self.credentials.get("username", ""), self.credentials.get("secret", "")
        return (username, secret) if username else None

    def headers(self) -> dict:
        return {}

    def test_connection(self) -> str:
        raise NotImplementedError

    def fetch_page(self, *, since: datetime | None, cursor: dict) -> Page:
        raise NotImplementedError


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise MalformedData(message)


def text(value) -> str:
    """A name from a value that may be a string, a number or an object with a name."""
    if value is None:
        return ""
    if isinstance(value, dict):
        for key in ("name", "Name", "display_value", "value", "key", "id"):
            if value.get(key) not in (None, ""):
                return str(value[key])
        return ""
    if isinstance(value, list):
        return ", ".join(filter(None, (text(v) for v in value)))
    return str(value)
