"""The one rate limiter: fixed windows per scope and client address."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from hall.ratelimit import client_address, rate_hit
from hall.settings.env import env_networks
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


# Who is asking


def address(settings, trusted="", remote="10.0.0.1", forwarded=None):
    settings.TRUSTED_PROXIES = [item for item in trusted.split(",") if item]
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


def test_without_trusted_proxies_the_client_is_the_connection_whatever_the_header_says(settings):
    assert address(settings, forwarded="198.51.100.7") == "10.0.0.1"


def test_the_header_of_a_proxy_that_is_not_trusted_is_ignored(settings):
    assert address(settings, trusted="10.0.0.2", forwarded="198.51.100.7") == "10.0.0.1"


def test_behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_address(settings):
    found = address(settings, trusted="10.0.0.0/8", forwarded="192.0.2.1, 198.51.100.7, 10.0.0.5")

    assert found == "198.51.100.7"


def test_a_trusted_proxy_without_the_header_is_the_client(settings):
    assert address(settings, trusted="10.0.0.1") == "10.0.0.1"


def test_a_header_that_holds_no_address_is_not_believed(settings):
    assert address(settings, trusted="10.0.0.1", forwarded="198.51.100.7, not-an-address") == "10.0.0.1"


def test_ipv6_proxies_and_clients_are_understood(settings):
    assert address(settings, trusted="::1,fd00::/8", remote="::1", forwarded="2001:db8::7, fd00::2") == "2001:db8::7"


def test_a_proxy_list_that_is_not_addresses_stops_the_start(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, proxy.local")

    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        env_networks("TRUSTED_PROXIES")
