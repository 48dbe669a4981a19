import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hall import sla
from hall.models import Hall, Notification, User
from tests.browser.conftest import log_in, seed
from tests.factories import register_repair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_escalations_of_one_order_are_one_line_and_mark_all_read_empties_the_count(live_server, new_page, shot):
    seed()
    hall = Hall.objects.get(code="demo")
    repair = register_repair(hall, actor=User.objects.get(username="clerk1"), urgency=2)
    start = timezone.now()
    for hours in (2, 3, 4):  # half, three quarters, the deadline of its 4 hours
        sla.sla_sweep(now=start + dt.timedelta(hours=hours, minutes=1))
    breaches = Notification.objects.filter(kind="sla_breached", channel="in_app").select_related("recipient")
    [reader, *_] = [row.recipient for row in breaches if row.params["what"]["params"]["number"] == repair.number]

    page = new_page(1280, 900)
    log_in(page, live_server.url, reader.username)
    page.goto(f"{live_server.url}/notifications/")

    line = page.locator(".notification", has_text=repair.number)
    expect(line).to_have_count(1)
    expect(line.locator(".notification-headline")).to_contain_text(f"已超时：报修工单 {repair.number}")
    expect(line.locator(".notification-folded summary")).to_have_text("此前 2 次提醒")
    unread_lines = page.locator(".notification-unread").count()
    assert unread_lines >= 1
    expect(page.locator("#nav-unread")).to_have_text(str(unread_lines))
    expect(page.locator("#nav-unread")).to_be_visible()
    line.locator(".notification-folded summary").click()
    expect(line.locator(".notification-folded li")).to_have_count(2)
    shot(page, "notifications_grouped")

    page.click("#notifications-read-all")
    page.wait_for_url(f"{live_server.url}/notifications/")
    expect(page.locator(".notification-unread")).to_have_count(0)
    expect(page.locator("#nav-unread")).to_be_hidden()
    expect(page.locator("#notifications-read-all")).to_have_count(0)
    page.click(".notification-filter a[href$='?unread=1']")
    expect(page.locator(".notification-list")).to_contain_text("没有未读通知。")
    shot(page, "notifications_all_read")
    assert not Notification.objects.filter(recipient=reader, channel="in_app", read_at=None).exists()
