"""The one cache layer: things read often and changed rarely, declared once with `Kept` (a copy each process keeps
for a few seconds, and optionally a copy every process shares in Redis, made stale by a version key), and the
counters and locks of the rate limiter.

Redis is reached through one redis-py client per process: Django's cache backend builds a client for every call,
which costs more than the round trip on the kiosk's and the board's paths. Without REDIS_URL the shared copies and
counters live in Django's default (local-memory) cache.

Redis down or hanging fails no request: each call gives up within a second, and the process then leaves Redis
alone for REDIS_RETRY_SECONDS. Meanwhile a shared copy is loaded afresh every time (never kept in one process,
where another's change would not reach it), and the counters and locks are kept in this process, so the limits
and sign-in lockouts still hold per process; what was counted there stays there. A change whose version could not
be written is written first thing once Redis answers again.
"""

import functools
import logging
import pickle
import secrets
from time import monotonic

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from redis.backoff import NoBackoff
from redis.retry import Retry

KEPT_SECONDS = 5
REDIS_TIMEOUT = 0.5
REDIS_RETRY_SECONDS = 5

logger = logging.getLogger(__name__)


def connect(url: str) -> redis.Redis:
    """A client that waits at most REDIS_TIMEOUT for a connection or an answer, and tries once more (a connection
    that a restarted Redis dropped)."""
    return redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT, retry=Retry(NoBackoff(), 1)
    )


@functools.cache
def _client(url: str) -> redis.Redis:
    return connect(url)


class _Outage:
    """This process's view of Redis: since when it fails, until when it is left alone, what it is owed."""

    def __init__(self):
        self.counted = LocMemCache("hall.cache.outage", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self.reset()

    def reset(self) -> None:
        self.until = 0.0
        self.since: float | None = None
        self.versions: set[str] = set()  # version keys to write anew once it answers
        self.counted.clear()

    def failed(self, error: Exception) -> None:
        if self.since is None:
            self.since = monotonic()
            logger.warning(
                "Redis cannot be reached (%s): shared copies are loaded afresh and counters kept in this process, "
                "trying again every %d seconds",
                error,
                REDIS_RETRY_SECONDS,
            )
        self.until = monotonic() + REDIS_RETRY_SECONDS

    def answered(self) -> None:
        if self.since is not None:
            logger.info("Redis answers again after %d seconds", monotonic() - self.since)
            self.since = None


_outage = _Outage()
_AWAY = object()


def redis_unreachable() -> bool:
    """Whether Redis failed within the last REDIS_RETRY_SECONDS (it is not asked meanwhile)."""
    return bool(settings.REDIS_URL) and monotonic() < _outage.until


def redis_failed(error: Exception) -> None:
    """What a caller that reached Redis on its own (the broker) tells of its failure."""
    if settings.REDIS_URL:
        _outage.failed(error)


def _on_redis(command):
    """command(client), or _AWAY when Redis failed now or lately."""
    if redis_unreachable():
        return _AWAY
    client = _client(settings.REDIS_URL)
    try:
        if _outage.versions:
            _write_versions(client, set(_outage.versions))
        result = command(client)
    except redis.RedisError as error:
        _outage.failed(error)
        return _AWAY
    _outage.answered()
    return result


def _write_versions(client: redis.Redis, keys: set[str]) -> None:
    pipeline = client.pipeline(transaction=False)
    for key in keys:
        pipeline.set(key, pickle.dumps(secrets.token_hex(8)))
    pipeline.execute()
    _outage.versions -= keys


def _local():
    """Where counters and locks are kept without Redis: Django's cache without REDIS_URL, else this process."""
    return _outage.counted if settings.REDIS_URL else caches["default"]


def _mget(keys: list[str]):
    found = _on_redis(lambda client: client.mget(keys))
    return found if found is _AWAY else [None if raw is None else pickle.loads(raw) for raw in found]


def _set(key: str, value, timeout: int | None):
    return _on_redis(lambda client: client.set(key, pickle.dumps(value), ex=timeout))


def redis_state() -> str:
    """ "ok", "down", or "off" without REDIS_URL; a client of its own that asks even while this process leaves
    Redis alone, so a health check tells the truth."""
    if not settings.REDIS_URL:
        return "off"
    try:
        with connect(settings.REDIS_URL) as client:
            client.ping()
    except redis.RedisError:
        return "down"
    return "ok"


def count_hit(key: str, timeout: int) -> int:
    """Adds one to a counter that lives `timeout` seconds after its last hit and returns it; one round trip."""
    counted = _on_redis(lambda client: _count_hit_in_redis(client, key, timeout)) if settings.REDIS_URL else _AWAY
    if counted is _AWAY:
        return _count_hit_in_django_cache(_local(), key, timeout)
    return counted


def _count_hit_in_redis(client: redis.Redis, key: str, timeout: int) -> int:
    pipeline = client.pipeline(transaction=False)
    pipeline.incr(key)
    pipeline.expire(key, timeout)
    return pipeline.execute()[0]


def _count_hit_in_django_cache(store, key: str, timeout: int) -> int:
    store.add(key, 0, timeout)
    try:
        return store.incr(key)
    except ValueError:  # it expired between the two calls
        store.set(key, 1, timeout)
        return 1


def drop(*keys: str) -> None:
    if not settings.REDIS_URL or _on_redis(lambda client: client.delete(*keys)) is _AWAY:
        _local().delete_many(keys)


def fetch_many(keys: list[str]) -> list:
    """What `put` kept under each key, None where nothing is; one round trip."""
    found = _mget(keys) if settings.REDIS_URL else _AWAY
    if found is _AWAY:
        kept = _local().get_many(keys)
        return [kept.get(key) for key in keys]
    return found


def put(key: str, value, timeout: int | None) -> None:
    """Keeps `value` under `key` for `timeout` seconds, shared by every process."""
    if not settings.REDIS_URL or _set(key, value, timeout) is _AWAY:
        _local().set(key, value, timeout)


def _fetch_shared(keys: list[str]) -> list | None:
    """What every process shares under the keys; None while Redis cannot be reached, when a copy kept in this
    process instead would outlive a change made in another."""
    if not settings.REDIS_URL:
        return fetch_many(keys)
    found = _mget(keys)
    return None if found is _AWAY else found


def _put_shared(key: str, value, timeout: int | None) -> None:
    if not settings.REDIS_URL:
        put(key, value, timeout)
    else:
        _set(key, value, timeout)


def _new_version(key: str) -> None:
    version = secrets.token_hex(8)
    if not settings.REDIS_URL:
        put(key, version, None)
    elif _set(key, version, None) is _AWAY:
        _outage.versions.add(key)


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
            _new_version(self._version_key(key))

    def forget_here(self) -> None:
        self._store.clear()

    def _version_key(self, key=None) -> str:
        return f"{self.name}:version" if key is None else f"{self.name}:version:{key}"

    def _read_shared(self, key) -> tuple:
        """(the shared value or None, the versions it must carry, None while Redis cannot be reached); one round
        trip."""
        found = _fetch_shared([self._version_key(), self._version_key(key), f"{self.name}:{key}"])
        if found is None:
            return None, None
        every, one, entry = found
        versions = (every, one)
        if entry is not None and entry[0] == versions:
            return entry[1], versions
        return None, versions

    def _shared(self, key, load):
        value, versions = self._read_shared(key)
        if value is None:
            # The versions were read before loading: a change committed meanwhile makes this copy stale at once.
            value = load()
            if value is not None and versions is not None:
                _put_shared(f"{self.name}:{key}", (versions, value), self.shared_seconds)
        return value


def forget_kept() -> None:
    """Forgets every copy this process keeps and what it knew of Redis, as if it had just started (the shared
    copies stay)."""
    for kept in Kept.every:
        kept.forget_here()
    _outage.reset()
