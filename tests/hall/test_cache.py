"""The cache layer: copies each process keeps, copies every process shares until a change, the rate counters."""

import pytest
from django.core.cache import cache

from hall.cache import KEPT_SECONDS, REDIS_RETRY_SECONDS, Kept, count_hit, forget_kept, redis_unreachable


@pytest.fixture(params=["redis", "local memory"])
def backend(request, settings):
    """Every test runs against Redis and, as without REDIS_URL, against Django's local-memory cache."""
    if request.param == "local memory":
        settings.REDIS_URL = ""
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        cache.clear()
    return request.param


class Loads:
    """A loader that counts its calls and answers what it is told."""

    def __init__(self, value="first"):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def another_process():
    """What another process sees: nothing kept in it yet."""
    forget_kept()


def test_a_process_keeps_its_copy_until_the_seconds_run_out(backend, later):
    kept, load = Kept(), Loads()

    assert kept.get(1, load) == "first"
    load.value = "second"
    assert kept.get(1, load) == "first"
    later(KEPT_SECONDS + 1)

    assert kept.get(1, load) == "second"
    assert load.calls == 2


def test_a_change_made_here_is_read_at_once(backend):
    kept, load = Kept(), Loads()
    kept.get(1, load)
    load.value = "second"

    kept.forget(1)

    assert kept.get(1, load) == "second"


def test_nothing_is_kept_for_something_that_does_not_exist(backend):
    kept, load = Kept(), Loads(value=None)

    assert kept.get(1, load) is None
    assert kept.get(1, load) is None
    assert load.calls == 2


def test_a_shared_copy_is_loaded_once_for_every_process(backend):
    kept, load = Kept("test-shared", shared_seconds=60), Loads()
    kept.get(1, load)
    another_process()

    assert kept.get(1, load) == "first"
    assert kept.peek(1) == "first"
    assert load.calls == 1


def test_a_change_to_one_key_makes_its_shared_copy_stale_everywhere_and_leaves_the_others(backend):
    kept, load = Kept("test-shared", seconds=0, shared_seconds=60), Loads()
    kept.get(1, load)
    kept.get(2, load)
    load.value = "second"

    kept.forget(1)

    assert kept.peek(1) is None
    assert kept.get(1, load) == "second"
    assert kept.get(2, load) == "first"


def test_a_change_without_a_key_makes_every_shared_copy_stale(backend):
    kept, load = Kept("test-shared", seconds=0, shared_seconds=60), Loads()
    kept.get(1, load)
    kept.get(2, load)
    load.value = "second"

    kept.forget()

    assert [kept.get(1, load), kept.get(2, load)] == ["second", "second"]


def test_a_copy_loaded_while_a_change_commits_is_stale_at_once(backend):
    kept = Kept("test-shared", seconds=0, shared_seconds=60)

    def load_during_a_change():
        kept.forget(1)  # committed by another process after this one read the version
        return "before the change"

    assert kept.get(1, load_during_a_change) == "before the change"
    assert kept.peek(1) is None
    assert kept.get(1, Loads("after the change")) == "after the change"


def test_a_shared_copy_needs_a_name():
    with pytest.raises(ValueError):
        Kept(shared_seconds=60)


def test_a_counter_counts_each_hit_under_its_own_key(backend):
    assert [count_hit("test-counter", 60) for _ in range(3)] == [1, 2, 3]
    assert count_hit("test-other-counter", 60) == 1


# Redis down: nothing fails, the answers come from the database, the counts from this process


@pytest.fixture
def redis_down(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there


def test_a_shared_copy_is_loaded_afresh_each_time_while_redis_is_down(redis_down):
    kept, load = Kept("shared", seconds=0, shared_seconds=60), Loads()

    assert [kept.get(1, load), kept.get(1, load)] == ["first", "first"]
    assert kept.peek(1) is None
    assert load.calls == 2


def test_a_change_while_redis_is_down_is_read_at_once(redis_down):
    kept, load = Kept("shared", seconds=0, shared_seconds=60), Loads()
    kept.get(1, load)
    load.value = "second"

    kept.forget(1)

    assert kept.get(1, load) == "second"


def test_a_counter_counts_in_this_process_while_redis_is_down(redis_down):
    assert [count_hit("hits", 60) for _ in range(3)] == [1, 2, 3]
    assert count_hit("other", 60) == 1


def test_redis_is_left_alone_for_a_few_seconds_after_it_failed_then_asked_again(redis_down, later):
    count_hit("hits", 60)
    assert redis_unreachable()

    later(REDIS_RETRY_SECONDS + 1)

    assert not redis_unreachable()
