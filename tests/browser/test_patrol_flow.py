import os

import pytest
from playwright.sync_api import expect

from hall.models import User
from patrols.models import Patrol, PatrolCheck, Rectification, RectificationStatus
from tests.browser.conftest import htmx_ready, log_in, seed
from tests.browser.test_repair_flow import write_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = ".run/screens"
BADGE = "着装统一、佩戴工牌"


def screen(page, name):
    os.makedirs(SCREENS, exist_ok=True)
    page.screenshot(path=f"{SCREENS}/{name}.png", full_page=True)


def test_a_patrol_on_a_phone_with_a_photo_becomes_a_rectification_fixed_rejected_and_verified(
    live_server, new_page, tmp_path, settings
):
    seed()
    settings.MEDIA_ROOT = tmp_path / "media"
    url = live_server.url
    clerk_user = User.objects.get(username="clerk1")

    duty = new_page(390, 844)
    log_in(duty, url, "duty")
    duty.goto(f"{url}/patrol/")
    duty.click("form.patrol-card button[type='submit']")
    duty.wait_for_url("**/patrol/*/")
    htmx_ready(duty)
    patrol = Patrol.objects.get()
    # The page fits the phone: nothing sticks out sideways.
    assert duty.evaluate("document.documentElement.scrollWidth") <= 390

    cards = duty.locator("article.item-card")
    assert cards.count() == 20
    badge = duty.locator("article.item-card", has_text=BADGE)
    badge.locator("input[value='fail']").check()
    badge.locator("input[name='note']").fill("未佩戴工牌")
    badge.locator("select[name='staff']").select_option(str(clerk_user.pk))
    badge.locator("input[name='photo']").set_input_files(str(write_png(tmp_path / "badge.png")))
    badge.locator("button[type='submit']").click()
    expect(duty.locator("article.item-card.item-fail", has_text=BADGE)).to_contain_text("未佩戴工牌")
    screen(duty, "patrol_walk_phone")
    duty.locator("article.item-card", has_text=BADGE).screenshot(path=f"{SCREENS}/patrol_failed_item.png")

    for index in range(cards.count()):
        card = duty.locator("article.item-card").nth(index)
        if BADGE in card.inner_text():
            continue
        card.locator("input[value='pass']").check()
        card.locator("button[type='submit']").click()
        expect(duty.locator("article.item-card").nth(index)).to_have_class("patrol-card item-card item-pass")
    assert PatrolCheck.objects.filter(patrol=patrol).count() == 20
    assert PatrolCheck.objects.get(result="fail").photo

    duty.click("text=结束巡场")
    expect(duty.locator("[data-score]")).to_have_text("95 / 100")
    screen(duty, "patrol_result_phone")
    duty.screenshot(path=f"{SCREENS}/patrol_result_top.png")
    rectification = Rectification.objects.get()
    assert rectification.owner == clerk_user

    clerk = new_page(390, 844)
    log_in(clerk, url, "clerk1")
    clerk.goto(f"{url}/rectifications/")
    card = clerk.locator(f"#rectification-{rectification.pk}")
    card.locator("input[name='note']").fill("已按规定佩戴")
    card.locator("input[name='photo']").set_input_files(str(write_png(tmp_path / "fixed.png", rgb=(40, 160, 40))))
    card.locator("button[type='submit']").click()
    expect(clerk.locator(f"#rectification-{rectification.pk}")).to_contain_text("已按规定佩戴")
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.DONE and rectification.done_photo

    duty.goto(f"{url}/rectifications/?scope=all")
    duty.locator(f"#rectification-{rectification.pk} input[name='note']").fill("工牌歪斜，重新整改")
    duty.locator(f"#rectification-{rectification.pk} button[value='no']").click()
    expect(duty.locator(f"#rectification-{rectification.pk}")).to_contain_text("退回 1 次")
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN

    clerk.goto(f"{url}/rectifications/")
    clerk.locator(f"#rectification-{rectification.pk} input[name='note']").fill("工牌已摆正")
    clerk.locator(f"#rectification-{rectification.pk} button[type='submit']").click()
    expect(clerk.locator(f"#rectification-{rectification.pk}")).to_contain_text("工牌已摆正")

    duty.goto(f"{url}/rectifications/?scope=all")
    duty.locator(f"#rectification-{rectification.pk} button[value='yes']").click()
    expect(duty.locator(f"#rectification-{rectification.pk}")).to_contain_text("已验收")
    screen(duty, "rectifications_phone")
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.VERIFIED
