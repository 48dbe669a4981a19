import pytest
from playwright.sync_api import expect

from complaints import services as complaint_services
from hall.models import Hall, User
from tests.browser.conftest import log_in, seed
from tests.factories import accept_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def score(page) -> float:
    return float(page.locator(".assessment-sheet .score").first.inner_text())


def test_the_clerk_appeals_a_line_on_their_page_the_manager_accepts_it_and_the_score_changes(
    live_server, new_page, shot
):
    seed()
    url = live_server.url
    hall = Hall.objects.get(code="demo")
    clerk, handler = User.objects.get(username="clerk1"), User.objects.get(username="handler1")
    complaint = accept_complaint(hall, actor=handler)
    complaint_services.complaint_resolve(
        complaint=complaint,
        resolution="核实属实",
        customer_confirmed=True,
        justified=True,
        justified_against=clerk,
        actor=handler,
    )

    page = new_page(1280, 900)
    log_in(page, url, "clerk1")
    page.goto(f"{url}/assessment/")
    line = page.locator("tr.line", has_text=complaint.number)
    expect(line).to_be_visible()
    before = score(page)
    line.locator("input[name='reason']").fill("该投诉与我无关")
    line.locator("button[type='submit']").click()
    expect(page.locator(".notice")).to_be_visible()
    shot(page, "assessment_appealed")

    manager = new_page(1440, 900)
    log_in(manager, url, "manager")
    manager.goto(f"{url}/assessments/")
    appeal = manager.locator(".appeal-open", has_text="该投诉与我无关")
    appeal.locator("input[name='note']").fill("核实为他人责任")
    appeal.locator("button.accept").click()
    expect(manager.locator(".appeal-accepted", has_text="该投诉与我无关")).to_be_visible()
    shot(manager, "assessments_decided")

    page.goto(f"{url}/assessment/")
    voided = page.locator("tr.line.voided", has_text=complaint.number)
    expect(voided).to_contain_text("核实为他人责任")
    assert score(page) == before + 5
    expect(page.locator(".appeal-accepted")).to_be_visible()
