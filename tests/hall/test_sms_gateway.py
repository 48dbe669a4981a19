"""HttpSmsBackend posts each SMS to the gateway once, with the row's id to drop a repeat by, and gives up on an
error or a gateway that does not answer in time (a real local gateway on a free port)."""

import time

import pytest

from hall.models import Notification
from hall.notifications import deliver_pending, notify
from harness.sms_gateway import SmsGateway
from harness.web import free_port
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(settings):
    with SmsGateway() as running:
        settings.NOTIFICATION_BACKENDS = {"sms": "hall.notifications.HttpSmsBackend"}
        settings.SMS_GATEWAY_URL = running.url
        settings.SMS_GATEWAY_TIMEOUT = 1
        yield running


@pytest.fixture
def reachable(hall):
    return UserFactory(hall=hall, username="duty2", mobile="13912345678")


def sms_to(user):
    (row,) = notify(recipients=[user], hall_id=user.hall_id, kind="complaint_received", params={"number": "TS1"},
                    channels=["sms"])  # fmt: skip
    return row


def test_it_posts_the_text_to_the_persons_mobile_with_the_rows_id(gateway, reachable):
    row = sms_to(reachable)

    assert deliver_pending() == 1

    [(_at, message)] = gateway.received
    assert message == {"id": row.pk, "to": "13912345678", "text": "网上新投诉 TS1"}
    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (1, "")
    assert row.sent_at is not None


def test_an_error_answer_is_a_failed_attempt(gateway, reachable):
    gateway.answer(status=500)
    row = sms_to(reachable)

    assert deliver_pending() == 0

    row.refresh_from_db()
    assert (row.sent_at, row.failed_at, row.last_error) == (None, None, "the SMS gateway answered 500")
    assert row.retry_at is not None


def test_a_gateway_that_does_not_answer_in_time_is_given_up_on_after_the_timeout(gateway, reachable):
    gateway.answer(status=500, delay=5)
    row = sms_to(reachable)

    began = time.monotonic()
    assert deliver_pending() == 0
    waited = time.monotonic() - began

    assert 1 <= waited < 3
    row.refresh_from_db()
    assert row.last_error == "the SMS gateway did not answer within 1 s"
    assert Notification.objects.filter(retry_at__isnull=False).count() == 1


def test_a_gateway_that_cannot_be_reached_is_a_failed_attempt(settings, reachable):
    settings.NOTIFICATION_BACKENDS = {"sms": "hall.notifications.HttpSmsBackend"}
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{free_port()}/send"
    row = sms_to(reachable)

    assert deliver_pending() == 0

    row.refresh_from_db()
    assert row.last_error.startswith("the SMS gateway could not be reached: ")
    assert row.retry_at is not None
