import struct
import zlib

import pytest
from playwright.sync_api import expect

from hall.models import Hall, User
from repairs.models import RepairOrder, RepairPhoto, RepairStatus
from tests.browser.conftest import htmx_ready, log_in, seed
from tests.factories import register_repair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13800138000"


def write_png(path, size=16, rgb=(200, 40, 40)):
    """A small solid-colour PNG, as a phone camera would send (only much smaller)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def test_a_repair_goes_from_the_counter_to_the_worker_and_back_to_the_customer(
    live_server, new_page, shot, tmp_path, settings
):
    seed()
    settings.MEDIA_ROOT = tmp_path / "media"
    url = live_server.url
    hall = Hall.objects.get(code="demo")
    clerk_user, worker_user = User.objects.get(username="clerk1"), User.objects.get(username="worker1")
    earlier = register_repair(hall, actor=clerk_user, phone=PHONE, description="楼道灯不亮", urgency=3)

    clerk = new_page(1440, 900)
    log_in(clerk, url, "clerk1")
    clerk.goto(f"{url}/repairs/")
    expect(clerk.locator(".repair-table")).to_contain_text(earlier.number)
    shot(clerk, "repair_desk")
    clerk.click("a.button-register")
    clerk.wait_for_url("**/repairs/new/")
    htmx_ready(clerk)
    with clerk.expect_response(lambda response: "/repairs/new/history/" in response.url):
        clerk.fill("input[name='phone']", PHONE)
    expect(clerk.locator("#intake-history .repeat-warning")).to_contain_text(earlier.number)
    clerk.click("#intake-history [data-fill-name]")
    expect(clerk.locator("input[name='customer_name']")).to_have_value("张三")
    expect(clerk.locator("input[name='address']")).to_have_value("人民路 8 号 3 单元")
    clerk.select_option("select[name='fault']", "outage")
    clerk.click(".urgency-choice-1")
    clerk.fill("textarea[name='description']", "整栋楼停电，电梯停在三楼")
    shot(clerk, "repair_register")
    clerk.click("#repair-form button[type='submit']")

    expect(clerk.locator(".messages")).to_be_visible()
    repair = RepairOrder.objects.exclude(pk=earlier.pk).get()
    expect(clerk.locator(".messages")).to_contain_text(repair.number)
    htmx_ready(clerk)
    assert (repair.repeat_of, repair.urgency) == (earlier, 1)
    clerk.select_option("select[name='worker']", str(worker_user.pk))
    clerk.click("form[action$='/dispatch/'] button[type='submit']")
    expect(clerk.locator("#repair-panel .repair-head .repair-status-dispatched")).to_be_visible()
    expect(clerk.locator("#repair-panel .message-info")).to_contain_text(worker_user.display_name)
    shot(clerk, "repair_detail_dispatched")

    worker = new_page(360, 740)
    log_in(worker, url, "worker1")
    worker.goto(f"{url}/repairs/mine/")
    card = worker.locator(f"#repair-{repair.pk}")
    expect(card.locator(".mine-phone")).to_contain_text(PHONE)
    shot(worker, "repair_mine_dispatched")
    assert worker.evaluate("document.documentElement.scrollWidth") <= 360
    card.locator("form[action$='/arrive/'] button").click()
    expect(card.locator("textarea[name='notes']")).to_be_visible()
    card.locator("textarea[name='notes']").fill("更换进线熔断器，已恢复供电")
    card.locator("input[capture]").set_input_files(str(write_png(tmp_path / "fuse.png")))
    shot(worker, "repair_mine_on_site")
    card.locator("form[action$='/complete/'] button[type='submit']").click()
    expect(worker.locator(".mine-empty")).to_be_visible()
    shot(worker, "repair_mine_done")
    repair.refresh_from_db()
    assert repair.status == RepairStatus.COMPLETED
    assert RepairPhoto.objects.filter(repair=repair).count() == 1

    clerk.goto(f"{url}/repairs/callbacks/")
    row = clerk.locator(f"#repair-{repair.pk}")
    expect(row).to_contain_text("更换进线熔断器")
    row.locator(".score-choice.score-5").click()
    row.locator("input[name='notes']").fill("客户表示满意")
    shot(clerk, "repair_callbacks")
    row.locator("button[type='submit']").click()
    expect(clerk.locator(".messages")).to_contain_text(repair.number)
    repair.refresh_from_db()
    assert (repair.status, repair.satisfaction) == (RepairStatus.FOLLOWED_UP, 5)

    clerk.goto(f"{url}/repairs/{repair.pk}/")
    clerk.on("dialog", lambda dialog: dialog.accept())
    clerk.click("form[action$='/close/'] button")
    expect(clerk.locator("#repair-panel .repair-head .repair-status-closed")).to_be_visible()
    steps = clerk.locator(".repair-timeline li")
    expect(steps).to_have_count(6)
    actors = steps.locator(".actor").all_inner_texts()
    clerk_name, worker_name = clerk_user.display_name, worker_user.display_name
    assert actors == [clerk_name, clerk_name, worker_name, worker_name, clerk_name, clerk_name]
    expect(clerk.locator(".photos img")).to_have_count(1)
    shot(clerk, "repair_detail_closed")

    customer = new_page(390, 844)
    customer.goto(clerk.locator(".customer-link a").get_attribute("href"))
    expect(customer.locator(".repair-card-number")).to_have_text(repair.number)
    expect(customer.locator(".progress-step.is-done")).to_have_count(5)
    expect(customer.locator(".repair-worker")).to_contain_text(worker_name)
    assert PHONE not in customer.content()
    shot(customer, "repair_status")
