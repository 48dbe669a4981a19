import pytest
from playwright.sync_api import expect

from feedback import services
from feedback.models import Feedback
from tests.browser.conftest import htmx_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_customer_on_a_phone_sends_a_suggestion_and_reads_the_answer_by_its_reference(
    live_server, new_page, shot, hall, duty, manager
):
    page = new_page(PHONE["width"], PHONE["height"])
    page.goto(f"{live_server.url}/feedback/{hall.code}/")
    htmx_ready(page)
    page.check("input[name='kind'][value='suggestion']")
    page.fill("input[name='customer_name']", "王女士")
    page.fill("input[name='phone']", "138-0000-1234")
    page.fill("textarea[name='text']", "希望等候区多放几把椅子")
    page.click(".public-form button[type='submit']")

    page.wait_for_url("**/?thanks=suggestion")
    reference = Feedback.objects.get().reference
    expect(page.locator(".feedback-reference")).to_have_text(reference)
    assert page_width(page) <= PHONE["width"]
    shot(page, "feedback_thanks_phone")
    page.click("a.button:has-text('查看答复')")
    page.wait_for_url(f"**/feedback/{hall.code}/follow/?ref={reference}")
    htmx_ready(page)
    expect(page.locator("input[name='reference']")).to_have_value(reference)
    page.fill("input[name='phone_end']", "1234")
    page.click(".feedback-follow button[type='submit']")
    expect(page.locator(".feedback-status")).to_have_text("已收到，尚未答复")

    services.feedback_reply(
        feedback=Feedback.objects.get(), text="已在等候区增加十把座椅，感谢您的建议。", actor=manager
    )
    page.click("text=查询其他记录")
    htmx_ready(page)
    page.fill("input[name='reference']", reference.lower())
    page.fill("input[name='phone_end']", "1234")
    page.click(".feedback-follow button[type='submit']")

    expect(page.locator(".feedback-status")).to_have_text("已答复")
    expect(page.locator(".feedback-answer")).to_have_text("已在等候区增加十把座椅，感谢您的建议。")
    expect(page.locator(".feedback-replied-at")).to_contain_text("答复时间")
    assert page_width(page) <= PHONE["width"]
    shot(page, "feedback_follow_phone")


def test_a_wrong_try_on_a_phone_says_not_found_and_keeps_what_was_typed(live_server, new_page, hall, duty):
    services.feedback_receive(hall=hall, kind="suggestion", customer_name="王女士", phone="13800001234", text="建议")
    reference = Feedback.objects.get().reference
    page = new_page(PHONE["width"], PHONE["height"])
    page.goto(f"{live_server.url}/feedback/{hall.code}/follow/")
    htmx_ready(page)
    page.fill("input[name='reference']", reference)
    page.fill("input[name='phone_end']", "9999")
    page.click(".feedback-follow button[type='submit']")

    expect(page.locator("[role='alert']")).to_contain_text("没有查到")
    expect(page.locator("input[name='reference']")).to_have_value(reference)
    assert page_width(page) <= PHONE["width"]
