"""Redis down or hanging (the shared cache, the rate counters, the Celery broker): the hall's day goes on over the
API and the pages, slower at most; limits and sign-in lockouts still hold in each process; what it was owed (a
board change, the delivery of reminders) is made good once it answers. The Redis here is a redis-server of the
test's own, stopped or paused for real."""

import datetime as dt
import time

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from complaints.models import Complaint
from hall import sla
from hall.cache import REDIS_RETRY_SECONDS
from hall.celery import app
from hall.models import Notification, Role
from hall.notifications import deliver_pending
from repairs.models import RepairOrder
from tests.complaints.test_api import complaint_body
from tests.factories import UserFactory
from tests.notifications import SENT
from tests.redis_servers import RedisServer, publishing_to, run_queued_tasks
from tests.repairs.test_api import order_body
from tickets.apis import PublicThrottle
from tickets.models import Ticket, TicketStatus

# Real commits: what runs after a commit (the board's new version, queuing the delivery) meets Redis down too.
pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "pw12345678"


@pytest.fixture
def redis_server(settings):
    """The cache layer and the Celery app (for real, not eagerly) both on a redis-server of the test's own."""
    server = RedisServer()
    server.start()
    settings.REDIS_URL = server.url
    try:
        with publishing_to(server):
            yield server
    finally:
        server.stop()


def signed_in(username: str) -> APIClient:
    """A client with the token the token endpoint gives, as a counter's app signs in."""
    response = APIClient().post("/api/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def kiosk(hall, address="10.0.0.1"):
    return APIClient().post(
        "/api/tickets/", {"hall": hall.pk, "business_type": "A"}, format="json", REMOTE_ADDR=address
    )


def board_numbers(hall) -> list[str]:
    response = APIClient().get(f"/api/halls/{hall.pk}/board/")
    assert response.status_code == 200
    return [call["number"] for call in response.json()["recent_calls"]]


def test_the_counter_day_goes_on_over_the_api_while_redis_is_down(redis_server, hall, counter, duty):
    redis_server.stop()

    assert [kiosk(hall).status_code for _ in range(2)] == [201, 201]
    clerk = signed_in("clerk1")
    called = clerk.post(f"/api/counters/{counter.pk}/call-next/")
    assert called.status_code == 200
    assert board_numbers(hall) == ["A001"]
    assert clerk.post(f"/api/tickets/{called.json()['id']}/start/").status_code == 200
    assert clerk.post(f"/api/tickets/{called.json()['id']}/finish/").status_code == 200
    assert clerk.post("/api/repairs/", order_body(hall), format="json").status_code == 201
    assert clerk.post("/api/complaints/", complaint_body(hall), format="json").status_code == 201
    public = APIClient().post("/api/complaints/", complaint_body(hall, channel="web"), format="json")
    assert public.status_code == 201

    assert list(Ticket.objects.values_list("status", flat=True).order_by("number")) == [
        TicketStatus.DONE,
        TicketStatus.WAITING,
    ]
    assert (RepairOrder.objects.count(), Complaint.objects.count()) == (1, 2)


@pytest.mark.django_db
def test_the_pages_sign_in_and_show_the_board_while_redis_is_down(redis_server, hall, counter):
    redis_server.stop()
    page = Client()

    assert page.post("/login/", {"username": "clerk1", "password": PASSWORD}).status_code == 302
    assert page.get(f"/counter/{counter.pk}/").status_code == 200
    assert page.get(f"/kiosk/{hall.code}/").status_code == 200
    assert Client().get(f"/board/{hall.code}/").status_code == 200


def test_reminders_written_while_redis_is_down_are_delivered_once_when_it_is_back(
    redis_server, hall, clerk, worker, duty, sent
):
    redis_server.stop()
    clerk_api = signed_in("clerk1")
    assert clerk_api.post("/api/repairs/", order_body(hall, urgency=1), format="json").status_code == 201
    assert clerk_api.post("/api/complaints/", complaint_body(hall), format="json").status_code == 201

    # A worker that still reaches PostgreSQL sweeps a day later: its SMS cannot be queued for delivery.
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        assert sla.sla_sweep() > 0
    unsent = set(Notification.objects.filter(sent_at__isnull=True).values_list("pk", flat=True))
    assert unsent
    assert SENT == []

    redis_server.start()
    periodic = django_settings.CELERY_BEAT_SCHEDULE["deliver-notifications"]
    app.send_task(periodic["task"], **periodic["options"])  # what beat does every minute
    assert run_queued_tasks() == 1

    assert sorted(SENT) == sorted(unsent)
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert deliver_pending() == 0
    assert len(SENT) == len(set(SENT))


def test_a_redis_that_hangs_holds_up_one_request_for_about_a_second_and_the_next_ones_not_at_all(
    redis_server, hall, types
):
    redis_server.pause()

    started = time.monotonic()
    assert kiosk(hall).status_code == 201
    first = time.monotonic() - started
    started = time.monotonic()
    assert [kiosk(hall).status_code for _ in range(5)] == [201] * 5
    next_five = time.monotonic() - started

    assert first < 3
    assert next_five < 2


def test_the_board_shows_a_call_made_while_redis_was_down_once_it_is_back_with_its_old_data(
    redis_server, hall, counter, later
):
    kiosk(hall)
    kiosk(hall)
    clerk = signed_in("clerk1")
    first = clerk.post(f"/api/counters/{counter.pk}/call-next/").json()
    clerk.post(f"/api/tickets/{first['id']}/start/")
    clerk.post(f"/api/tickets/{first['id']}/finish/")
    assert board_numbers(hall) == ["A001"]  # now shared in Redis

    redis_server.stop(keep_data=True)
    assert clerk.post(f"/api/counters/{counter.pk}/call-next/").status_code == 200
    assert board_numbers(hall) == ["A002", "A001"]
    redis_server.start()  # with the board as it was before the call
    later(REDIS_RETRY_SECONDS + 1)

    assert board_numbers(hall) == ["A002", "A001"]


@pytest.fixture
def three_per_minute(monkeypatch):
    monkeypatch.setattr(PublicThrottle, "THROTTLE_RATES", {"public": "3/min"})


@pytest.mark.django_db
def test_the_kiosks_rate_limit_still_holds_while_redis_is_down(redis_server, hall, types, three_per_minute):
    redis_server.stop()

    assert [kiosk(hall).status_code for _ in range(4)] == [201, 201, 201, 429]
    assert kiosk(hall, address="10.0.0.2").status_code == 201


@pytest.mark.django_db
def test_a_sign_in_lockout_still_holds_while_redis_is_down(redis_server, hall, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(hall=hall, username="clerk7", roles=[Role.CLERK])
    redis_server.stop()
    api = APIClient()

    def sign_in(password):
        return api.post("/api/auth/token/", {"username": "clerk7", "password": password}, format="json")

    assert [sign_in("wrong").status_code for _ in range(3)] == [400, 400, 429]
    assert sign_in(PASSWORD).status_code == 429
