"""Request Tracker 5 through REST2 (/REST/2.0/).

Tickets are searched with TicketSQL, oldest update first: `LastUpdated >= 'since'` (RT compares in the
API user's time zone: give that user UTC), optionally `AND (scope)` — e.g. `Queue = 'Incidents'`.
Pages are RT's page/per_page; a response says `pages`. Custom fields named Type, Category, Service,
Emergency and Outcome fill the ticket's type, category, service name and the change fields.
Reopen counts: RT keeps no count, so each page's tickets get one TransactionSQL search (POST
/REST/2.0/transactions) for their status changes from resolved or rejected back to an active status —
one request per page of changed tickets, never one per ticket (RT's Resolved date survives a reopen,
so a ticket that is active again is read as not resolved).
Auth: an RT auth token (`Authorization: token …`) when no user name is given, else basic auth."""

from ..normalise import MalformedData, TicketData, parse_when
from .base import BaseClient, Page, expect, text

FIELDS = "Subject,Status,Queue,Priority,Created,Resolved,LastUpdated,Type,CustomFields"
INACTIVE = {"resolved", "rejected", "deleted"}
# A reopen: a status change out of a done status back to an active one (RT's default lifecycle).
REOPEN_FROM = ("resolved", "rejected")
REOPEN_TO = ("new", "open", "stalled")


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
        if tickets:
            reopened = self.reopen_counts([t.external_id for t in tickets], page)
            for ticket in tickets:
                ticket.reopened_count = reopened.get(ticket.external_id, 0)
        pages = data.get("pages")
        last = not tickets or (isinstance(pages, int) and page >= pages)
        total = data.get("total") if isinstance(data.get("total"), int) else None
        return Page(tickets, None if last else {"page": page + 1}, total)

    def reopen_counts(self, ticket_ids: list[str], page: int) -> dict[str, int]:
        """{ticket id: times reopened} for one page's tickets, from their status transactions: one
        search (paged by RT when a page's tickets hold more than a page of reopens)."""
        ids = " OR ".join(f"ObjectId = {int(i)}" for i in ticket_ids if str(i).isdigit())
        if not ids:
            return {}
        query = (
            "ObjectType = 'RT::Ticket' AND Type = 'Status' AND ("
            + " OR ".join(f"OldValue = '{s}'" for s in REOPEN_FROM)
            + ") AND ("
            + " OR ".join(f"NewValue = '{s}'" for s in REOPEN_TO)
            + f") AND ({ids})"
        )
        counts: dict[str, int] = {}
        number = 1
        while True:
            data, _ = self.http.get_json(
                self.API + "transactions",
                {"page": number, "per_page": 100, "fields": "ObjectId"},
                data={"query": query},
                what=f"reopen search for page {page} of tickets",
            )
            expect(
                isinstance(data, dict) and isinstance(data.get("items"), list),
                f"RT's reopen search for page {page} of tickets has no list of transactions.",
            )
            for item in data["items"]:
                ticket = text(item.get("ObjectId")) if isinstance(item, dict) else ""
                expect(
                    bool(ticket), f"RT's reopen search for page {page} holds a transaction without a ticket."
                )
                counts[ticket] = counts.get(ticket, 0) + 1
            pages = data.get("pages")
            if not data["items"] or not isinstance(pages, int) or number >= pages:
                return counts
            number += 1

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
        if status.lower() not in INACTIVE:
            resolved = None  # reopened: RT keeps the old Resolved date on an active ticket
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
