"""Rate limit per token (or per address without one), told to the client in every response.

``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset`` (seconds to the window's end) as
the Italian guidelines ask, and ``Retry-After`` on 429. The counters live in the cache: with several web nodes
it must be shared (database or Redis, see docs/deploy.md).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ApiRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        ident = (
            f"token-{token.pk}" if token is not None and hasattr(token, "prefix") else self.get_ident(request)
        )
        return f"api-throttle-{ident}"

    def _remember(self, request, remaining: int) -> None:
        reset = (
            self.duration if not self.history else max(0, int(self.duration - (self.now - self.history[-1])))
        )
        request.rate_limit = {"limit": self.num_requests, "remaining": max(0, remaining), "reset": reset}

    def throttle_success(self):
        allowed = super().throttle_success()
        self._remember(self.request, self.num_requests - len(self.history))
        return allowed

    def throttle_failure(self):
        self._remember(self.request, 0)
        return False

    def allow_request(self, request, view):
        self.request = request
        return super().allow_request(request, view)


def rate_limit_headers(request, response) -> None:
    values = getattr(request, "rate_limit", None)
    if values:
        response["X-RateLimit-Limit"] = str(values["limit"])
        response["X-RateLimit-Remaining"] = str(values["remaining"])
        response["X-RateLimit-Reset"] = str(values["reset"])
