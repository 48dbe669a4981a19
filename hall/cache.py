"""The one cache layer: things read often and changed rarely, declared once with `Kept` (a copy each process keeps
for a few seconds, and optionally a copy every process shares in Redis, made stale by a version key), and the
counters and locks of the rate limiter.

Redis is reached through one redis-py client per process: Django's cache backend builds a client for every call,
which costs more than the round trip on the kiosk's and the board's paths. Without REDIS_URL the shared copies and
counters live in Django's default (local-memory) cache.
"""

import functools
import pickle
import secrets
from time import monotonic

import redis
from django.conf import settings
from django.core.cache import caches

KEPT_SECONDS = 5


@functools.cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def _redis() -> redis.Redis | None:
    return _client(settings.REDIS_URL) if settings.REDIS_URL else None


def redis_state() -> str:
    """ "ok", "down", or "off" without REDIS_URL; a client of its own that gives up within a second, so a health
    check answers while Redis hangs."""
    if not settings.REDIS_URL:
        return "off"
    try:
        with redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1) as client:
            client.ping()
    except redis.RedisError:
        return "down"
    return "ok"


def count_hit(key: str, timeout: int) -> int:
    """Adds one to a counter that lives `timeout` seconds after its last hit and returns it; one round trip."""
    client = _redis()
    if client is None:
        return _count_hit_in_django_cache(key, timeout)
    pipeline = client.pipeline(transaction=False)
    pipeline.incr(key)
    pipeline.expire(key, timeout)
    return pipeline.execute()[0]


def _count_hit_in_django_cache(key: str, timeout: int) -> int:
    store = caches["default"]
    store.add(key, 0, timeout)
    try:
        return store.incr(key)
    except ValueError:  # it expired between the two calls
        store.set(key, 1, timeout)
        return 1


def drop(*keys: str) -> None:
    client = _redis()
    if client is None:
        caches["default"].delete_many(keys)
    else:
        client.delete(*keys)


def fetch_many(keys: list[str]) -> list:
    """What `put` kept under each key, None where nothing is; one round trip."""
    client = _redis()
    if client is None:
        found = caches["default"].get_many(keys)
        return [found.get(key) for key in keys]
    return [None if raw is None else pickle.loads(raw) for raw in client.mget(keys)]


def put(key: str, value, timeout: int | None) -> None:
    """Keeps `value` under `key` for `timeout` seconds, shared by every process."""
    client = _redis()
    if client is None:
        caches["default"].set(key, value, timeout)
    else:
        client.set(key, pickle.dumps(value), ex=timeout)


class Kept:
    """One kind of thing, by key, read on busy paths and changed rarely (halls, business types, SLA policies, the
    working-day calendar, the board): declared once here with how long it is kept, and `forget` when it changes.

    Each process keeps its copy `seconds` (0: none). With `shared_seconds` a copy made by any process is shared in
    Redis that long, under `name`, until `forget` gives the key (or, without a key, every key) a new version.
    A change is seen at once by the process that makes it and by the shared copy, by other processes' own copies
    at most `seconds` later. None, for something that does not exist, is never kept."""

    every: list["Kept"] = []

    def __init__(self, name: str = "", *, seconds: float = KEPT_SECONDS, shared_seconds: int | None = None):
        if shared_seconds and not name:
            raise ValueError("a shared copy needs a name")
        self.name, self.seconds, self.shared_seconds = name, seconds, shared_seconds
        self._store: dict = {}
        Kept.every.append(self)

    def get(self, key, load):
        entry = self._store.get(key)
        if entry is not None and entry[0] >= monotonic():
            return entry[1]
        value = self._shared(key, load) if self.shared_seconds else load()
        if value is not None and self.seconds:
            self._store[key] = (monotonic() + self.seconds, value)
        return value

    def peek(self, key):
        """The shared copy if no change came after it, else None; it never loads."""
        return self._read_shared(key)[0]

    def forget(self, key=None) -> None:
        """What a change calls (by its signal receiver or after its commit): this key, or every key, is read afresh."""
        if key is None:
            self._store.clear()
        else:
            self._store.pop(key, None)
        if self.shared_seconds:
            put(self._version_key(key), secrets.token_hex(8), None)

    def forget_here(self) -> None:
        self._store.clear()

    def _version_key(self, key=None) -> str:
        return f"{self.name}:version" if key is None else f"{self.name}:version:{key}"

    def _read_shared(self, key) -> tuple:
        """(the shared value or None, the versions it must carry); one round trip."""
        every, one, entry = fetch_many([self._version_key(), self._version_key(key), f"{self.name}:{key}"])
        versions = (every, one)
        if entry is not None and entry[0] == versions:
            return entry[1], versions
        return None, versions

    def _shared(self, key, load):
        value, versions = self._read_shared(key)
        if value is None:
            # The versions were read before loading: a change committed meanwhile makes this copy stale at once.
            value = load()
            if value is not None:
                put(f"{self.name}:{key}", (versions, value), self.shared_seconds)
        return value


def forget_kept() -> None:
    """Forgets every copy this process keeps, as if it had just started (the shared copies stay)."""
    for kept in Kept.every:
        kept.forget_here()
