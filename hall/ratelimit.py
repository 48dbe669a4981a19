"""The rate limit of the public pages (kiosk, rating, the complaint form), per client address."""

import time

from django.core.cache import cache


def within_rate(request, scope: str, per_minute: int) -> bool:
    """A fixed one-minute window per client address, counted in the shared cache."""
    key = f"rate:{scope}:{request.META.get('REMOTE_ADDR', '')}:{int(time.time() // 60)}"
    cache.add(key, 0, 60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 60)
        count = 1
    return count <= per_minute
