"""The request id on every log line of a request and of the tasks it queues (docs/operations.md, "Logs").

django-structlog's RequestMiddleware binds a `request_id` to structlog's context variables and, with its
Celery receivers, passes it in the headers of every task published during the request, where the
worker binds it again. This middleware, just inside it, adds what it leaves to us: the client address
as the sign-in throttle sees it (behind TRUSTED_PROXY_COUNT proxies; never a client-written
X-Forwarded-For entry), and the id on the response (`X-Request-ID`) so a person reporting a problem
can quote it.
"""

import structlog

from .client_ip import client_ip

HEADER = "X-Request-ID"


def request_id_middleware(get_response):
    def middleware(request):
        structlog.contextvars.bind_contextvars(ip=client_ip(request))
        response = get_response(request)
        request_id = structlog.contextvars.get_contextvars().get("request_id")
        if request_id:
            response[HEADER] = request_id
        return response

    return middleware
