import pytest

from tests.factories import CounterFactory, issue
from tickets import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(api, hall, django_capture_on_commit_callbacks):
    """board(act) runs act with its commits' callbacks, then answers the board as a display polls it."""

    def read(act=None):
        with django_capture_on_commit_callbacks(execute=True):
            if act:
                act()
        return [
            (c["number"], c["counter"], c["recall"])
            for c in api.get(f"/api/halls/{hall.pk}/board/").json()["recent_calls"]
        ]

    return read


@pytest.fixture
def called(hall, types, counter, board):
    issue(hall, types["A"])
    called = []
    assert board(lambda: called.append(services.ticket_call_next(counter=counter))) == [("A001", 1, False)]
    return called[0]


def test_a_recall_shows_the_number_once_as_recalled(board, called):
    assert board(lambda: services.ticket_recall(ticket=called)) == [("A001", 1, True)]


def test_a_transferred_ticket_leaves_the_board(board, called, types):
    assert board(lambda: services.ticket_transfer(ticket=called, business_type=types["B"])) == []


def test_a_ticket_transferred_after_a_recall_leaves_the_board(board, called, types):
    services.ticket_recall(ticket=called)
    assert board(lambda: services.ticket_transfer(ticket=called, business_type=types["B"])) == []


def test_a_transferred_ticket_called_at_another_counter_shows_there_once(board, called, hall, types):
    other = CounterFactory(hall=hall, number=2, serves=[types["B"]])
    services.ticket_transfer(ticket=called, business_type=types["B"])
    assert board(lambda: services.ticket_call_next(counter=other)) == [("A001", 2, False)]


def test_the_earlier_calls_stay_below_the_current_one(board, called, hall, types, counter):
    services.ticket_start(ticket=called)
    services.ticket_finish(ticket=called)
    issue(hall, types["A"])
    assert board(lambda: services.ticket_call_next(counter=counter)) == [("A002", 1, False), ("A001", 1, False)]


def test_a_reactivated_no_show_leaves_the_board_until_it_is_called_again(board, called, counter):
    assert board(lambda: services.ticket_no_show(ticket=called)) == [("A001", 1, False)]
    assert board(lambda: services.ticket_reactivate(ticket=called)) == []
    assert board(lambda: services.ticket_call_next(counter=counter)) == [("A001", 1, False)]


def test_the_now_calling_panel_is_the_last_call(api, hall, board, called):
    snapshot = api.get(f"/api/halls/{hall.pk}/board/").json()

    assert snapshot["now_calling"] == snapshot["recent_calls"][0]["id"]


def test_no_older_call_takes_the_panel_of_a_transferred_ticket(api, hall, types, counter, board, called):
    services.ticket_start(ticket=called)
    services.ticket_finish(ticket=called)
    issue(hall, types["A"])
    second = services.ticket_call_next(counter=counter)

    assert board(lambda: services.ticket_transfer(ticket=second, business_type=types["B"])) == [("A001", 1, False)]
    assert api.get(f"/api/halls/{hall.pk}/board/").json()["now_calling"] is None


def test_the_board_answers_what_its_schema_says(api, hall, types, counter, board, called):
    from tests.schema import api_schema, type_errors

    services.ticket_recall(ticket=called)
    snapshot = api.get(f"/api/halls/{hall.pk}/board/").json()
    schema = api_schema()

    assert type_errors(schema, "BoardOutput", snapshot) == []
    assert snapshot["recent_calls"]
    for call in snapshot["recent_calls"]:
        assert type_errors(schema, "BoardCallOutput", call) == []
