"""Jira Service Management through the Jira Cloud platform REST API v3.

Issues are searched with JQL, oldest update first, on the enhanced search endpoint
(`GET /rest/api/3/search/jql`: `nextPageToken` until `isLast`); a server that answers in the older
`startAt`/`maxResults`/`total` shape (`/rest/api/2/search` on Data Center, set as the scope's path) is
paged by `startAt`. Auth: the account's e-mail and an API token (basic auth); a bearer token (a
personal access token) when no user name is given."""

from ..normalise import MalformedData, TicketData, parse_when
from .base import BaseClient, Page, expect, text

FIELDS = "summary,issuetype,status,priority,created,updated,resolutiondate,project,components,labels"


class JiraClient(BaseClient):
    SEARCH = "rest/api/3/search/jql"

    def headers(self):
        if not self.credentials.get("username") and self.credentials.get("secret"):
            return {"Authorization": f"Bearer {self.credentials['secret']}"}
        return {}

    def test_connection(self) -> str:
        data, _ = self.http.get_json("rest/api/3/myself", what="account")
        expect(isinstance(data, dict), "Jira's answer about the account has an unexpected shape.")
        who = data.get("displayName") or data.get("emailAddress") or data.get("accountId")
        return f"Connected to Jira as {text(who)}."

    def fetch_page(self, *, since, cursor) -> Page:
        jql = 'updated >= "1970/01/01 00:00"'
        if since is not None:
            jql = f'updated >= "{since:%Y/%m/%d %H:%M}"'
        if self.connector.scope:
            jql = f"({self.connector.scope}) AND {jql}"
        params = {"jql": f"{jql} ORDER BY updated ASC", "fields": FIELDS, "maxResults": self.page_size}
        if cursor.get("token"):
            params["nextPageToken"] = cursor["token"]
        if "start" in cursor:
            params["startAt"] = cursor["start"]
        number = cursor.get("n", 1)
        data, _ = self.http.get_json(self.SEARCH, params, what=f"page {number} of issues")
        expect(
            isinstance(data, dict) and isinstance(data.get("issues"), list),
            f"Jira's page {number} has no list of issues.",
        )
        tickets = [self.ticket(issue, number) for issue in data["issues"]]
        if data.get("nextPageToken") and not data.get("isLast"):
            return Page(tickets, {"token": data["nextPageToken"], "n": number + 1}, None)
        if isinstance(data.get("total"), int) and isinstance(data.get("startAt"), int):
            start = data["startAt"] + len(tickets)
            more = tickets and start < data["total"]
            return Page(tickets, {"start": start, "n": number + 1} if more else None, data["total"])
        return Page(tickets, None, None)

    def ticket(self, issue, number) -> TicketData:
        if not isinstance(issue, dict) or not issue.get("key") or not isinstance(issue.get("fields"), dict):
            raise MalformedData(f"Jira's page {number} holds an issue without a key or fields.")
        f = issue["fields"]
        where = f"Jira issue {str(issue['key'])[:40]}"
        status = f.get("status") or {}
        category = text((f.get("components") or [None])[0]) if f.get("components") else ""
        resolved = parse_when(f.get("resolutiondate"), what=f"{where}: resolutiondate")
        done = (
            isinstance(status, dict)
            and text(
                status.get("statusCategory", {}).get("key")
                if isinstance(status.get("statusCategory"), dict)
                else ""
            )
            == "done"
        )
        labels = [str(label).lower() for label in f.get("labels") or [] if isinstance(label, str)]
        return TicketData(
            external_id=str(issue["key"]),
            title=text(f.get("summary")),
            ticket_type=text(f.get("issuetype")),
            queue=text((f.get("project") or {}).get("key"))
            if isinstance(f.get("project"), dict)
            else text(f.get("project")),
            category=category,
            status=text(status),
            priority=text(f.get("priority")),
            opened_at=parse_when(f.get("created"), what=f"{where}: created"),
            resolved_at=resolved,
            closed_at=resolved if done or resolved else None,
            source_updated_at=parse_when(f.get("updated"), what=f"{where}: updated"),
            is_emergency=True if "emergency" in labels else None,
            change_succeeded=False if "failed-change" in labels else None,
            raw={"key": issue["key"], **{k: v for k, v in f.items() if v is not None}},
        )
