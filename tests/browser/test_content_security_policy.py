import pytest
from playwright.sync_api import expect

from hall.models import Hall
from tests.browser.conftest import htmx_ready, log_in, seed
from tickets.models import Counter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the page reports, kept on the window before any of the page's own scripts run.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile);
});
"""


def watched(page):
    """The page, with a list of the policy violations it reports, in the console or as events."""
    page.add_init_script(WATCH_VIOLATIONS)
    page.violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.violations.append(message.text),
    )
    return page


def violations(page) -> list[str]:
    return page.violations + page.evaluate("window.__violations")


def test_the_hall_pages_run_under_the_content_security_policy(live_server, new_page):
    seed()
    url = live_server.url
    pages = []

    kiosk = watched(new_page(1280, 900))
    kiosk.goto(f"{url}/kiosk/demo/")
    htmx_ready(kiosk)
    expect(kiosk.locator("button.kiosk-type[value='A']")).to_be_visible()
    pages.append(kiosk)

    board = watched(new_page(1920, 1080))
    board.goto(f"{url}/board/demo/")
    htmx_ready(board)
    expect(board.locator("[data-waiting='A']")).to_have_text("0")
    pages.append(board)

    clerk = watched(new_page())
    log_in(clerk, url, "clerk1")
    counter = Counter.objects.get(hall=Hall.objects.get(code="demo"), number=1)
    for path, ready in [
        (f"/counter/{counter.pk}/", "#console"),
        ("/complaints/", "main"),
        ("/repairs/", "main"),
        ("/duties/", "#duty-list"),
    ]:
        clerk.goto(f"{url}{path}")
        htmx_ready(clerk)
        expect(clerk.locator(ready).first).to_be_visible()
        assert violations(clerk) == [], path

    assert [violations(page) for page in pages] == [[], []]
    assert "script-src 'self'" in kiosk.evaluate(
        "() => fetch(location.href).then((r) => r.headers.get('content-security-policy'))"
    )


def test_the_api_docs_run_under_the_content_security_policy(live_server, new_page):
    seed()
    docs = watched(new_page())
    log_in(docs, live_server.url, "manager")
    docs.goto(f"{live_server.url}/api/docs/")
    expect(docs.locator(".opblock").first).to_be_visible()
    assert violations(docs) == []
