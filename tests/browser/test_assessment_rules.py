import pytest
from playwright.sync_api import expect

from assessments.models import AssessmentRule
from hall.models import Hall
from tests.browser.conftest import log_in, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_opens_the_rules_from_the_assessments_is_told_what_is_wrong_then_saves(live_server, new_page, shot):
    seed()
    url = live_server.url
    hall = Hall.objects.get(code="demo")
    page = new_page(1280, 900)
    log_in(page, url, "manager")
    page.goto(f"{url}/assessments/")
    page.locator("a.rules-link").click()
    page.wait_for_url("**/assessments/rules/**")
    expect(page.locator(".rules-scope")).to_contain_text("尚未月结的月份")
    breach = page.locator("#rule-sla_breach")
    expect(breach).to_contain_text("超时未办结")
    expect(breach).to_contain_text("扣分")

    breach.locator("input[name='points-sla_breach']").fill("1.234")
    page.locator("#rule-praise input[name='points-praise']").fill("4")
    page.locator(".rules-form button[type='submit']").click()
    expect(page.locator("[role='alert']")).to_contain_text("未保存任何修改")
    expect(page.locator("#rule-sla_breach .field-error")).to_contain_text("最多两位小数")
    shot(page, "assessment_rules_refused")
    assert AssessmentRule.objects.get(hall=hall, source="praise").points == 2

    page.locator("#rule-sla_breach input[name='points-sla_breach']").fill("1.5")
    page.locator("#rule-duty_missed input[name='active-duty_missed']").uncheck()
    page.locator(".rules-form button[type='submit']").click()
    expect(page.locator(".message-success")).to_contain_text("3 项有改动")
    expect(page.locator("#rule-praise input[name='points-praise']")).to_have_value("4")
    expect(page.locator("#rule-duty_missed input[name='active-duty_missed']")).not_to_be_checked()
    rules = {rule.source: rule for rule in AssessmentRule.objects.filter(hall=hall)}
    assert (rules["sla_breach"].points, rules["praise"].points, rules["duty_missed"].active) == (1.5, 4, False)
    shot(page, "assessment_rules_saved")


def test_every_column_of_the_rules_fits_a_phone(live_server, new_page, shot):
    seed()
    page = new_page(390, 844)
    log_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/assessments/rules/")
    counts = page.locator("#rule-pad_satisfaction input[name='active-pad_satisfaction']")
    expect(counts).to_be_visible()
    shot(page, "assessment_rules_phone")
    box = counts.bounding_box()
    assert box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#rule-sla_breach input[name='points-sla_breach']").fill("2")
    expect(page.locator(".rules-form button[type='submit']")).to_be_visible()
