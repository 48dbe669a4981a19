import datetime as dt

import pytest

from hall.errors import CounterBusy, CounterNotOpen
from tests.factories import CounterFactory, issue
from tickets import services
from tickets.models import CounterStatus, Priority, Ticket, TicketCall, TicketStatus


def call(counter, actor=None):
    return services.ticket_call_next(counter=counter, actor=actor)


def finish(ticket, actor=None):
    services.ticket_start(ticket=ticket, actor=actor)
    return services.ticket_finish(ticket=ticket, actor=actor)


def test_it_calls_the_oldest_waiting_ticket_across_the_counters_types(hall, types, counter, clerk, clock):
    issue(hall, types["B"])
    clock.shift(60)
    issue(hall, types["A"])

    ticket = call(counter, clerk)

    ticket.refresh_from_db()
    assert ticket.number == "B001"
    assert ticket.status == TicketStatus.CALLED
    assert ticket.counter == counter
    assert ticket.served_by == clerk
    assert ticket.called_at == dt.datetime.now(tz=dt.UTC)


def test_it_calls_in_issue_order_within_a_type(hall, types, counter, clerk, clock):
    for _ in range(3):
        issue(hall, types["A"])
        clock.shift(30)
    called = []
    for _ in range(3):
        called.append(finish(call(counter, clerk)).number)
    assert called == ["A001", "A002", "A003"]


@pytest.fixture
def weighted_counter(hall, types, clerk):
    return CounterFactory(hall=hall, number=2, clerk=clerk, serves={types["A"]: 1, types["B"]: 3})


def test_a_weight_3_types_newer_head_beats_an_older_head_when_weight_times_wait_is_larger(
    hall, types, weighted_counter, clock
):
    issue(hall, types["A"])  # will have waited 10 minutes × 1
    clock.shift(dt.timedelta(minutes=6))
    issue(hall, types["B"])  # will have waited 4 minutes × 3
    clock.shift(dt.timedelta(minutes=4))

    assert call(weighted_counter).number == "B001"


def test_the_older_head_wins_when_its_weight_times_wait_is_still_larger(hall, types, weighted_counter, clock):
    issue(hall, types["A"])  # will have waited 10 minutes × 1
    clock.shift(dt.timedelta(minutes=8))
    issue(hall, types["B"])  # will have waited 2 minutes × 3
    clock.shift(dt.timedelta(minutes=2))

    assert call(weighted_counter).number == "A001"


def test_weights_belong_to_the_counter(hall, types, weighted_counter, clock):
    plain = CounterFactory(hall=hall, number=3, serves={types["A"]: 1, types["B"]: 1})
    issue(hall, types["A"])
    clock.shift(dt.timedelta(minutes=6))
    issue(hall, types["B"])
    clock.shift(dt.timedelta(minutes=4))

    assert call(plain).number == "A001"
    assert call(weighted_counter).number == "B001"


def test_a_counter_never_calls_a_type_it_does_not_serve(api_as, clerk, hall, types, counter):
    waiting = issue(hall, types["C"])

    response = api_as(clerk).post(f"/api/counters/{counter.pk}/call-next/")

    assert response.status_code == 204
    waiting.refresh_from_db()
    assert waiting.status == TicketStatus.WAITING
    assert waiting.counter is None
    assert not TicketCall.objects.exists()


def test_it_answers_204_when_nobody_waits(clerk_api, counter):
    response = clerk_api.post(f"/api/counters/{counter.pk}/call-next/")
    assert response.status_code == 204
    assert response.content == b""


def test_the_api_answers_the_called_ticket(clerk_api, hall, types, counter):
    issue(hall, types["A"])

    response = clerk_api.post(f"/api/counters/{counter.pk}/call-next/")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == "A001"
    assert body["status"] == "called"
    assert body["counter"] == counter.pk
    assert body["called_at"]
    assert {
        "id",
        "hall",
        "created_at",
        "number",
        "business_type",
        "priority",
        "status",
        "position",
        "predicted_wait_minutes",
        "counter",
        "issued_at",
        "called_at",
        "started_at",
        "finished_at",
        "recall_count",
    } <= body.keys()


@pytest.mark.parametrize("status", [CounterStatus.PAUSED, CounterStatus.CLOSED])
def test_it_refuses_to_call_at_a_counter_that_is_not_open(clerk_api, hall, types, counter, status):
    counter.status = status
    counter.save()
    waiting = issue(hall, types["A"])

    response = clerk_api.post(f"/api/counters/{counter.pk}/call-next/")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    waiting.refresh_from_db()
    assert waiting.status == TicketStatus.WAITING
    with pytest.raises(CounterNotOpen):
        call(counter)


def test_it_refuses_a_second_call_while_the_counter_has_a_called_ticket(clerk_api, hall, types, counter):
    first = issue(hall, types["A"])
    second = issue(hall, types["A"])
    assert clerk_api.post(f"/api/counters/{counter.pk}/call-next/").status_code == 200

    response = clerk_api.post(f"/api/counters/{counter.pk}/call-next/")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (TicketStatus.CALLED, TicketStatus.WAITING)
    assert TicketCall.objects.count() == 1


def test_it_refuses_a_call_while_the_counter_is_serving(hall, types, counter):
    issue(hall, types["A"])
    issue(hall, types["A"])
    services.ticket_start(ticket=call(counter))
    with pytest.raises(CounterBusy):
        call(counter)
    assert Ticket.objects.filter(status=TicketStatus.WAITING).count() == 1


def test_two_counters_never_get_the_same_ticket(hall, types, counter):
    other = CounterFactory(hall=hall, number=2, serves=[types["A"]])
    issue(hall, types["A"])
    issue(hall, types["A"])

    first, second = call(counter), call(other)

    assert first.pk != second.pk
    assert call(CounterFactory(hall=hall, number=3, serves=[types["A"]])) is None


def test_each_call_is_recorded_for_the_board(api, hall, types, counter, django_capture_on_commit_callbacks):
    issue(hall, types["A"])
    with django_capture_on_commit_callbacks(execute=True):
        call(counter)

    board = api.get(f"/api/halls/{hall.pk}/board/").json()

    assert [(c["number"], c["counter"]) for c in board["recent_calls"]] == [("A001", 1)]
    assert board["recent_calls"][0]["called_at"]
    assert board["waiting"]["A"] == 0


def test_the_boards_cached_answer_is_the_same_and_a_new_call_replaces_it(
    api, hall, types, counter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue(hall, types["A"])
        issue(hall, types["A"])
        called = call(counter)
    first = api.get(f"/api/halls/{hall.pk}/board/")
    again = api.get(f"/api/halls/{hall.pk}/board/")  # from the snapshot the first poll cached

    assert again.status_code == 200 and again["Content-Type"] == "application/json"
    assert again.json() == first.json()
    assert again.json()["waiting"]["A"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        finish(called)
        call(counter)
    after = api.get(f"/api/halls/{hall.pk}/board/").json()

    assert [c["number"] for c in after["recent_calls"]] == ["A002", "A001"]
    assert after["waiting"]["A"] == 0


# The anti-starvation rule (hall limit 2 by default)


def issue_in_turn(hall, business_type, clock, priorities):
    for priority in priorities:
        issue(hall, business_type, priority=priority)
        clock.shift(10)


def call_sequence(counter, n):
    return [finish(call(counter)).priority[0].upper() for _ in range(n)]


P, N = Priority.PRIORITY, Priority.NORMAL


def test_a_priority_ticket_goes_ahead_of_older_normal_ones(hall, types, counter, clock):
    issue_in_turn(hall, types["A"], clock, [N, N, P])
    assert call(counter).number == "A003"


def test_at_most_two_priority_calls_in_a_row_while_normal_ones_wait(hall, types, counter, clock):
    assert hall.priority_streak_limit == 2
    issue_in_turn(hall, types["A"], clock, [N, N, P, P, P, P, P])

    assert call_sequence(counter, 7) == ["P", "P", "N", "P", "P", "N", "P"]


def test_a_third_priority_call_happens_only_after_a_normal_one(hall, types, counter, clock):
    issue_in_turn(hall, types["A"], clock, [N, P, P, P])
    first_two = call_sequence(counter, 2)

    third = finish(call(counter))

    assert first_two == ["P", "P"]
    assert (third.number, third.priority) == ("A001", Priority.NORMAL)
    assert finish(call(counter)).priority == Priority.PRIORITY


def test_priority_calls_continue_when_no_normal_ticket_waits(hall, types, counter, clock):
    issue_in_turn(hall, types["A"], clock, [P, P, P, P])
    assert call_sequence(counter, 4) == ["P", "P", "P", "P"]


def test_normal_tickets_of_a_type_the_counter_does_not_serve_do_not_hold_priority_back(hall, types, counter, clock):
    issue_in_turn(hall, types["C"], clock, [N, N])
    issue_in_turn(hall, types["A"], clock, [P, P, P])
    assert call_sequence(counter, 3) == ["P", "P", "P"]


def test_the_limit_is_set_per_hall(hall, types, counter, clock):
    hall.priority_streak_limit = 1
    hall.save()
    issue_in_turn(hall, types["A"], clock, [N, N, P, P, P])
    assert call_sequence(counter, 5) == ["P", "N", "P", "N", "P"]


def test_the_rule_applies_across_the_counters_types(hall, types, counter, clock):
    issue_in_turn(hall, types["B"], clock, [N])
    issue_in_turn(hall, types["A"], clock, [P, P, P])
    calls = [finish(call(counter)).number for _ in range(4)]
    assert calls == ["A001", "A002", "B001", "A003"]
