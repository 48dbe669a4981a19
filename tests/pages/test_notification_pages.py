"""The notifications page and the menu's unread count."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from hall import sla
from hall.models import Notification
from hall.notifications import notification_mark_read, notify
from tests.factories import register_repair

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def tell(user, number):
    [row] = notify(recipients=[user], hall_id=user.hall_id, kind="complaint_received", params={"number": number})
    return row


@pytest.fixture
def escalated(clock, hall, clerk, duty):
    """One order's half, three-quarters and deadline reminders, all to the duty manager."""
    repair = register_repair(hall, actor=clerk, urgency=2)
    for hour in (11, 12, 13):
        clock.move_to(dt.datetime(2026, 3, 2, hour, 0, tzinfo=SHANGHAI))
        sla.sla_sweep()
    return repair


def nav_count(response) -> str:
    html = response.content.decode()
    start = html.index('id="nav-unread"')
    return html[html.index(">", start) + 1 : html.index("</span>", start)]


def test_the_menu_shows_how_many_lines_are_unread(client_as, escalated, duty):
    tell(duty, "TS1")

    response = client_as(duty).get(reverse("notifications"))

    assert nav_count(response) == "2"


def test_the_menu_hides_the_count_when_all_is_read(client_as, clerk):
    notification_mark_read(notification=tell(clerk, "TS1"))

    response = client_as(clerk).get(reverse("notifications"))

    assert nav_count(response) == "0"
    assert 'class="nav-count" hidden' in response.content.decode()


def test_the_reminders_of_one_order_are_one_line_with_its_latest_level(client_as, escalated, duty):
    response = client_as(duty).get(reverse("notifications"))
    html = response.content.decode()

    assert html.count('class="notification-headline"') == 1
    assert f"已超时：报修工单 {escalated.number}：到达现场，应于 3月2日 13:00 前完成" in html
    assert "此前 2 次提醒" in html
    assert "超时已超过一个完整时限" not in html


def test_the_unread_filter_shows_only_unread_lines(client_as, clerk):
    notification_mark_read(notification=tell(clerk, "TS1"))
    tell(clerk, "TS2")

    html = client_as(clerk).get(reverse("notifications") + "?unread=1").content.decode()

    assert "网上新投诉 TS2" in html
    assert "网上新投诉 TS1" not in html


def test_mark_all_read_reads_every_line_and_comes_back_to_the_list(client_as, escalated, duty):
    client = client_as(duty)

    response = client.post(reverse("notification-read-all"))

    assert response.status_code == 302
    assert response.url == reverse("notifications")
    assert not Notification.objects.filter(recipient=duty, channel="in_app", read_at=None).exists()
    assert nav_count(client.get(reverse("notifications"))) == "0"


def test_reading_a_line_in_place_updates_the_menus_count(client_as, escalated, duty):
    tell(duty, "TS1")
    line = Notification.objects.filter(recipient=duty, kind="sla_breached", channel="in_app").get()

    response = client_as(duty).post(reverse("notification-read", args=[line.pk]), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert 'hx-swap-oob="true"' in html
    assert nav_count(response) == "1"
    assert Notification.objects.filter(recipient=duty, channel="in_app", read_at=None).count() == 1


def test_mark_all_read_needs_a_post(client_as, clerk):
    assert client_as(clerk).get(reverse("notification-read-all")).status_code == 405
