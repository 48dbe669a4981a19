import pytest

from tests.browser.conftest import htmx_ready, log_in, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# For every element the selector finds: its text, how tall it is and one line of its text; "normal" line height
# is about 1.2 × the font size.
MEASURE = """selector => [...document.querySelectorAll(selector)].filter(el => el.offsetParent !== null).map(el => {
  const style = getComputedStyle(el);
  const line = style.lineHeight === 'normal' ? parseFloat(style.fontSize) * 1.2 : parseFloat(style.lineHeight);
  const rect = el.getBoundingClientRect();
  const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
  const border = parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
  return {text: el.innerText.trim(), height: rect.height - padding - border, line, right: rect.right,
          overflows: el.scrollWidth > el.clientWidth + 1, wordBreak: style.wordBreak};
})"""


def one_line_breaches(page, selector):
    """The elements whose text took more than one line."""
    return [item for item in page.evaluate(MEASURE, selector) if item["height"] >= 2 * item["line"] - 1]


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def phone(new_page):
    return new_page(PHONE["width"], PHONE["height"])


def test_the_kiosk_on_a_phone_keeps_each_name_on_one_line(live_server, new_page, tmp_path):
    seed()
    page = phone(new_page)
    page.goto(f"{live_server.url}/kiosk/demo/")
    htmx_ready(page)
    page.screenshot(path=tmp_path / "kiosk_phone.png", full_page=True)

    names = page.evaluate(MEASURE, ".kiosk-header h1, .kiosk-type-name")
    # Chinese breaks between any two characters unless told to keep a word whole, wherever the font runs wide.
    assert {name["wordBreak"] for name in names} == {"keep-all"}
    assert not any(name["overflows"] for name in names)
    assert [name["text"] for name in names if name["text"] == "业扩报装"] == ["业扩报装"]
    assert one_line_breaches(page, ".kiosk-header h1, .kiosk-type-name, .kiosk-label, .kiosk-hint") == []
    assert all(name["right"] <= PHONE["width"] for name in names)
    assert page_width(page) <= PHONE["width"]


def test_the_repair_workers_menu_fits_a_phone(live_server, new_page, tmp_path):
    seed()
    page = phone(new_page)
    log_in(page, live_server.url, "worker1")
    page.goto(f"{live_server.url}/repairs/mine/")
    htmx_ready(page)
    page.screenshot(path=tmp_path / "repair_mine_phone.png", full_page=True)

    assert one_line_breaches(page, ".topbar-links a, .topbar .brand, .topbar button") == []
    topbar = page.locator(".topbar").bounding_box()
    assert topbar["height"] < 120
    assert page_width(page) <= PHONE["width"]


@pytest.mark.parametrize(
    ("username", "path"),
    [("worker1", "/repairs/mine/"), ("clerk1", "/repairs/"), ("clerk1", "/duties/"), ("clerk1", "/complaints/")],
)
def test_no_button_wraps_on_a_phone(live_server, new_page, tmp_path, username, path):
    seed()
    page = phone(new_page)
    log_in(page, live_server.url, username)
    page.goto(f"{live_server.url}{path}")
    htmx_ready(page)
    page.screenshot(path=tmp_path / f"{username}_{path.strip('/').replace('/', '_')}_phone.png", full_page=True)

    assert one_line_breaches(page, ".button, button, .chip, .status, .badge") == []
