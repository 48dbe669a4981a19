import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from hall.cache import forget_kept
from hall.models import Role
from tests.factories import (
    BusinessTypeFactory,
    CounterFactory,
    HallFactory,
    UserFactory,
    accept_complaint,
    register_repair,
)
from tests.notifications import SENT

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, shared and in this process."""
    cache.clear()
    forget_kept()
    yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every test's uploads go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sent(settings):
    """Email and SMS go through a backend that sends nothing; the list returned fills with the ids it was given."""
    SENT.clear()
    backend = "tests.notifications.RecordingBackend"
    settings.NOTIFICATION_BACKENDS = {"email": backend, "sms": backend}
    return SENT


@pytest.fixture
def hall(db):
    return HallFactory(code="demo", name="示范营业厅")


@pytest.fixture
def types(hall):
    return {code: BusinessTypeFactory(hall=hall, code=code) for code in "ABCDE"}


@pytest.fixture
def clerk(hall):
    return UserFactory(hall=hall, username="clerk1", roles=[Role.CLERK])


@pytest.fixture
def counter(hall, types, clerk):
    return CounterFactory(hall=hall, number=1, clerk=clerk, serves=[types["A"], types["B"]])


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as():
    """api_as(user) → a client authenticated as that user."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def clerk_api(api_as, clerk):
    return api_as(clerk)


@pytest.fixture
def client_as(request):
    """client_as(user) → a Django test client logged in as that user; in a module that sets PAGE_LANGUAGE
    (e.g. "en", to assert the English msgids) it asks for the pages in that language."""
    language = getattr(request.module, "PAGE_LANGUAGE", None)

    def make(user):
        client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def manager(hall):
    return UserFactory(hall=hall, username="manager", roles=[Role.HALL_MANAGER])


@pytest.fixture
def worker(hall):
    return UserFactory(hall=hall, username="worker1", roles=[Role.REPAIR_WORKER])


@pytest.fixture
def duty(hall):
    return UserFactory(hall=hall, username="duty", roles=[Role.DUTY_MANAGER])


@pytest.fixture
def handler(hall):
    return UserFactory(hall=hall, username="handler1", roles=[Role.COMPLAINT_HANDLER])


@pytest.fixture
def complaint(hall, clerk):
    """Taken by the clerk at the counter, who owns it."""
    return accept_complaint(hall, actor=clerk)


@pytest.fixture
def repair(hall, clerk):
    """Registered by the clerk at the counter, nobody dispatched yet."""
    return register_repair(hall, actor=clerk)


@pytest.fixture
def north(db):
    return HallFactory(code="north", name="北区营业厅")


@pytest.fixture
def north_types(north):
    return {code: BusinessTypeFactory(hall=north, code=code) for code in "AB"}


@pytest.fixture
def north_clerk(north):
    return UserFactory(hall=north, username="north_clerk1", roles=[Role.CLERK])


@pytest.fixture
def north_counter(north, north_types, north_clerk):
    return CounterFactory(hall=north, number=1, clerk=north_clerk, serves=list(north_types.values()))


@pytest.fixture
def clock():
    """A stopped clock at 09:00 hall time on a weekday; clock.shift(timedelta) moves it on."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


@pytest.fixture
def later(monkeypatch):
    """later(seconds) moves on the clock by which each process keeps its copies (hall.cache.Kept)."""
    from time import monotonic

    from hall import cache

    def move(seconds):
        monkeypatch.setattr(cache, "monotonic", lambda: monotonic() + seconds)

    return move
