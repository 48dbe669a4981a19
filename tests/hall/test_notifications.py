import datetime as dt

import pytest

from hall.models import Notification, NotificationChannel
from hall.notifications import deliver_pending, notify, retry_delay
from tests.factories import UserFactory

SENT = []


class RecordingBackend:
    def send(self, notification):
        SENT.append((notification.pk, notification.channel))


class FailingBackend:
    def send(self, notification):
        raise ConnectionError("SMS gateway unreachable")


@pytest.fixture(autouse=True)
def _backends(settings):
    SENT.clear()
    settings.NOTIFICATION_BACKENDS = {
        "email": f"{__name__}.RecordingBackend",
        "sms": f"{__name__}.RecordingBackend",
    }
    return settings


def send_to(users, channels=(NotificationChannel.IN_APP,), hall_id=None):
    return notify(
        recipients=users, hall_id=hall_id or users[0].hall_id, kind="test", subject="Hello", channels=channels
    )


def test_notify_writes_one_in_app_row_per_recipient(clerk, manager):
    rows = send_to([clerk, manager, clerk, None])

    assert len(rows) == 2
    assert set(Notification.objects.values_list("recipient", flat=True)) == {clerk.pk, manager.pk}
    row = Notification.objects.get(recipient=clerk)
    assert (row.channel, row.kind, row.subject, row.read_at) == ("in_app", "test", "Hello", None)


def test_in_app_rows_are_delivered_by_being_written_and_never_reach_a_backend(clerk):
    send_to([clerk])

    assert deliver_pending() == 0
    assert SENT == []
    assert Notification.objects.get().sent_at is not None


def test_deliver_pending_sends_e_mail_and_sms_rows_once(clerk, manager):
    send_to([clerk, manager], channels=["in_app", "email", "sms"])

    assert deliver_pending() == 4
    assert deliver_pending() == 0

    assert sorted(channel for _, channel in SENT) == ["email", "email", "sms", "sms"]
    assert len(set(SENT)) == 4
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert set(Notification.objects.exclude(channel="in_app").values_list("attempts", flat=True)) == {1}


def test_a_failing_backend_leaves_the_row_unsent_with_its_error(clerk, settings):
    settings.NOTIFICATION_BACKENDS = {"email": f"{__name__}.RecordingBackend", "sms": f"{__name__}.FailingBackend"}
    send_to([clerk], channels=["email", "sms"])

    assert deliver_pending() == 1

    sms = Notification.objects.get(channel="sms")
    assert sms.sent_at is None
    assert "unreachable" in sms.last_error
    assert sms.attempts == 1
    assert Notification.objects.get(channel="email").sent_at is not None


def test_a_failed_row_is_sent_once_its_wait_is_over(clerk, settings, clock):
    settings.NOTIFICATION_BACKENDS = {"sms": f"{__name__}.FailingBackend"}
    send_to([clerk], channels=["sms"])
    deliver_pending()
    assert deliver_pending() == 0  # waiting before its next attempt

    settings.NOTIFICATION_BACKENDS = {"sms": f"{__name__}.RecordingBackend"}
    clock.shift(retry_delay(1))

    assert deliver_pending() == 1
    row = Notification.objects.get()
    assert (row.attempts, row.last_error) == (2, "")
    assert row.sent_at is not None


def test_a_row_claimed_by_another_sender_is_not_sent_twice(clerk, clock):
    (row,) = send_to([clerk], channels=["email"])
    Notification.objects.filter(pk=row.pk).update(claimed_at=dt.datetime.now(tz=dt.UTC))

    assert deliver_pending() == 0
    assert SENT == []


def test_e_mail_goes_out_after_the_commit_through_the_task(clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_to([clerk], channels=["email"])

    assert [channel for _, channel in SENT] == ["email"]
    assert Notification.objects.get().sent_at is not None


def test_the_inbox_lists_only_my_in_app_notifications(api_as, clerk, manager, north_clerk):
    send_to([clerk], channels=["in_app", "email"])
    send_to([manager])
    send_to([north_clerk])

    body = api_as(clerk).get("/api/notifications/").json()

    assert body["count"] == 1
    assert body["results"][0]["channel"] == "in_app"
    assert {"id", "kind", "subject", "body", "link", "created_at", "read_at"} <= body["results"][0].keys()


def test_reading_a_notification_twice_keeps_the_first_time(api_as, clerk, clock):
    (row,) = send_to([clerk])
    first = api_as(clerk).post(f"/api/notifications/{row.pk}/read/").json()["read_at"]
    clock.shift(60)

    again = api_as(clerk).post(f"/api/notifications/{row.pk}/read/").json()["read_at"]

    assert again == first


def test_another_halls_user_cannot_read_my_notification(api_as, clerk, north):
    (row,) = send_to([clerk])
    stranger = UserFactory(hall=north)
    assert api_as(stranger).post(f"/api/notifications/{row.pk}/read/").status_code == 404
