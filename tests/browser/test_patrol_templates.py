import pytest
from playwright.sync_api import expect

from hall.models import User
from patrols import selectors, services
from patrols.models import PatrolTemplate
from tests.browser.conftest import SHOTS, htmx_ready, log_in, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_hall_manager_adds_moves_and_removes_items_on_a_phone_then_saves(live_server, new_page, shot):
    seed()
    url = live_server.url
    template = PatrolTemplate.objects.get(hall__code="demo")
    first, second = (item.text for item in template.current_items()[:2])

    page = new_page(390, 844)
    log_in(page, url, "manager")
    page.goto(f"{url}/patrol/")
    page.click("text=巡场模板")
    page.click(f"text={template.name}")
    page.wait_for_url(f"**/patrol/templates/{template.pk}/")
    htmx_ready(page)
    rows = page.locator("fieldset.template-item")
    expect(rows).to_have_count(20)

    page.click("button[value='add']")
    expect(rows).to_have_count(21)
    new = rows.nth(20)
    new.locator("select").select_option("supervisor")
    new.locator("input[name$='-text']").fill("午间交接检查")
    new.locator("input[name$='-points']").fill("3")
    for place in (19, 18):
        rows.nth(place + 1).locator("button[value^='up-']").click()
        expect(rows.nth(place).locator("input[name$='-text']")).to_have_value("午间交接检查")
    rows.first.locator("button[value^='remove-']").click()
    expect(rows).to_have_count(20)
    expect(rows.first.locator("input[name$='-text']")).to_have_value(second)
    # The page fits the phone: nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "patrol_template_edit_phone")
    page.screenshot(path=f"{SHOTS}/patrol_template_edit_top.png")
    rows.nth(17).screenshot(path=f"{SHOTS}/patrol_template_new_item.png")

    page.locator("button[value='save']").first.click()
    expect(page.locator(".message")).to_contain_text("已保存")
    texts = [item.text for item in PatrolTemplate.objects.get(pk=template.pk).current_items()]
    assert (texts[0], texts[17], len(texts)) == (second, "午间交接检查", 20) and first not in texts

    duty = User.objects.get(username="duty")
    patrol = services.patrol_start(hall=template.hall, template=template, actor=duty)
    for item in selectors.patrol_items(patrol):
        services.patrol_check(
            patrol=patrol, item=item, result="fail" if item.category == "staff" else "pass", actor=duty
        )
    patrol = services.patrol_finish(patrol=patrol, actor=duty)
    page.goto(f"{url}/patrol/scores/")
    expect(page.locator("h1")).to_have_text("巡场得分")
    expect(page.locator("[data-score]")).to_have_text(f"{round(patrol.score / patrol.max_score * 100)}%")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "patrol_scores_phone")
    page.screenshot(path=f"{SHOTS}/patrol_scores_top.png")
