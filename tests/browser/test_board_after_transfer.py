import pytest
from playwright.sync_api import expect

from hall.models import Hall
from tests.browser.conftest import log_in, seed
from tests.browser.test_queue_flow import FAKE_SPEECH
from tickets import services
from tickets.models import Ticket, TicketStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def board_numbers(board) -> list[str]:
    """Every number the board's calls show, the "now calling" panel first."""
    return board.locator(".board-latest-number, [data-calls] td:first-child").evaluate_all(
        "cells => cells.map(cell => cell.firstChild.textContent.trim())"
    )


def test_the_board_shows_a_recall_once_and_drops_a_transferred_ticket(live_server, new_page, shot):
    seed()
    hall = Hall.objects.get(code="demo")
    for _ in range(2):
        services.ticket_issue(hall=hall, business_type=hall.business_types.get(code="A"))
    board = new_page(1920, 1080)
    board.add_init_script(FAKE_SPEECH)
    board.goto(f"{live_server.url}/board/demo/")

    clerk = new_page(1440, 900)
    log_in(clerk, live_server.url, "clerk1")
    clerk.click("#console .console-counter-actions .button-primary")
    expect(clerk.locator("#console .status-open")).to_be_visible()
    clerk.keyboard.press("n")
    expect(clerk.locator(".current-number")).to_have_text("A001")
    clerk.keyboard.press("s")
    expect(clerk.locator("#console .current-head .status-serving")).to_be_visible()
    clerk.keyboard.press("f")
    expect(clerk.locator("button[data-key='N']")).to_be_visible()
    expect(clerk.locator("[data-my-day='served']")).to_have_text("1")
    shot(clerk, "console_my_day")
    clerk.keyboard.press("n")
    expect(clerk.locator(".current-number")).to_have_text("A002")
    # The board has shown the call before the recall: it announces each call it sees, and a recall it sees.
    expect(board.locator(".board-latest-number")).to_have_text("A002")
    expect(board.locator("[data-latest] .board-recall")).to_have_count(0)
    clerk.keyboard.press("r")
    expect(clerk.locator(".current-head .badge")).to_be_visible()

    expect(board.locator("[data-latest] .board-recall")).to_have_text("再次呼叫")
    expect(board.locator(".board-latest-number")).to_have_text("A002")
    assert board_numbers(board) == ["A002", "A001"]
    board.wait_for_function("window.__speech.started.length === 3")
    # The recall is spoken again, though the board lists the number once.
    assert board.evaluate("window.__speech.started") == [
        "请 A001 号到 1 号窗口",
        "请 A002 号到 1 号窗口",
        "请 A002 号到 1 号窗口",
    ]
    shot(board, "board_recall")

    clerk.select_option("#transfer-target", "type:B")
    clerk.click("button[data-key='T']")
    expect(clerk.locator("#console .console-idle")).to_be_visible()
    assert Ticket.objects.get(number="A002").status == TicketStatus.WAITING

    expect(board.locator("[data-latest]")).to_have_text("欢迎光临")
    expect(board.locator("[data-calls] tr")).to_have_count(1)
    assert board_numbers(board) == ["A001"]
    expect(board.locator(".board-calls")).not_to_contain_text("A002")
    expect(board.locator("[data-waiting='B']")).to_have_text("1")
    shot(board, "board_after_transfer")
