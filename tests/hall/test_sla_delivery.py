"""Reminders reach people even when a sweep, a sender or the broker dies half-way: PostgreSQL is the source of truth."""

import datetime as dt
import logging

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from kombu.exceptions import OperationalError

from hall import notifications, sla
from hall.celery import app
from hall.models import Notification, SlaClock
from hall.tasks import deliver_pending_notifications
from repairs.models import RepairOrder
from tests.notifications import SENT
from tests.redis_servers import RedisServer, publishing_to, run_queued_tasks

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _backends(sent):
    """Every test here sends through the recording backend."""


@pytest.fixture
def breached(hall, worker, duty):
    """Three 4-hour clocks past their deadline and never swept: the next sweep writes 12 rows, 6 of them SMS."""
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(RepairOrder)
    SlaClock.objects.bulk_create(
        SlaClock(
            hall=hall,
            content_type=content_type,
            object_id=n,
            name="respond",
            label=(f"BX-{n}", {}),
            link=f"/repairs/{n}/",
            responsible=worker,
            started_at=now - 5 * HOUR,
            due_at=now - HOUR,
            next_level_at=now - 3 * HOUR,
        )
        for n in (1, 2, 3)
    )


def unsent_sms():
    return set(Notification.objects.filter(channel="sms", sent_at__isnull=True).values_list("pk", flat=True))


def all_sms():
    return set(Notification.objects.filter(channel="sms").values_list("pk", flat=True))


# A sweep that dies after its commit


def test_a_sweep_whose_delivery_cannot_be_queued_leaves_its_sms_for_the_next_delivery_run(
    breached, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver_pending_notifications, "apply_async", broker_down)
    with (
        caplog.at_level(logging.WARNING, logger="hall.notifications"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        assert sla.sla_sweep() == 12

    assert len(callbacks) == 1
    assert "could not queue notification delivery" in caplog.text
    assert len(unsent_sms()) == 6
    monkeypatch.undo()

    assert deliver_pending_notifications() == 6
    assert deliver_pending_notifications() == 0
    assert sorted(SENT) == sorted(all_sms())
    assert unsent_sms() == set()


def test_a_sweep_killed_before_its_after_commit_delivery_loses_nothing(breached, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert sla.sla_sweep() == 12

    assert len(callbacks) == 1  # the delivery it would have queued; the process died instead
    assert len(unsent_sms()) == 6
    assert sla.sla_sweep() == 0

    assert deliver_pending_notifications() == 6
    assert deliver_pending_notifications() == 0
    assert sorted(SENT) == sorted(all_sms())


# A sender that dies after its claim


def test_a_sender_that_died_after_its_claim_is_replaced_once_the_lease_has_run_out(clock, breached):
    sla.sla_sweep()
    claimed = notifications._claim(100)  # … and the sender died here, before sending
    assert {row.pk for row in claimed} == all_sms()

    clock.shift(notifications.CLAIM_LEASE - SECOND)
    assert deliver_pending_notifications() == 0
    assert SENT == []

    clock.shift(2 * SECOND)
    assert deliver_pending_notifications() == 6
    assert deliver_pending_notifications() == 0
    assert sorted(SENT) == sorted(all_sms())
    assert set(Notification.objects.filter(channel="sms").values_list("attempts", flat=True)) == {2}


def test_a_claimed_row_is_never_sent_twice_while_its_lease_holds(clock, breached):
    sla.sla_sweep()
    notifications._claim(2)

    assert deliver_pending_notifications() == 4
    clock.shift(notifications.CLAIM_LEASE - SECOND)
    assert deliver_pending_notifications() == 0

    assert len(SENT) == len(set(SENT)) == 4
    assert len(unsent_sms()) == 2


# The broker itself down


@pytest.fixture
def broker():
    """The Celery app publishing to a redis-server of its own, for real (not eagerly)."""
    server = RedisServer()
    server.start()
    try:
        with publishing_to(server):
            yield server
    finally:
        server.stop()


def test_reminders_written_while_redis_is_down_are_delivered_once_it_is_back(
    broker, breached, caplog, django_capture_on_commit_callbacks
):
    broker.stop()
    with (
        caplog.at_level(logging.WARNING, logger="hall.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sla.sla_sweep() == 12

    assert "could not queue notification delivery" in caplog.text
    assert len(unsent_sms()) == 6
    assert SENT == []

    broker.start()
    periodic = django_settings.CELERY_BEAT_SCHEDULE["deliver-notifications"]
    app.send_task(periodic["task"], **periodic["options"])  # what beat does every minute
    assert run_queued_tasks() == 1

    assert unsent_sms() == set()
    assert sorted(SENT) == sorted(all_sms())
    deliver_pending_notifications.delay()
    assert run_queued_tasks() == 1
    assert len(SENT) == 6
