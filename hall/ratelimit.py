"""The one rate limiter, for the public pages (kiosk, rating, the complaint form) and the public API alike: fixed
windows per client address, each a counter in the shared cache."""

import time

from hall.cache import count_hit


def rate_hit(scope: str, ident: str, *, limit: int, seconds: int = 60) -> float | None:
    """Counts one request of `ident` on `scope` in the current window of `seconds`: None while within `limit`,
    otherwise the seconds until the window ends. One round trip."""
    now = time.time()
    window = int(now // seconds)
    if count_hit(f"rate:{scope}:{ident}:{window}", seconds) <= limit:
        return None
    return (window + 1) * seconds - now


def within_rate(request, scope: str, per_minute: int) -> bool:
    """A page's request counted against its scope's limit per minute and client address."""
    return rate_hit(scope, request.META.get("REMOTE_ADDR", ""), limit=per_minute) is None
