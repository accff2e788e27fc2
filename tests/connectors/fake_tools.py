"""Local HTTP doubles of Jira Cloud (REST API v3, enhanced JQL search) and ServiceNow (Table API) that
answer in their documented shapes: Jira's issues + nextPageToken/isLast, ServiceNow's result list with
X-Total-Count and a Link header (rel="next"). Tickets are made on the fly from their index, so the
benchmark serves 100,000 of them without holding them. Knobs: `token` (the accepted credential; change
it to expire the connector's), `rate_limit` (the next N requests answer 429 with Retry-After),
`malformed_page` (that page number answers a broken body)."""

import base64
import json
import re
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
TYPES = ("Incident", "Service request", "Change", "Problem")


def free_port(low=21200, high=21299) -> int:
    for port in range(low, high + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 21200-21299")


def ticket(i: int) -> dict:
    """Ticket i, updated i minutes after T0 (so index order is update order)."""
    updated = T0 + timedelta(minutes=i)
    kind = TYPES[i % len(TYPES)]
    resolved = updated - timedelta(minutes=10) if i % 3 else None
    return {
        "n": i,
        "key": f"SD-{i + 1}",
        "title": f"Ticket {i + 1} <script>alert(1)</script>",
        "type": kind,
        "status": "Done" if resolved else "Open",
        "priority": ("High", "Medium", "Low")[i % 3],
        "created": updated - timedelta(hours=5),
        "updated": updated,
        "resolved": resolved,
        "queue": "SD",
        "category": ("Network", "Email", "Access")[i % 3],
        "emergency": kind == "Change" and i % 8 == 2,
    }


class FakeTool:
    def __init__(self, kind: str, count: int = 0, *, token="good-token", page_limit=None):
        self.kind = kind
        self.count = count
        self.token = token
        self.rate_limit = 0
        self.retry_after = "1"
        self.malformed_page = None
        self.page_limit = page_limit  # the most a page holds, whatever the client asks
        self.requests = []  # (path, query) of every request, for assertions
        self.overrides = {}  # index -> ticket dict changes (a ticket edited in the tool)
        self.huge_title_at = None
        self.delay = 0.0  # seconds before each answer (a slow tool, for the two-worker test)
        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def edit(self, i: int, **changes):
        """Ticket i changed in the tool: new values and a new update time, after every other ticket."""
        self.overrides[i] = {
            **changes,
            "updated": T0 + timedelta(minutes=self.count + len(self.overrides) + 1),
        }

    def get(self, i: int) -> dict:
        data = ticket(i) | self.overrides.get(i, {})
        if self.huge_title_at == i:
            data["title"] = "X" * 100_000
        return data

    def matching(self, since: datetime | None):
        if not self.overrides:  # ticket i is updated i minutes after T0: the range is known (the benchmark)
            first = 0 if since is None else max(0, -(-int((since - T0).total_seconds()) // 60))
            return range(min(first, self.count), self.count)
        indexes = [i for i in range(self.count) if since is None or self.get(i)["updated"] >= since]
        return sorted(indexes, key=lambda i: self.get(i)["updated"])

    def _handler(self):
        tool = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                tool.requests.append((parts.path, query))
                if tool.delay:
                    time.sleep(tool.delay)
                if tool.rate_limit > 0:
                    tool.rate_limit -= 1
                    return self.answer(
                        429, {"errorMessages": ["Rate limit exceeded"]}, {"Retry-After": tool.retry_after}
                    )
                if not self.authorised():
                    return self.answer(401, {"errorMessages": ["Client must be authenticated"]})
                if tool.kind == "jira":
                    return self.jira(parts.path, query)
                return self.servicenow(parts.path, query)

            def authorised(self):
                header = self.headers.get("Authorization", "")
                if header.startswith("Basic "):
                    user, _, secret = base64.b64decode(header[6:]).decode().partition(":")
                    return secret == tool.token
                return header == f"Bearer {tool.token}"

            def answer(self, status, body, headers=None, raw=None):
                data = raw if raw is not None else json.dumps(body, default=str).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def page_size(self, asked):
                size = int(asked)
                return min(size, tool.page_limit) if tool.page_limit else size

            # Jira Cloud: GET /rest/api/3/search/jql, GET /rest/api/3/myself
            def jira(self, path, query):
                if path == "/rest/api/3/myself":
                    return self.answer(200, {"accountId": "abc", "displayName": "Sync <b>bot</b>"})
                if path != "/rest/api/3/search/jql":
                    return self.answer(404, {"errorMessages": ["Not found"]})
                found = re.search(r'updated >= "(\d{4})/(\d\d)/(\d\d) (\d\d):(\d\d)"', query.get("jql", ""))
                since = datetime(*map(int, found.groups()), tzinfo=UTC) if found else None
                start = (
                    int(base64.b64decode(query["nextPageToken"]).decode())
                    if query.get("nextPageToken")
                    else 0
                )
                size = self.page_size(query.get("maxResults", 50))
                number = start // size + 1
                if tool.malformed_page == number:
                    return self.answer(200, None, raw=b'{"issues": [{"key": "SD-1", "fields": ')
                matching = tool.matching(since)
                chunk = matching[start : start + size]
                body = {
                    "issues": [self.jira_issue(tool.get(i)) for i in chunk],
                    "isLast": start + size >= len(matching),
                }
                if not body["isLast"]:
                    body["nextPageToken"] = base64.b64encode(str(start + size).encode()).decode()
                return self.answer(200, body)

            def jira_issue(self, t):
                stamp = lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.000+0000") if d else None  # noqa: E731
                return {
                    "id": str(10000 + t["n"]),
                    "key": t["key"],
                    "fields": {
                        "summary": t["title"],
                        "issuetype": {"name": t["type"]},
                        "status": {
                            "name": t["status"],
                            "statusCategory": {"key": "done" if t["resolved"] else "new"},
                        },
                        "priority": {"name": t["priority"]},
                        "created": stamp(t["created"]),
                        "updated": stamp(t["updated"]),
                        "resolutiondate": stamp(t["resolved"]),
                        "project": {"key": t["queue"], "name": "Service desk"},
                        "components": [{"name": t["category"]}],
                        "labels": ["emergency"] if t["emergency"] else [],
                    },
                }

            # ServiceNow: GET /api/now/table/<table>
            def servicenow(self, path, query):
                if not path.startswith("/api/now/table/"):
                    return self.answer(404, {"error": {"message": "Not found"}})
                found = re.search(
                    r"gs\.dateGenerate\('(\d{4}-\d\d-\d\d)','(\d\d:\d\d:\d\d)'\)",
                    query.get("sysparm_query", ""),
                )
                since = datetime.fromisoformat(f"{found[1]}T{found[2]}+00:00") if found else None
                offset = int(query.get("sysparm_offset", 0))
                size = self.page_size(query.get("sysparm_limit", 10000))
                number = offset // size + 1
                if tool.malformed_page == number:
                    return self.answer(200, {"result": "not a list"}, {"X-Total-Count": str(tool.count)})
                matching = tool.matching(since)
                chunk = matching[offset : offset + size]
                headers = {"X-Total-Count": str(len(matching))}
                if offset + size < len(matching):
                    nxt = dict(query, sysparm_offset=str(offset + size))
                    headers["Link"] = f'<{tool.url}{path}?{urlencode(nxt)}>;rel="next"'
                return self.answer(200, {"result": [self.sn_record(tool.get(i)) for i in chunk]}, headers)

            def sn_record(self, t):
                stamp = lambda d: d.strftime("%Y-%m-%d %H:%M:%S") if d else ""  # noqa: E731
                pair = lambda v, d=None: {"value": v, "display_value": d if d is not None else v}  # noqa: E731
                return {
                    "sys_id": pair(f"{t['n']:032x}"),
                    "number": pair(f"INC{t['n'] + 1:07d}"),
                    "short_description": pair(t["title"]),
                    "sys_class_name": pair("incident", "Incident"),
                    "category": pair(t["category"].lower(), t["category"]),
                    "state": pair("6" if t["resolved"] else "2", t["status"]),
                    "priority": pair(str(t["n"] % 3 + 1), t["priority"]),
                    "opened_at": pair(stamp(t["created"])),
                    "resolved_at": pair(stamp(t["resolved"])),
                    "closed_at": pair(stamp(t["resolved"])),
                    "sys_updated_on": pair(stamp(t["updated"])),
                    "reopen_count": pair(str(t["n"] % 2)),
                    "business_service": pair("abc", "E-mail service"),
                    "assignment_group": pair("def", "Service desk"),
                }

        return Handler
