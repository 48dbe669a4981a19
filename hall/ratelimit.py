"""The one rate limiter, for the public pages (kiosk, rating, the complaint form), the public API and the sign-in
doors alike: fixed windows per client address (or per username), each a counter in the shared cache, and locks
that last a while. The client address is decided here once, for every one of them."""

import functools
import ipaddress
import time

from django.conf import settings

from hall.cache import count_hit, drop, fetch_many, put


def client_address(request) -> str:
    """Who is asking: REMOTE_ADDR, unless that is one of TRUSTED_PROXIES; then the right-most address in
    X-Forwarded-For that is not a trusted proxy (what the nearest untrusted hop said), since anything left of it
    may have been written by the client itself."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([item for item in forwarded if item]):
        if _ip(address) is None:
            return remote  # a proxy that writes something else than an address is not to be believed
        if not _trusted(address):
            return address
    return remote


def _ip(address: str):
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _trusted(address: str) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


@functools.cache
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _window_key(scope: str, ident: str, seconds: int, now: float) -> str:
    return f"rate:{scope}:{ident}:{int(now // seconds)}"


def rate_count(scope: str, ident: str, *, seconds: int = 60) -> int:
    """Counts one event of `ident` on `scope` in the current window of `seconds` and returns how many it holds."""
    return count_hit(_window_key(scope, ident, seconds, time.time()), seconds)


def rate_reset(scope: str, ident: str, *, seconds: int = 60) -> None:
    """Forgets what the current window of `ident` on `scope` has counted."""
    drop(_window_key(scope, ident, seconds, time.time()))


def rate_hit(scope: str, ident: str, *, limit: int, seconds: int = 60) -> float | None:
    """Counts one request of `ident` on `scope` in the current window of `seconds`: None while within `limit`,
    otherwise the seconds until the window ends. One round trip."""
    now = time.time()
    if count_hit(_window_key(scope, ident, seconds, now), seconds) <= limit:
        return None
    return (int(now // seconds) + 1) * seconds - now


def within_rate(request, scope: str, per_minute: int) -> bool:
    """A page's request counted against its scope's limit per minute and client address."""
    return rate_hit(scope, client_address(request), limit=per_minute) is None


def _lock_key(scope: str, ident: str) -> str:
    return f"lock:{scope}:{ident}"


def lock(scope: str, ident: str, *, seconds: int) -> None:
    """Locks `ident` out of `scope` for `seconds`."""
    # The end is stored, not left to the key's expiry alone, so that the lock ends by the clock everyone reads.
    put(_lock_key(scope, ident), time.time() + seconds, seconds + 60)


def locked_for(scope: str, ident: str) -> float | None:
    """The seconds left of `ident`'s lock on `scope`, None when it is not locked."""
    (until,) = fetch_many([_lock_key(scope, ident)])
    left = None if until is None else until - time.time()
    return left if left and left > 0 else None


def unlock(scope: str, ident: str) -> None:
    drop(_lock_key(scope, ident))
