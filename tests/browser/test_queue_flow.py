import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from hall.models import Counter, Hall, User
from hall.notifications import notify
from tickets import services
from tickets.models import Rating, Ticket, TicketStatus

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNOUNCEMENT = "请 A001 号到 1 号窗口"
COUNT_PRINTS = "window.__prints = 0; window.print = () => { window.__prints += 1; };"
# A speech engine that takes 300 ms per utterance and records how many ever spoke at once.
FAKE_SPEECH = """
window.__speech = { started: [], active: 0, most: 0 };
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  cancel() {},
  speak(utterance) {
    const s = window.__speech;
    s.started.push(utterance.text);
    s.active += 1;
    s.most = Math.max(s.most, s.active);
    setTimeout(() => { s.active -= 1; utterance.onend && utterance.onend(); }, 300);
  },
} });
"""
IN_ANNOUNCER = "(text) => window.boardAnnouncer.queue.concat(window.boardAnnouncer.spoken).includes(text)"


def seed():
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)


def printed_page_widths_mm(page) -> list[int]:
    """The width of each page Chromium prints, read from the PDF's MediaBox entries."""
    pdf = page.pdf(prefer_css_page_size=True)
    return [round(float(box.split()[2]) * 25.4 / 72) for box in re.findall(rb"/MediaBox \[([^\]]*)\]", pdf)]


def log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', "demo12345")
    page.click(".login-card button[type='submit']")


def test_a_visit_goes_from_the_kiosk_through_the_counter_to_a_rating(live_server, new_page, shot):
    seed()
    url = live_server.url

    board = new_page(1920, 1080)
    board.goto(f"{url}/board/demo/")
    expect(board.locator("[data-waiting='A']")).to_have_text("0")

    kiosk = new_page(1280, 900)
    kiosk.add_init_script(COUNT_PRINTS)
    kiosk.goto(f"{url}/kiosk/demo/")
    shot(kiosk, "kiosk")
    kiosk.click("button.kiosk-type[value='A']")
    expect(kiosk.locator(".ticket-number")).to_have_text("A001")
    expect(kiosk.locator(".ticket-qr svg")).to_be_visible()
    assert kiosk.evaluate("window.__prints") == 1
    shot(kiosk, "print")
    assert printed_page_widths_mm(kiosk) == [80]
    kiosk.click("text=58 mm")
    expect(kiosk.locator("body.paper-58")).to_be_visible()
    assert printed_page_widths_mm(kiosk) == [58]
    expect(board.locator("[data-waiting='A']")).to_have_text("1")

    phone = new_page(390, 844)
    phone.goto(kiosk.locator(".print-status-link").get_attribute("href"))
    expect(phone.locator(".status-number")).to_have_text("A001")
    shot(phone, "status_waiting")

    clerk = new_page(1440, 900)
    log_in(clerk, url, "clerk1")
    # clerk1 is seated at counter 1: the home page opens its console.
    expect(clerk.locator("#console h1")).to_contain_text("1号窗口")
    clerk.click("#console .console-counter-actions .button-primary")
    expect(clerk.locator("#console .status-open")).to_be_visible()
    clerk.keyboard.press("n")
    expect(clerk.locator(".current-number")).to_have_text("A001")
    shot(clerk, "console")

    expect(board.locator(".board-latest-number")).to_have_text("A001")
    board.wait_for_function(IN_ANNOUNCER, arg=ANNOUNCEMENT)
    expect(phone.locator(".status-call")).to_contain_text("1")
    shot(phone, "status_called")

    clerk.keyboard.press("s")
    expect(clerk.locator("#console .current-head .status-serving")).to_be_visible()
    clerk.click("button[data-key='F']")
    expect(clerk.locator("button[data-key='N']")).to_be_visible()
    ticket = Ticket.objects.get(number="A001")
    assert ticket.status == TicketStatus.DONE
    expect(phone.locator(".rating-button")).to_have_count(5)
    shot(phone, "status_done")

    counter = Counter.objects.get(hall__code="demo", number=1)
    clerk.goto(f"{url}/pad/{counter.pk}/")
    shot(clerk, "rating_pad")
    clerk.click("button.rating-5")
    expect(clerk.locator(".pad-thanks")).to_be_visible()
    assert Rating.objects.get(ticket=ticket).score == 5


def test_the_board_speaks_a_burst_in_order_and_recovers_from_a_lost_server(live_server, new_page, shot):
    seed()
    hall = Hall.objects.get(code="demo")
    board = new_page(1920, 1080)
    board.add_init_script(FAKE_SPEECH)
    board.goto(f"{live_server.url}/board/demo/")

    counters = []
    for number in (1, 2, 6):
        counter = Counter.objects.get(hall=hall, number=number)
        services.counter_open(counter=counter, actor=User.objects.get(username=f"clerk{number}"))
        counters.append(counter)
    for _ in counters:
        services.ticket_issue(hall=hall, business_type=hall.business_types.get(code="A"))
    for counter in counters:
        services.ticket_call_next(counter=counter)

    board.wait_for_function("window.__speech.started.length === 3 && window.__speech.active === 0")
    assert board.evaluate("window.__speech.started") == [
        "请 A001 号到 1 号窗口",
        "请 A002 号到 2 号窗口",
        "请 A003 号到 6 号窗口",
    ]
    assert board.evaluate("window.__speech.most") == 1

    board.route("**/api/halls/*/board/", lambda route: route.abort())
    expect(board.locator("[data-reconnecting]")).to_be_visible()
    services.ticket_issue(hall=hall, business_type=hall.business_types.get(code="B"))
    expect(board.locator(".board-latest-number")).to_have_text("A003")
    shot(board, "board_reconnecting")
    board.unroute("**/api/halls/*/board/")
    expect(board.locator("[data-reconnecting]")).to_be_hidden()
    expect(board.locator("[data-waiting='B']")).to_have_text("1")
    assert board.evaluate("window.__speech.started.length") == 3
    shot(board, "board")


def test_the_staff_pages_look_right(live_server, new_page, shot):
    seed()
    hall = Hall.objects.get(code="demo")
    manager = User.objects.get(username="manager")
    notify(recipients=[manager], hall_id=hall.pk, kind="demo", subject="Ticket A003 was transferred to you")
    services.ticket_issue(hall=hall, business_type=hall.business_types.get(code="B"))
    counter = Counter.objects.get(hall=hall, number=2)
    services.counter_open(counter=counter, actor=User.objects.get(username="clerk2"))

    page = new_page(1440, 900)
    page.goto(f"{live_server.url}/login/")
    shot(page, "login")
    log_in(page, live_server.url, "manager")
    expect(page.locator("#floor-live")).to_be_visible()
    shot(page, "floor")
    page.goto(f"{live_server.url}/notifications/")
    shot(page, "notifications")
    page.click(".notification button")
    expect(page.locator(".notification .badge")).to_be_visible()
