"""A message that cannot be sent is tried again later and later, then marked failed for the administrators to see;
a sender held up by a slow gateway gives its unreached rows back before anyone else may take them."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hall.celery import app
from hall.models import Notification
from hall.notifications import CLAIM_LEASE, deliver_pending, notify, retry_delay
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
tried = []
slow = {"clock": None, "step": dt.timedelta(0), "claim_ages": []}


class FailingBackend:
    def send(self, notification):
        tried.append(notification.pk)
        raise ConnectionError("the SMS gateway answered 500")


class SlowBackend:
    """Sends, and the clock moves on by slow["step"] while it does."""

    def send(self, notification):
        slow["claim_ages"].append(timezone.now() - notification.claimed_at)
        slow["clock"].shift(slow["step"])
        tried.append(notification.pk)


@pytest.fixture(autouse=True)
def _failing(settings):
    tried.clear()
    settings.NOTIFICATION_BACKENDS = {"sms": f"{__name__}.FailingBackend", "email": f"{__name__}.FailingBackend"}
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_SECONDS = 60


def sms_to(user):
    (row,) = notify(recipients=[user], hall_id=user.hall_id, kind="test", subject="Hi", channels=["sms"])
    return row


def test_it_waits_twice_as_long_after_each_failure(settings):
    settings.NOTIFICATION_RETRY_SECONDS = 30

    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_a_failed_message_is_not_tried_again_before_its_wait_is_over(clerk, clock):
    row = sms_to(clerk)
    deliver_pending()

    clock.shift(retry_delay(1) - dt.timedelta(seconds=1))
    deliver_pending()

    assert tried == [row.pk]
    row.refresh_from_db()
    assert (row.attempts, row.claimed_at, row.failed_at) == (1, None, None)
    assert row.retry_at == timezone.now() + dt.timedelta(seconds=1)


def test_a_failed_message_is_tried_again_once_its_wait_is_over(clerk, clock):
    row = sms_to(clerk)
    deliver_pending()

    clock.shift(retry_delay(1))
    deliver_pending()

    assert tried == [row.pk, row.pk]
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.retry_at == timezone.now() + retry_delay(2)


def test_the_last_attempt_allowed_marks_the_message_failed_and_it_is_never_tried_again(clerk, clock):
    row = sms_to(clerk)
    for attempt in (1, 2, 3):
        deliver_pending()
        clock.shift(retry_delay(attempt))
    clock.shift(dt.timedelta(days=1))
    deliver_pending()

    assert tried == [row.pk] * 3
    row.refresh_from_db()
    assert (row.attempts, row.sent_at, row.retry_at) == (3, None, None)
    assert row.failed_at is not None
    assert row.last_error == "the SMS gateway answered 500"


def test_a_message_to_someone_without_a_mobile_number_fails_at_once(settings, clerk):
    settings.NOTIFICATION_BACKENDS = {"sms": "hall.notifications.HttpSmsBackend"}
    row = sms_to(clerk)

    assert deliver_pending() == 0

    row.refresh_from_db()
    assert row.attempts == 1
    assert row.failed_at is not None
    assert row.last_error == "clerk1 has no mobile number"


def test_a_sender_held_up_by_its_gateway_gives_back_the_rows_it_has_not_reached(settings, clerk, manager, clock):
    settings.NOTIFICATION_BACKENDS = {"email": f"{__name__}.SlowBackend"}
    slow.update(clock=clock, step=CLAIM_LEASE * 0.3, claim_ages=[])
    rows = notify(recipients=[clerk, manager], hall_id=clerk.hall_id, kind="test", subject="Hi", channels=["email"])
    rows += notify(recipients=[clerk], hall_id=clerk.hall_id, kind="test", subject="Again", channels=["email"])

    assert deliver_pending() == 3

    assert sorted(tried) == sorted(row.pk for row in rows)
    assert max(slow["claim_ages"]) < CLAIM_LEASE / 2
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


# The administrators see it


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(hall=None, username="root", roles=[], is_superuser=True, is_staff=True))
    return client


def failed_sms(user, clock):
    row = sms_to(user)
    for attempt in (1, 2, 3):
        deliver_pending()
        clock.shift(retry_delay(attempt))
    return row


def test_the_admin_lists_a_failed_message_with_its_error_under_failed(admin_client, clerk, manager, clock):
    failed = failed_sms(clerk, clock)
    waiting = sms_to(manager)
    changelist = reverse("admin:hall_notification_changelist")

    page = admin_client.get(changelist, {"delivery": "failed"}).content.decode()

    assert f"/{failed.pk}/" in page and f"/{waiting.pk}/" not in page
    assert '<td class="field-delivery">发送失败</td>' in page
    assert '<td class="field-last_error">the SMS gateway answered 500</td>' in page
    waiting_page = admin_client.get(changelist, {"delivery": "waiting"}).content.decode()
    assert f"/{waiting.pk}/" in waiting_page and f"/{failed.pk}/" not in waiting_page


def test_an_administrator_sends_a_failed_message_again(admin_client, clerk, clock, settings):
    failed = failed_sms(clerk, clock)
    settings.NOTIFICATION_BACKENDS = {"sms": "tests.notifications.RecordingBackend"}

    response = admin_client.post(
        reverse("admin:hall_notification_changelist"), {"action": "send_again", "_selected_action": [failed.pk]}
    )

    assert response.status_code == 302
    assert deliver_pending() == 1
    failed.refresh_from_db()
    assert (failed.failed_at, failed.attempts) == (None, 1)
    assert failed.sent_at is not None


# Sending has a queue of its own


def test_sending_goes_to_its_own_queue_and_the_sweep_stays_on_the_default_one():
    def queue_of(task):
        return app.amqp.router.route({}, task)["queue"].name

    assert queue_of("hall.tasks.deliver_pending_notifications") == "notifications"
    assert queue_of("hall.tasks.sla_sweep") == "celery"
    assert queue_of("staff.tasks.generate_duties") == "celery"


def test_a_worker_started_without_a_queue_takes_both():
    assert {"celery", "notifications"} <= set(app.amqp.queues)
