"""Rate limits (DRF throttling on Django's cache, Redis in production): per token for token
requests, per user for signed-in browser use of the API."""

from rest_framework.throttling import SimpleRateThrottle

from .access import request_token


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        token = request_token(request)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class SessionUserRateThrottle(SimpleRateThrottle):
    scope = "session"

    def get_cache_key(self, request, view):
        if request_token(request) is not None or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
