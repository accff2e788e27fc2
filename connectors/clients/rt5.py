"""Request Tracker 5 through REST2 (/REST/2.0/).

Tickets are searched with TicketSQL, oldest update first: `LastUpdated >= 'since'` (RT compares in the
API user's time zone: give that user UTC), optionally `AND (scope)` — e.g. `Queue = 'Incidents'`.
Pages are RT's page/per_page; a response says `pages`. Custom fields named Type, Category, Service,
Emergency and Outcome fill the ticket's type, category, service name and the change fields.
Auth: an RT auth token (`Authorization: token …`) when no user name is given, else basic auth."""

from ..normalise import MalformedData, TicketData, parse_when
from .base import BaseClient, Page, expect, text

FIELDS = "Subject,Status,Queue,Priority,Created,Resolved,LastUpdated,Type,CustomFields"
INACTIVE = {"resolved", "rejected", "deleted"}


class RT5Client(BaseClient):
    API = "REST/2.0/"

    def headers(self):
        if not self.credentials.get("username") and self.credentials.get("secret"):
            return {"Authorization": f"token {self.credentials['secret']}"}
        return {}

    def test_connection(self) -> str:
        data, _ = self.http.get_json(self.API + "queues/all", what="queue list")
        expect(isinstance(data, dict) and "total" in data, "RT's queue list has an unexpected shape.")
        return f"Connected to Request Tracker: {data.get('total')} queue(s) visible to this user."

    def fetch_page(self, *, since, cursor) -> Page:
        query = "id > 0"
        if since is not None:
            query = f"LastUpdated >= '{since:%Y-%m-%d %H:%M:%S}'"
        if self.connector.scope:
            query = f"({query}) AND ({self.connector.scope})"
        page = int(cursor.get("page", 1))
        params = {
            "query": query,
            "orderby": "LastUpdated",
            "order": "ASC",
            "page": page,
            "per_page": self.page_size,
            "fields": FIELDS,
            "fields[Queue]": "Name",
        }
        data, _ = self.http.get_json(self.API + "tickets", params, what=f"page {page} of tickets")
        expect(
            isinstance(data, dict) and isinstance(data.get("items"), list),
            f"RT's page {page} has no list of tickets.",
        )
        tickets = [self.ticket(item, page) for item in data["items"]]
        pages = data.get("pages")
        last = not tickets or (isinstance(pages, int) and page >= pages)
        total = data.get("total") if isinstance(data.get("total"), int) else None
        return Page(tickets, None if last else {"page": page + 1}, total)

    def ticket(self, item, page) -> TicketData:
        if not isinstance(item, dict) or not item.get("id"):
            raise MalformedData(f"RT's page {page} holds a ticket without an id.")
        where = f"RT ticket {item.get('id')}"
        custom = {}
        for field in item.get("CustomFields") or []:
            if isinstance(field, dict) and field.get("name"):
                custom[str(field["name"]).lower()] = text(field.get("values"))
        status = text(item.get("Status"))
        resolved = parse_when(item.get("Resolved"), what=f"{where}: Resolved")
        emergency = custom.get("emergency", "").strip().lower()
        outcome = custom.get("outcome", "").strip().lower()
        return TicketData(
            external_id=str(item["id"]),
            title=text(item.get("Subject")),
            ticket_type=custom.get("type", ""),
            queue=text(item.get("Queue")),
            category=custom.get("category", ""),
            status=status,
            priority=text(item.get("Priority")),
            opened_at=parse_when(item.get("Created"), what=f"{where}: Created"),
            resolved_at=resolved,
            closed_at=resolved if status.lower() in INACTIVE else None,
            source_updated_at=parse_when(item.get("LastUpdated"), what=f"{where}: LastUpdated"),
            is_emergency={"yes": True, "true": True, "no": False, "false": False}.get(emergency),
            change_succeeded={"success": True, "successful": True, "failed": False, "failure": False}.get(
                outcome
            ),
            service_name=custom.get("service", ""),
            raw={k: v for k, v in item.items() if k not in ("_url", "CustomFields")}
            | {f"cf.{k}": v for k, v in custom.items()},
        )
