import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from complaints.models import Complaint, ComplaintStatus
from hall.models import Hall, User
from tests.browser.conftest import htmx_ready, log_in, seed
from tests.factories import accept_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13700137000"


def earlier_complaints(hall, clerk_user):
    """A desk with some history: one of the clerk's complaints overdue, one of a colleague's at risk."""
    handler2 = User.objects.get(username="handler2")
    now = timezone.now()
    for minutes_ago, owner, phone, category, text in [
        (180, clerk_user, "13900000001", "service", "营业员态度生硬"),
        (100, handler2, "13900000002", "meter", "电表走字过快"),
        (20, handler2, "13900000003", "outage", "小区频繁停电"),
    ]:
        with time_machine.travel(now - dt.timedelta(minutes=minutes_ago), tick=False):
            accept_complaint(hall, actor=owner, customer_name="顾客", phone=phone, category=category, description=text)


def timeline_actors(page) -> list[str]:
    return page.locator(".complaint-timeline li .actor").all_inner_texts()


def test_a_repeat_complaint_is_handed_over_resolved_followed_up_and_closed(live_server, new_page, shot):
    seed()
    url = live_server.url
    hall = Hall.objects.get(code="demo")
    clerk_user, handler_user = User.objects.get(username="clerk1"), User.objects.get(username="handler1")
    earlier = accept_complaint(
        hall, actor=clerk_user, phone=PHONE, address="人民路 8 号 3 单元", description="上月电费异常"
    )

    earlier_complaints(hall, clerk_user)

    clerk = new_page(1440, 900)
    log_in(clerk, url, "clerk1")
    clerk.goto(f"{url}/complaints/")
    expect(clerk.locator(".complaint-table")).to_contain_text(earlier.number)
    expect(clerk.locator(".complaint-table tbody tr").first).to_have_class("sla-row sla-overdue")
    shot(clerk, "complaint_desk")
    clerk.click(".desk-tabs a:nth-child(2)")
    expect(clerk.locator(".complaint-table tbody tr")).to_have_count(4)
    expect(clerk.locator(".complaint-table tr.sla-at_risk")).to_have_count(1)
    shot(clerk, "complaint_desk_hall")
    clerk.click("a.button-register")
    clerk.wait_for_url("**/complaints/new/")
    htmx_ready(clerk)
    clerk.click("label.choice:has(input[value='phone'])")
    with clerk.expect_response(lambda response: "/complaints/new/history/" in response.url):
        clerk.fill("input[name='phone']", PHONE)
    history = clerk.locator("#intake-history")
    expect(history.locator(".repeat-warning")).to_be_visible()
    expect(history.locator(".history-complaints")).to_contain_text(earlier.number)
    assert Complaint.objects.count() == 4
    history.locator("[data-fill-name]").click()
    expect(clerk.locator("input[name='customer_name']")).to_have_value("李四")
    clerk.select_option("select[name='category']", "billing")
    clerk.fill("textarea[name='description']", "本月电费又比上月高出三倍，上次投诉后仍未处理")
    shot(clerk, "complaint_accept")
    clerk.click("#complaint-form button[type='submit']")
    clerk.wait_for_url(re.compile(r"/complaints/\d+/$"))
    htmx_ready(clerk)

    complaint = Complaint.objects.get(phone=PHONE, description__startswith="本月")
    expect(clerk.locator(".messages")).to_contain_text(complaint.number)
    assert (complaint.owner, complaint.channel) == (clerk_user, "phone")
    clerk.click("details:has(form.hand-over-form) summary")
    clerk.select_option("form.hand-over-form select[name='to']", str(handler_user.pk))
    clerk.fill("form.hand-over-form input[name='reason']", "需核查抄表记录")
    clerk.click("form.hand-over-form button[type='submit']")
    expect(clerk.locator("#complaint-panel .owner")).to_have_text(handler_user.display_name)
    expect(clerk.locator("form.investigate-form")).to_have_count(0)

    handler = new_page(1440, 900)
    log_in(handler, url, "handler1")
    handler.goto(f"{url}/complaints/")
    handler.click(f"a.complaint-number:has-text('{complaint.number}')")
    handler.wait_for_url(f"**/complaints/{complaint.pk}/")
    htmx_ready(handler)
    handler.fill("form.investigate-form textarea[name='note']", "已电话联系客户，调取抄表记录核对")
    handler.click("form.investigate-form button[type='submit']")
    expect(handler.locator("#complaint-panel .repair-head .complaint-status-investigating")).to_be_visible()
    handler.fill("form.resolve-form textarea[name='resolution']", "抄表错误，已更正并退还多收电费")
    handler.check("form.resolve-form input[name='customer_confirmed']")
    handler.click("form.resolve-form button[type='submit']")
    expect(handler.locator("#complaint-panel .repair-head .complaint-status-resolved")).to_be_visible()
    shot(handler, "complaint_detail_resolved")

    clerk.reload()
    clerk.locator("form.follow-up-form .score-choice.score-5").click()
    clerk.fill("form.follow-up-form input[name='note']", "客户表示满意")
    clerk.click("form.follow-up-form button[type='submit']")
    expect(clerk.locator("#complaint-panel .repair-head .complaint-status-followed_up")).to_be_visible()
    expect(clerk.locator(".promise-follow_up .due-stopped")).to_be_visible()

    handler.reload()
    handler.on("dialog", lambda dialog: dialog.accept())
    handler.click("form.close-form button")
    expect(handler.locator("#complaint-panel .repair-head .complaint-status-closed")).to_be_visible()
    expect(handler.locator(".complaint-timeline li")).to_have_count(6)
    clerk_name, handler_name = clerk_user.display_name, handler_user.display_name
    assert timeline_actors(handler) == [clerk_name, clerk_name, handler_name, handler_name, clerk_name, handler_name]
    expect(handler.locator(".complaint-timeline .timeline-hand_over")).to_contain_text(handler_name)
    shot(handler, "complaint_detail_closed")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.satisfaction, complaint.owner) == (ComplaintStatus.CLOSED, 5, handler_user)


def test_a_web_complaint_followed_up_as_not_satisfied_goes_back_to_investigation(live_server, new_page, shot):
    seed()
    url = live_server.url
    duty_user = User.objects.get(username="duty")

    customer = new_page(390, 844)
    customer.goto(f"{url}/complain/demo/")
    customer.fill("input[name='customer_name']", "王五")
    customer.fill("input[name='phone']", "13900139000")
    customer.select_option("select[name='category']", "outage")
    customer.fill("textarea[name='description']", "3 号楼从昨晚起没有暖气，老人孩子受冻")
    customer.check("input[name='ongoing_loss']")
    shot(customer, "complaint_public_form")
    assert customer.evaluate("document.documentElement.scrollWidth") <= 390
    customer.click("form.public-form button[type='submit']")
    expect(customer.locator(".thanks")).to_be_visible()
    complaint = Complaint.objects.get()
    expect(customer.locator(".thanks")).to_contain_text(complaint.number)
    expect(customer.locator(".repair-card-number")).to_have_text(complaint.number)
    shot(customer, "complaint_track_new")
    assert (complaint.owner, complaint.channel, complaint.urgent) == (duty_user, "web", True)

    duty = new_page(1440, 900)
    log_in(duty, url, "duty")
    duty.goto(f"{url}/complaints/{complaint.pk}/")
    duty.fill("form.resolve-form textarea[name='resolution']", "管道阀门已更换，今晨恢复供暖")
    duty.click("form.resolve-form button[type='submit']")
    expect(duty.locator("#complaint-panel .repair-head .complaint-status-resolved")).to_be_visible()
    duty.locator("form.follow-up-form .score-choice.score-2").click()
    duty.fill("form.follow-up-form input[name='note']", "室温仍只有 14 度")
    duty.click("form.follow-up-form button[type='submit']")

    expect(duty.locator("#complaint-panel .repair-head .complaint-status-investigating")).to_be_visible()
    expect(duty.locator("#complaint-panel .repair-head .badge-reopened")).to_be_visible()
    expect(duty.locator(".complaint-timeline .timeline-follow_up_unsatisfied")).to_contain_text("室温仍只有 14 度")
    expect(duty.locator("form.resolve-form")).to_be_visible()
    shot(duty, "complaint_detail_reopened")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.reopen_count) == (ComplaintStatus.INVESTIGATING, 1)

    customer.reload()
    expect(customer.locator(".progress-step").nth(1)).to_have_class("progress-step is-done is-current")
    assert "室温仍只有" not in customer.content()


def test_a_building_without_heat_is_resolved_for_every_complaint_from_the_incident_page(live_server, new_page, shot):
    seed()
    url = live_server.url
    hall, clerk_user = Hall.objects.get(code="demo"), User.objects.get(username="clerk1")
    fields = {"category": "outage", "address": "幸福小区 3 号楼"}
    lead = accept_complaint(
        hall, actor=clerk_user, customer_name="甲", phone="13900000001", description="整栋楼没有暖气", **fields
    )
    members = [
        accept_complaint(
            hall, actor=clerk_user, customer_name=name, phone=phone, description="没有暖气", group=lead, **fields
        )
        for name, phone in [("乙", "13900000002"), ("丙", "13900000003")]
    ]

    duty = new_page(1440, 900)
    log_in(duty, url, "duty")
    duty.goto(f"{url}/complaints/{members[1].pk}/")
    duty.click("a.incident-link")
    duty.wait_for_url("**/incident/")
    expect(duty.locator("h1")).to_contain_text(lead.number)
    expect(duty.locator(".complaint-table tbody tr")).to_have_count(3)
    duty.fill("form.resolve-form textarea[name='resolution']", "换热站循环泵已更换，21 点恢复供暖")
    shot(duty, "complaint_incident")
    duty.click("form.resolve-form button[type='submit']")
    expect(duty.locator(".messages")).to_contain_text(lead.number)
    expect(duty.locator(".complaint-table .complaint-status-resolved")).to_have_count(3)
    expect(duty.locator("form.follow-up-form")).to_be_visible()
    assert {c.status for c in Complaint.objects.all()} == {ComplaintStatus.RESOLVED}
