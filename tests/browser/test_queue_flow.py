import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from hall.models import Hall, User
from hall.notifications import notify
from tests.browser.conftest import log_in, seed
from tickets import services
from tickets.models import Counter, Rating, Ticket, TicketStatus
from tickets.views import PRINT_RETURN_SECONDS

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
# The board retries a lost server with a growing pause of at most 15 s.
BOARD_BACK_MS = 20_000


def printed_page_widths_mm(page) -> list[int]:
    """The width of each page Chromium prints, read from the PDF's MediaBox entries."""
    pdf = page.pdf(prefer_css_page_size=True)
    return [round(float(box.split()[2]) * 25.4 / 72) for box in re.findall(rb"/MediaBox \[([^\]]*)\]", pdf)]


def test_a_visit_goes_from_the_kiosk_through_the_counter_to_a_rating(live_server, new_page, shot):
    seed()
    url = live_server.url

    board = new_page(1920, 1080)
    board.goto(f"{url}/board/demo/")
    expect(board.locator("[data-waiting='A']")).to_have_text("0")

    kiosk = new_page(1280, 900)
    kiosk.add_init_script(COUNT_PRINTS)
    # The printed ticket goes back to the kiosk after a few seconds; the kiosk's clock stands still until the
    # test has looked at the ticket, however slow the machine. It starts an hour back: a pause must lie ahead.
    now = dt.datetime.now()
    kiosk.clock.install(time=now - dt.timedelta(hours=1))
    kiosk.clock.pause_at(now)
    kiosk.goto(f"{url}/kiosk/demo/")
    shot(kiosk, "kiosk")
    kiosk.click("button.kiosk-type[value='A']")
    expect(kiosk.locator(".ticket-number")).to_have_text("A001")
    expect(kiosk.locator(".ticket-qr svg")).to_be_visible()
    kiosk.wait_for_function("() => window.__prints > 0")
    assert kiosk.evaluate("window.__prints") == 1
    status_url = kiosk.locator(".print-status-link").get_attribute("href")
    shot(kiosk, "print")
    assert printed_page_widths_mm(kiosk) == [80]
    kiosk.click("text=58 mm")
    expect(kiosk.locator("body.paper-58")).to_be_visible()
    kiosk.wait_for_function("() => window.__prints > 0")
    assert printed_page_widths_mm(kiosk) == [58]
    kiosk.clock.run_for(PRINT_RETURN_SECONDS * 1000)
    expect(kiosk).to_have_url(re.compile(r"/kiosk/demo/\?paper=58$"))
    expect(board.locator("[data-waiting='A']")).to_have_text("1")

    phone = new_page(390, 844)
    phone.goto(status_url)
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

    board.wait_for_function("() => window.__speech.started.length === 3 && window.__speech.active === 0")
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
    expect(board.locator("[data-reconnecting]")).to_be_hidden(timeout=BOARD_BACK_MS)
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
    # A hall manager lands on the reports; the floor is one click away in the menu.
    page.click(".topbar-links a[href='/floor/']")
    expect(page.locator("#floor-live")).to_be_visible()
    shot(page, "floor")
    page.goto(f"{live_server.url}/notifications/")
    shot(page, "notifications")
    page.click(".notification button")
    expect(page.locator(".notification .badge")).to_be_visible()


def test_the_console_keys_work_while_the_waiting_list_refreshes(live_server, new_page):
    seed()
    hall = Hall.objects.get(code="demo")
    counter = Counter.objects.get(hall=hall, number=1)
    services.counter_open(counter=counter, actor=User.objects.get(username="clerk1"))
    services.ticket_issue(hall=hall, business_type=hall.business_types.get(code="A"))
    clerk = new_page(1440, 900)
    log_in(clerk, live_server.url, "clerk1")
    expect(clerk.locator("#console .status-open")).to_be_visible()
    # The waiting list's next refresh gets no answer, so it is in flight when the key is pressed.
    held = []
    clerk.route("**/waiting/", lambda route: held.append(route))
    clerk.wait_for_function("() => document.querySelector('#console-waiting.htmx-request') !== null")

    clerk.keyboard.press("n")

    expect(clerk.locator(".current-number")).to_have_text("A001")
    assert Ticket.objects.get(number="A001").status == TicketStatus.CALLED
