"""ServiceNow through the Table API (`GET /api/now/table/{table}`).

Records are read oldest update first (`sys_updated_on>=…^ORDERBYsys_updated_on`), `sysparm_limit`
at a time from `sysparm_offset`, with `sysparm_display_value=all` (each field as {value,
display_value}: dates from value, in UTC; names from display_value). The total comes from
`X-Total-Count`; the next page from the `Link` header's rel="next" (else offset + limit while pages
are full). The table is the connector's scope (default `incident`; `change_request` gives the change
fields). Auth: basic (user, password) or a bearer token when no user name is given."""

from ..normalise import MalformedData, TicketData, parse_when
from .base import BaseClient, Page, expect

FIELDS = (
    "sys_id,number,short_description,sys_class_name,category,state,priority,opened_at,resolved_at,"
    "closed_at,sys_updated_on,reopen_count,business_service,assignment_group,type,close_code"
)
CLOSED_CHANGE_SUCCESS = {"successful": True, "successful_issues": True, "unsuccessful": False}


def value(field):
    return field.get("value") if isinstance(field, dict) else field


def shown(field):
    if isinstance(field, dict):
        return str(field.get("display_value") or field.get("value") or "")
    return "" if field is None else str(field)


class ServiceNowClient(BaseClient):
    def headers(self):
        if not self.credentials.get("username") and self.credentials.get("secret"):
            return {"Authorization": f"Bearer {self.credentials['secret']}"}
        return {}

    @property
    def table(self) -> str:
        return (self.connector.scope or "incident").strip()

    def test_connection(self) -> str:
        data, response = self.http.get_json(
            f"api/now/table/{self.table}", {"sysparm_limit": 1, "sysparm_fields": "sys_id"}, what="test page"
        )
        expect(
            isinstance(data, dict) and isinstance(data.get("result"), list),
            "ServiceNow's answer has no result list.",
        )
        total = response.headers.get("X-Total-Count")
        return f"Connected to ServiceNow: table {self.table}" + (
            f" holds {total} record(s)." if total else "."
        )

    def fetch_page(self, *, since, cursor) -> Page:
        query = "ORDERBYsys_updated_on"
        if since is not None:
            query = (
                f"sys_updated_on>=javascript:gs.dateGenerate('{since:%Y-%m-%d}','{since:%H:%M:%S}')^{query}"
            )
        offset = int(cursor.get("offset", 0))
        params = {
            "sysparm_query": query,
            "sysparm_fields": FIELDS,
            "sysparm_limit": self.page_size,
            "sysparm_offset": offset,
            "sysparm_display_value": "all",
            "sysparm_exclude_reference_link": "true",
        }
        number = offset // self.page_size + 1
        data, response = self.http.get_json(
            f"api/now/table/{self.table}", params, what=f"page {number} of records"
        )
        expect(
            isinstance(data, dict) and isinstance(data.get("result"), list),
            f"ServiceNow's page {number} has no result list.",
        )
        tickets = [self.ticket(row, number) for row in data["result"]]
        total = response.headers.get("X-Total-Count")
        total = int(total) if total and total.isdigit() else None
        has_next = (
            "next" in response.links if response.headers.get("Link") else len(tickets) >= self.page_size
        )
        if total is not None and offset + len(tickets) >= total:
            has_next = False
        return Page(tickets, {"offset": offset + len(tickets)} if has_next and tickets else None, total)

    def ticket(self, row, number) -> TicketData:
        if not isinstance(row, dict) or not value(row.get("number") or row.get("sys_id")):
            raise MalformedData(f"ServiceNow's page {number} holds a record without a number.")
        where = f"ServiceNow record {str(value(row.get('number')))[:40]}"
        table = shown(row.get("sys_class_name")) or self.table
        is_change = value(row.get("sys_class_name")) == "change_request" or self.table == "change_request"
        try:
            reopened = int(value(row.get("reopen_count")) or 0)
        except (TypeError, ValueError):
            raise MalformedData(f"{where}: reopen_count is not a number.") from None
        return TicketData(
            external_id=str(value(row.get("number")) or value(row.get("sys_id"))),
            title=shown(row.get("short_description")),
            ticket_type=table,
            queue=shown(row.get("assignment_group")),
            category=shown(row.get("category")),
            status=shown(row.get("state")),
            priority=shown(row.get("priority")),
            opened_at=parse_when(value(row.get("opened_at")), what=f"{where}: opened_at"),
            resolved_at=parse_when(value(row.get("resolved_at")), what=f"{where}: resolved_at"),
            closed_at=parse_when(value(row.get("closed_at")), what=f"{where}: closed_at"),
            source_updated_at=parse_when(value(row.get("sys_updated_on")), what=f"{where}: sys_updated_on"),
            reopened_count=reopened,
            is_emergency=(value(row.get("type")) == "emergency") if is_change else None,
            change_succeeded=CLOSED_CHANGE_SUCCESS.get(value(row.get("close_code")) or "")
            if is_change
            else None,
            service_name=shown(row.get("business_service")),
            raw={k: value(v) for k, v in row.items()},
        )
