from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """At most API_RATE_LIMIT requests per token (e.g. "600/min"), counted in the shared cache
    (Redis in production), so every web worker counts the same requests."""

    scope = "token"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None  # refused by authentication anyway
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
