"""The notification outbox: rows are written in the caller's transaction and sent after commit.

In-app notifications are delivered by being written. Other channels go through a backend named in
settings.NOTIFICATION_BACKENDS. A sender claims a row for CLAIM_LEASE before calling the backend, so two
senders never send the same row; a sender that dies after its claim leaves the row to be sent again once
the lease has run out.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from hall.celery import app
from hall.models import Notification, NotificationChannel

logger = logging.getLogger(__name__)
CLAIM_LEASE = timedelta(minutes=5)
# Sent by name: the task module imports this one.
DELIVERY_TASK = "hall.tasks.deliver_pending_notifications"


class LoggingBackend:
    """Writes the message to the log; it does not pretend anything left the building."""

    def send(self, notification: Notification) -> None:
        logger.info(
            "notification %s via %s to %s: %s",
            notification.pk,
            notification.channel,
            notification.recipient_id,
            notification.subject,
        )


def notification_rows(
    *,
    recipients: Iterable,
    hall_id: int | None,
    kind: str,
    subject: str,
    body: str = "",
    link: str = "",
    channels: Iterable[str] = (NotificationChannel.IN_APP,),
    now=None,
) -> list[Notification]:
    """One unsaved outbox row per recipient (counted once) and channel; `queue` writes them."""
    now = now or timezone.now()
    return [
        Notification(
            hall_id=hall_id,
            recipient=recipient,
            channel=channel,
            kind=kind,
            subject=str(subject)[:200],
            body=str(body),
            link=link,
            created_at=now,
            sent_at=now if channel == NotificationChannel.IN_APP else None,
        )
        for recipient in {r.pk: r for r in recipients if r is not None}.values()
        for channel in channels
    ]


def queue(rows: list[Notification]) -> list[Notification]:
    """Writes outbox rows in the caller's transaction; those for other channels are sent after commit."""
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    if any(row.sent_at is None for row in created):
        transaction.on_commit(_enqueue_delivery)
    return created


def notify(**kwargs) -> list[Notification]:
    return queue(notification_rows(**kwargs))


def _enqueue_delivery() -> None:
    try:
        app.tasks[DELIVERY_TASK].delay()
    except Exception:  # the broker is down: the rows wait in the outbox for the periodic sweep
        logger.warning("could not queue notification delivery; the sweep will send it", exc_info=True)


def deliver_pending(*, batch: int = 100) -> int:
    """Sends unsent outbox rows; returns how many were sent."""
    sent = 0
    while rows := _claim(batch):
        for row in rows:
            sent += _send(row)
    return sent


def _claim(batch: int) -> list[Notification]:
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True)
            .exclude(claimed_at__gte=now - CLAIM_LEASE)
            .order_by("created_at")[:batch]
        )
        for row in rows:
            row.claimed_at = now
            row.attempts += 1
        Notification.objects.bulk_update(rows, ["claimed_at", "attempts"])
    return rows


def _send(row: Notification) -> int:
    try:
        import_string(settings.NOTIFICATION_BACKENDS[row.channel])().send(row)
    except Exception as exc:
        logger.exception("notification %s could not be sent", row.pk)
        Notification.objects.filter(pk=row.pk).update(last_error=str(exc)[:200])
        return 0
    Notification.objects.filter(pk=row.pk).update(sent_at=timezone.now(), last_error="")
    return 1


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
