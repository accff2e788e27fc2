"""The client's address, for login throttling.

Without a proxy it is REMOTE_ADDR. Behind TRUSTED_PROXY_COUNT reverse proxies that append to
X-Forwarded-For, it is the entry that many places from the right: what the outermost trusted proxy
saw. Entries further left were written by the client and are never believed.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    return hops[-count] if len(hops) >= count else remote
