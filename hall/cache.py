"""The Redis cache backend, keeping one client per connection pool instead of building one per call, and the
copies of rarely changed things that each process keeps for a few seconds (Kept)."""

from time import monotonic

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    # Django builds a new redis.Redis, with its table of ~200 response callbacks, for every cache call,
    # which costs more than the round trip to Redis. A client holds no connection and is thread-safe.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def clear(self):
        # What this process keeps is a copy of what the cache and the database hold: it goes too.
        forget_kept()
        return super().clear()

    def count_hit(self, key: str, timeout: int) -> int:
        key = self.make_and_validate_key(key)
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
        pipeline.incr(key)
        pipeline.expire(key, timeout)
        return pipeline.execute()[0]


def count_hit(key: str, timeout: int) -> int:
    """Adds one to a counter that lives `timeout` seconds after its last hit and returns it; one round trip
    on Redis."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return backend.count_hit(key, timeout)
    backend.add(key, 0, timeout)
    return backend.incr(key)


KEPT_SECONDS = 5


class Kept:
    """This process's copies of things that change a few times a year and are read on every request (halls, their
    business types and SLA policies, the working-day calendar), each kept KEPT_SECONDS and then read again.

    A change made in this process is seen at once (its signal receiver calls forget); one made elsewhere at most
    KEPT_SECONDS later. None, for something that does not exist, is never kept."""

    every: list["Kept"] = []

    def __init__(self):
        self._store: dict = {}
        Kept.every.append(self)

    def get(self, key, load):
        entry = self._store.get(key)
        if entry is not None and entry[0] >= monotonic():
            return entry[1]
        value = load()
        if value is not None:
            self._store[key] = (monotonic() + KEPT_SECONDS, value)
        return value

    def forget(self, key=None) -> None:
        if key is None:
            self._store.clear()
        else:
            self._store.pop(key, None)


def forget_kept() -> None:
    """Forgets every copy this process keeps, as if it had just started."""
    for kept in Kept.every:
        kept.forget()
