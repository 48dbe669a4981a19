"""Only the clerk signed in at a counter works it; another takes it over only once it is closed."""

import pytest

from hall.models import Role
from hall.timeline import timeline_for
from tests.factories import CounterFactory, issue, person
from tickets import services
from tickets.models import CounterStatus, Ticket, TicketCall, TicketStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_clerk(hall):
    return person(hall, "clerk2")


@pytest.fixture
def other_api(api_as, other_clerk):
    return api_as(other_clerk)


@pytest.fixture
def called(hall, types, counter, clerk):
    issue(hall, types["A"])
    return services.ticket_call_next(counter=counter, actor=clerk)


def assert_refused(response):
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    assert response.json()["detail"]


def test_another_clerk_may_not_call_next_at_an_open_counter(other_api, hall, types, counter):
    ticket = issue(hall, types["A"])

    assert_refused(other_api.post(f"/api/counters/{counter.pk}/call-next/"))

    ticket.refresh_from_db()
    assert (ticket.status, ticket.served_by) == (TicketStatus.WAITING, None)
    assert not TicketCall.objects.exists()


@pytest.mark.parametrize("action", ["pause", "close", "open"])
def test_another_clerk_may_not_pause_close_or_reopen_an_open_counter(other_api, counter, clerk, action):
    assert_refused(other_api.post(f"/api/counters/{counter.pk}/{action}/"))

    counter.refresh_from_db()
    assert (counter.status, counter.clerk) == (CounterStatus.OPEN, clerk)
    assert not timeline_for(counter).exists()


def test_another_clerk_may_not_resume_a_paused_counter(other_api, counter, clerk):
    services.counter_pause(counter=counter, actor=clerk)

    assert_refused(other_api.post(f"/api/counters/{counter.pk}/open/"))

    counter.refresh_from_db()
    assert (counter.status, counter.clerk) == (CounterStatus.PAUSED, clerk)


@pytest.mark.parametrize("action", ["recall", "start", "no-show", "cancel"])
def test_another_clerk_may_not_work_the_called_ticket(other_api, called, action):
    assert_refused(other_api.post(f"/api/tickets/{called.pk}/{action}/"))

    called.refresh_from_db()
    assert (called.status, called.recall_count) == (TicketStatus.CALLED, 0)
    assert [event.action for event in timeline_for(called)] == ["issue", "call"]


def test_another_clerk_may_not_finish_the_ticket_being_served(other_api, called, clerk):
    services.ticket_start(ticket=called, actor=clerk)

    assert_refused(other_api.post(f"/api/tickets/{called.pk}/finish/"))

    called.refresh_from_db()
    assert called.status == TicketStatus.SERVING


def test_another_clerk_may_not_transfer_the_called_ticket(other_api, called, counter):
    assert_refused(other_api.post(f"/api/tickets/{called.pk}/transfer/", {"business_type": "B"}, format="json"))

    called.refresh_from_db()
    assert (called.status, called.counter, called.business_type.code) == (TicketStatus.CALLED, counter, "A")


def test_another_clerk_may_still_transfer_a_waiting_ticket(other_api, hall, types, counter):
    ticket = issue(hall, types["A"])

    response = other_api.post(f"/api/tickets/{ticket.pk}/transfer/", {"business_type": "B"}, format="json")

    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    assert ticket.business_type == types["B"]


def test_another_clerk_may_put_a_no_show_back_in_the_queue(other_api, called, clerk):
    services.ticket_no_show(ticket=called, actor=clerk)

    assert other_api.post(f"/api/tickets/{called.pk}/reactivate/").status_code == 200

    called.refresh_from_db()
    assert called.status == TicketStatus.WAITING


def test_the_clerk_signed_in_works_the_counter_and_is_named_as_serving(clerk_api, hall, types, counter, clerk):
    ticket = issue(hall, types["A"])

    assert clerk_api.post(f"/api/counters/{counter.pk}/call-next/").json()["served_by"] == clerk.pk
    for action in ("start", "finish"):
        assert clerk_api.post(f"/api/tickets/{ticket.pk}/{action}/").status_code == 200

    ticket.refresh_from_db()
    assert (ticket.status, ticket.served_by) == (TicketStatus.DONE, clerk)
    assert {event.actor for event in timeline_for(ticket) if event.action != "issue"} == {clerk}


def test_another_clerk_takes_over_a_closed_counter_by_opening_it(other_api, hall, types, counter, clerk, other_clerk):
    services.counter_close(counter=counter, actor=clerk)
    ticket = issue(hall, types["A"])

    response = other_api.post(f"/api/counters/{counter.pk}/open/")

    assert response.status_code == 200, response.content
    assert response.json()["clerk"] == other_clerk.pk
    assert other_api.post(f"/api/counters/{counter.pk}/call-next/").json()["served_by"] == other_clerk.pk
    ticket.refresh_from_db()
    assert (ticket.counter, ticket.served_by) == (counter, other_clerk)
    opened = timeline_for(counter).get(action="counter_open")
    assert opened.actor == other_clerk


def test_the_clerk_who_left_may_no_longer_work_the_counter(api_as, other_api, hall, types, counter, clerk):
    services.counter_close(counter=counter, actor=clerk)
    other_api.post(f"/api/counters/{counter.pk}/open/")
    issue(hall, types["A"])

    assert_refused(api_as(clerk).post(f"/api/counters/{counter.pk}/call-next/"))

    assert not Ticket.objects.filter(status=TicketStatus.CALLED).exists()


@pytest.mark.parametrize("role", [Role.DUTY_MANAGER, Role.HALL_MANAGER])
def test_a_manager_closes_a_clerks_counter_for_them_and_the_timeline_names_both(
    api_as, other_api, hall, counter, clerk, other_clerk, role
):
    boss = person(hall, "boss", role)

    response = api_as(boss).post(f"/api/counters/{counter.pk}/close/")

    assert response.status_code == 200, response.content
    counter.refresh_from_db()
    assert (counter.status, counter.clerk) == (CounterStatus.CLOSED, None)
    closed = timeline_for(counter).get(action="counter_close")
    assert (closed.actor, closed.data) == (boss, {"clerk": clerk.pk})
    assert other_api.post(f"/api/counters/{counter.pk}/open/").json()["clerk"] == other_clerk.pk


def test_a_manager_may_not_close_a_counter_with_a_customer_at_it(api_as, duty, counter, called):
    response = api_as(duty).post(f"/api/counters/{counter.pk}/close/")

    assert response.status_code == 409
    counter.refresh_from_db()
    assert counter.status == CounterStatus.OPEN


@pytest.mark.parametrize("path", ["call-next", "pause"])
def test_a_manager_works_no_clerks_counter_but_may_close_it(api_as, duty, hall, types, counter, path):
    issue(hall, types["A"])

    assert_refused(api_as(duty).post(f"/api/counters/{counter.pk}/{path}/"))

    counter.refresh_from_db()
    assert counter.status == CounterStatus.OPEN
    assert not TicketCall.objects.exists()


def test_a_manager_may_not_work_a_clerks_called_ticket(api_as, manager, called):
    assert_refused(api_as(manager).post(f"/api/tickets/{called.pk}/start/"))

    called.refresh_from_db()
    assert called.status == TicketStatus.CALLED


def test_a_counter_nobody_is_signed_in_at_may_be_worked_and_names_who_called(clerk_api, hall, types, clerk):
    free = CounterFactory(hall=hall, number=9, serves=[types["A"]])
    issue(hall, types["A"])

    assert clerk_api.post(f"/api/counters/{free.pk}/call-next/").json()["served_by"] == clerk.pk


def test_a_task_calls_for_the_clerk_signed_in(hall, types, counter, clerk):
    issue(hall, types["A"])

    ticket = services.ticket_call_next(counter=counter)

    assert ticket.served_by == clerk
