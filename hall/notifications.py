"""The notification outbox: rows are written in the caller's transaction and sent after commit.

In-app notifications are delivered by being written. Other channels go through a backend named in
settings.NOTIFICATION_BACKENDS. A sender claims a row for CLAIM_LEASE before calling the backend, so two
senders never send the same row; a sender that dies after its claim leaves the row to be sent again once
the lease has run out, and a sender slowed down by its gateway gives back the rows it has not reached before
half of the lease is gone. A failed attempt is tried again later and later (retry_delay); the last one allowed
marks the row failed, and the administrators see it in the admin.
"""

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from hall import texts
from hall.cache import redis_failed, redis_unreachable
from hall.celery import app
from hall.models import Notification, NotificationChannel

logger = logging.getLogger(__name__)
CLAIM_LEASE = timedelta(minutes=5)
# Sent by name: the task module imports this one.
DELIVERY_TASK = "hall.tasks.deliver_pending_notifications"


class NotDeliverable(Exception):
    """Raised by a backend when trying again cannot help (the person has no mobile number): the row fails at once."""


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


class HttpSmsBackend:
    """Posts the text as JSON to the SMS gateway at settings.SMS_GATEWAY_URL: {"id", "to", "text"}, where `id`, the
    row's, lets the gateway drop a message it was already given. Any answer but 2xx, or none within
    SMS_GATEWAY_TIMEOUT seconds, is a failed attempt."""

    def send(self, notification: Notification) -> None:
        mobile = notification.recipient.mobile
        if not mobile:
            raise NotDeliverable(f"{notification.recipient.username} has no mobile number")
        body = json.dumps({"id": notification.pk, "to": mobile, "text": notification.subject}).encode()
        request = urllib.request.Request(
            settings.SMS_GATEWAY_URL, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as answer:
                answer.read()
        except urllib.error.HTTPError as exc:
            raise ConnectionError(f"the SMS gateway answered {exc.code}") from None
        except TimeoutError:
            raise ConnectionError(f"the SMS gateway did not answer within {settings.SMS_GATEWAY_TIMEOUT} s") from None
        except urllib.error.URLError as exc:
            raise ConnectionError(f"the SMS gateway could not be reached: {exc.reason}") from None


# The texts of each kind, formatted with a row's params when it is read, in the reader's language: a headline
# and, for some kinds, a fixed body (the others show the note a person wrote, stored in `body`).
# Params ending in `_at` are local times and those ending in `_date` dates, both in ISO form; a param
# {"msgid", "params"} is a stored text (hall.texts), e.g. what a clock is about; a `variant` param picks the
# text `<kind>.<variant>`.
TEXTS = {
    "calendar_year_missing": (
        _("Enter the public holidays of %(year)s"),
        _(
            "The working-day calendar has no entries for %(year)s, so deadlines count Monday to Friday "
            "as working days until its public holidays and make-up workdays are entered."
        ),
    ),
    "sla_warned_half": (_("Half the time is used: %(what)s, due by %(due_at)s"), None),
    "sla_warned_three_quarters": (_("Due soon: %(what)s, due by %(due_at)s"), None),
    "sla_breached": (_("Overdue: %(what)s was due by %(due_at)s"), None),
    "sla_escalated": (_("Still overdue, the hall manager is told: %(what)s was due by %(due_at)s"), None),
    # A grace clock (a duty) says its one time and when the duty manager is told.
    "sla_warned_half.grace": (
        _("Not done yet: %(what)s, due at %(due_at)s; the duty manager is told at %(grace)s"),
        None,
    ),
    "sla_warned_three_quarters.grace": (
        _("Not done yet: %(what)s, due at %(due_at)s; the duty manager is told at %(grace)s"),
        None,
    ),
    "sla_breached.grace": (_("Not done: %(what)s was due at %(due_at)s, still not done at %(grace)s"), None),
    "sla_escalated.grace": (_("Still not done after the reminders of %(grace)s: %(what)s, due at %(due_at)s"), None),
    "repair_urgent": (_("Urgent repair %(number)s at %(address)s"), None),
    "repair_dispatched": (_("Repair %(number)s at %(address)s is yours: be on site by %(due_at)s"), None),
    "repair_reopened": (_("Repair %(number)s is reopened: the customer is not satisfied"), None),
    "complaint_received": (_("New complaint %(number)s from the web form"), None),
    "complaint_reopened": (_("Complaint %(number)s is reopened"), None),
    "complaint_handed_over": (_("Complaint %(number)s is handed over from %(from)s to %(to)s"), None),
    "ticket_transferred": (_("Ticket %(number)s was transferred to you"), None),
    "leave_approved": (_("Your leave %(first_date)s – %(last_date)s is approved"), None),
    "leave_rejected": (_("Your leave %(first_date)s – %(last_date)s is not approved"), None),
    "leave_cancelled": (_("%(name)s cancelled their leave %(first_date)s – %(last_date)s"), None),
    "shift_changed.rostered": (_("You are rostered on %(shift_date)s, %(start)s–%(end)s"), None),
    "shift_changed.cancelled": (_("Your shift on %(shift_date)s, %(start)s–%(end)s is cancelled"), None),
    "duty_manager_cleared": (_("You are no longer the duty manager on %(duty_date)s"), None),
    "duty_cover": (_("You cover for %(a)s: %(chore)s at %(due_at)s"), None),
    "duty_uncover": (_("You no longer cover %(chore)s on %(duty_date)s"), None),
    "handover": (_("%(author)s handed the shift over to you at %(at)s (shift until %(end)s)"), None),
    "calendar_feed_rotated": (
        _("Your calendar has a new address: subscribe to it again"),
        _("The old address no longer works. The new one is under My calendar on the duty board."),
    ),
    "praise_received": (_("A customer praised you: %(customer)s"), None),
    "assessment_appeal": (_("%(name)s appeals a line of their %(month)s assessment: %(record)s"), None),
    "assessment_decided.accepted": (_("Your appeal is accepted, the line is voided: %(record)s"), None),
    "assessment_decided.rejected": (_("Your appeal is not accepted: %(record)s"), None),
    "rectification_assigned": (_("Patrol finding to put right by %(due_at)s: %(item)s"), None),
    "rectification_reopened": (_("Your fix was not accepted, put it right by %(due_at)s: %(item)s"), None),
}


def headline(notification: Notification) -> str:
    """The notification's headline in the active language; the stored subject for a row without a text."""
    return _render(notification, 0) or notification.subject


def details(notification: Notification) -> str:
    """The fixed body of its kind in the active language, or the note stored with it."""
    return _render(notification, 1) or notification.body


def _render(notification: Notification, part: int) -> str:
    params = notification.params or {}
    texts = TEXTS.get(f"{notification.kind}.{params.get('variant')}") or TEXTS.get(notification.kind)
    text = texts[part] if texts else None
    if text is None:
        return ""
    try:
        return str(text) % _readable(params)
    except (KeyError, TypeError, ValueError):  # a row written before its kind had these params
        return ""


def _readable(params: dict) -> dict:
    readable = dict(params)
    for key, value in params.items():
        if key.endswith("_at"):
            at = datetime.fromisoformat(value)
            readable[key] = formats.date_format(at, pgettext("notification time", "M j, H:i"))
        elif key.endswith("_date"):
            readable[key] = formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
        elif isinstance(value, dict) and "msgid" in value:
            readable[key] = texts.shown(value["msgid"], value.get("params"))
    return readable


def _stored(value):
    return value.isoformat() if isinstance(value, date) else value


def notification_rows(
    *,
    recipients: Iterable,
    hall_id: int | None,
    kind: str,
    params: dict | None = None,
    subject: str = "",
    body: str = "",
    link: str = "",
    thread: str = "",
    channels: Iterable[str] = (NotificationChannel.IN_APP,),
    now=None,
) -> list[Notification]:
    """One unsaved outbox row per recipient (counted once) and channel; `queue` writes them. The text is the
    kind's (see TEXTS) with these params (dates and times given as such; times in the hall's time zone);
    `subject` is only for a kind without a text, `body` a note a person wrote. Rows of one `thread` are shown
    as one line."""
    now = now or timezone.now()
    params = {key: _stored(value) for key, value in (params or {}).items()}
    with translation.override(settings.LANGUAGE_CODE):
        probe = Notification(kind=kind, params=params, subject=str(subject), body=str(body))
        subject, body = headline(probe), details(probe)
    return [
        Notification(
            hall_id=hall_id,
            recipient=recipient,
            channel=channel,
            kind=kind,
            params=params,
            thread=thread,
            subject=subject[:200],
            body=body,
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
    """Asks a worker to send now; while the broker (Redis) is down the rows wait in the outbox for the sweep that
    beat starts every minute once it is back, and the request is not held up: it does not wait for Redis again
    while the cache layer knows it down, nor retry."""
    if redis_unreachable():
        return
    try:
        app.tasks[DELIVERY_TASK].apply_async(retry=False)
    except Exception as error:
        redis_failed(error)
        logger.warning("could not queue notification delivery; the sweep will send it: %s", error)


def deliver_pending(*, batch: int = 100) -> int:
    """Sends the unsent outbox rows that are due; returns how many were sent."""
    sent = 0
    while rows := _claim(batch):
        for index, row in enumerate(rows):
            if timezone.now() >= row.claimed_at + CLAIM_LEASE / 2:
                # A slow gateway: what is left goes back before another sender may take it while we still hold it.
                _release(rows[index:])
                break
            sent += _send(row)
    return sent


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: NOTIFICATION_RETRY_SECONDS, doubled after each failure."""
    return timedelta(seconds=settings.NOTIFICATION_RETRY_SECONDS * 2 ** (attempts - 1))


def _claim(batch: int) -> list[Notification]:
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now), sent_at__isnull=True, failed_at__isnull=True)
            .exclude(claimed_at__gte=now - CLAIM_LEASE)
            .select_related("recipient")
            .order_by("created_at")[:batch]
        )
        for row in rows:
            row.claimed_at = now
            row.attempts += 1
        Notification.objects.bulk_update(rows, ["claimed_at", "attempts"])
    return rows


def _release(rows: list[Notification]) -> None:
    Notification.objects.filter(pk__in=[row.pk for row in rows], claimed_at=rows[0].claimed_at).update(
        claimed_at=None, attempts=F("attempts") - 1
    )


def _send(row: Notification) -> int:
    try:
        # E-mail and SMS speak the hall's language, whoever is reading.
        with translation.override(settings.LANGUAGE_CODE):
            row.subject, row.body = headline(row)[:200], details(row)
        import_string(settings.NOTIFICATION_BACKENDS[row.channel])().send(row)
    except Exception as exc:
        _failed_attempt(row, exc)
        return 0
    Notification.objects.filter(pk=row.pk).update(sent_at=timezone.now(), last_error="")
    return 1


def _failed_attempt(row: Notification, exc: Exception) -> None:
    """The claim is given back; the row is tried again after its wait, or marked failed after its last attempt."""
    now = timezone.now()
    error = str(exc)[:200] or type(exc).__name__
    if isinstance(exc, NotDeliverable) or row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        logger.error("notification %s failed after %s attempts: %s", row.pk, row.attempts, error)
        changes = {"failed_at": now, "retry_at": None}
    else:
        logger.warning("notification %s could not be sent (attempt %s): %s", row.pk, row.attempts, error)
        changes = {"retry_at": now + retry_delay(row.attempts)}
    Notification.objects.filter(pk=row.pk).update(claimed_at=None, last_error=error, **changes)


def notifications_send_again(*, rows) -> int:
    """An administrator's "send again" of failed rows (the person's mobile number is put right, the gateway is
    back): they are due at once, with all their attempts. Returns how many."""
    return rows.filter(failed_at__isnull=False, sent_at__isnull=True).update(
        failed_at=None, retry_at=None, claimed_at=None, attempts=0
    )


def notification_mark_read(*, notification: Notification) -> Notification:
    """Marks it read, with the earlier notifications of its thread that the list folds under it."""
    now = timezone.now()
    if notification.read_at is None:
        notification.read_at = now
        notification.save(update_fields=["read_at"])
    if notification.thread:
        _unread(notification.recipient_id).filter(thread=notification.thread, pk__lt=notification.pk).update(
            read_at=now
        )
    return notification


def notification_mark_all_read(*, recipient) -> int:
    """Marks every in-app notification of the person read; returns how many were unread."""
    return _unread(recipient.pk).update(read_at=timezone.now())


def _unread(recipient_id: int):
    return Notification.objects.filter(recipient_id=recipient_id, channel=NotificationChannel.IN_APP, read_at=None)
