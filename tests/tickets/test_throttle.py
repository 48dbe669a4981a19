import datetime as dt

import pytest
import time_machine

from tests.conftest import SHANGHAI
from tickets.apis import PublicThrottle
from tickets.models import Ticket


@pytest.fixture
def three_per_minute(monkeypatch):
    monkeypatch.setattr(PublicThrottle, "THROTTLE_RATES", {"public": "3/min"})


@pytest.fixture
def minute_start():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


def issue_codes(api, hall, times, address="10.0.0.1"):
    body = {"hall": hall.pk, "business_type": "A"}
    return [api.post("/api/tickets/", body, format="json", REMOTE_ADDR=address).status_code for _ in range(times)]


def test_it_refuses_the_kiosk_past_the_public_rate_with_429(api, hall, types, three_per_minute, minute_start):
    assert issue_codes(api, hall, 4) == [201, 201, 201, 429]
    assert Ticket.objects.count() == 3


def test_the_refusal_says_when_the_window_ends(api, hall, types, three_per_minute, minute_start):
    issue_codes(api, hall, 3)
    minute_start.shift(dt.timedelta(seconds=45))

    response = api.post("/api/tickets/", {"hall": hall.pk, "business_type": "A"}, format="json", REMOTE_ADDR="10.0.0.1")

    assert response.status_code == 429
    assert response["Retry-After"] == "15"


def test_the_count_starts_again_in_the_next_window(api, hall, types, three_per_minute, minute_start):
    issue_codes(api, hall, 4)
    minute_start.shift(dt.timedelta(seconds=60))
    assert issue_codes(api, hall, 4) == [201, 201, 201, 429]


def test_each_address_has_its_own_count(api, hall, types, three_per_minute, minute_start):
    issue_codes(api, hall, 4, address="10.0.0.1")
    assert issue_codes(api, hall, 1, address="10.0.0.2") == [201]


def test_the_status_page_api_shares_the_public_count(api, hall, types, three_per_minute, minute_start):
    issue_codes(api, hall, 3)
    token = Ticket.objects.first().token
    assert api.get(f"/api/tickets/status/{token}/", REMOTE_ADDR="10.0.0.1").status_code == 429


def test_staff_are_not_limited(clerk_api, hall, types, three_per_minute, minute_start):
    assert issue_codes(clerk_api, hall, 5) == [201] * 5


def test_it_counts_without_redis_in_the_local_memory_cache(api, hall, types, three_per_minute, minute_start, settings):
    settings.REDIS_URL = ""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert issue_codes(api, hall, 4) == [201, 201, 201, 429]


def test_a_new_x_forwarded_for_each_time_does_not_escape_the_limit(api, hall, types, three_per_minute, minute_start):
    body = {"hall": hall.pk, "business_type": "A"}
    codes = [
        api.post(
            "/api/tickets/", body, format="json", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]

    assert codes == [201, 201, 201, 429, 429]
