"""The one rate limiter: fixed windows per scope and client address."""

import datetime as dt

import pytest
import time_machine

from hall.ratelimit import rate_hit
from tests.conftest import SHANGHAI


@pytest.fixture
def minute_start():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


def hits(times, scope="kiosk", ident="10.0.0.1", limit=2):
    return [rate_hit(scope, ident, limit=limit) for _ in range(times)]


def test_it_lets_the_limit_through_and_then_says_how_long_until_the_window_ends(minute_start):
    assert hits(2) == [None, None]
    minute_start.shift(dt.timedelta(seconds=45))

    assert hits(1) == [15.0]


def test_it_starts_counting_again_in_the_next_window(minute_start):
    hits(3)
    minute_start.shift(dt.timedelta(seconds=60))

    assert hits(3) == [None, None, 60.0]


def test_each_scope_and_each_address_has_its_own_count(minute_start):
    hits(3)

    assert hits(1, scope="rate") == [None]
    assert hits(1, ident="10.0.0.2") == [None]


def test_a_window_can_be_longer_than_a_minute(minute_start):
    assert [rate_hit("api", "10.0.0.1", limit=1, seconds=3600) for _ in range(2)] == [None, 3600.0]
