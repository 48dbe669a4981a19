import pytest
from django.urls import reverse

from hall.limits import NOTE_MAX
from hall.models import Notification, Role, TimelineEvent
from tests.factories import CounterFactory, UserFactory, issue
from tickets import services
from tickets.models import CounterStatus, TicketStatus

pytestmark = pytest.mark.django_db


def act(client, counter, action, **data):
    return client.post(reverse("counter-action", args=[counter.pk, action]), data, HTTP_HX_REQUEST="true")


@pytest.fixture
def console(client_as, clerk):
    return client_as(clerk)


@pytest.fixture
def called(hall, types, counter, clerk):
    issue(hall, types["A"])
    return services.ticket_call_next(counter=counter, actor=clerk)


def test_it_shows_the_console_to_a_clerk_of_the_hall(console, counter):
    response = console.get(reverse("counter-console", args=[counter.pk]))
    assert response.status_code == 200
    assert b'data-key="N"' in response.content


def test_it_shows_the_console_to_a_manager_of_the_hall(client_as, hall_manager, counter):
    assert client_as(hall_manager).get(reverse("counter-console", args=[counter.pk])).status_code == 200


def test_it_answers_a_clerk_of_another_hall_not_found(client_as, other_clerk, counter):
    assert client_as(other_clerk).get(reverse("counter-console", args=[counter.pk])).status_code == 404


def test_it_answers_actions_from_a_clerk_of_another_hall_not_found(client_as, other_clerk, counter, hall, types):
    ticket = issue(hall, types["A"])
    response = act(client_as(other_clerk), counter, "call-next")
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


def test_it_refuses_staff_without_a_counter_role(client_as, hall, counter):
    worker = UserFactory(hall=hall, username="worker", roles=[Role.REPAIR_WORKER])
    assert client_as(worker).get(reverse("counter-console", args=[counter.pk])).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client, counter):
    response = client.get(reverse("counter-console", args=[counter.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_opens_and_pauses_and_closes_the_counter(console, hall, clerk):
    counter = CounterFactory(hall=hall, number=7, status=CounterStatus.CLOSED)
    act(console, counter, "open")
    counter.refresh_from_db()
    assert (counter.status, counter.clerk) == (CounterStatus.OPEN, clerk)
    act(console, counter, "pause")
    counter.refresh_from_db()
    assert counter.status == CounterStatus.PAUSED
    act(console, counter, "close")
    counter.refresh_from_db()
    assert counter.status == CounterStatus.CLOSED


def test_it_calls_the_next_ticket(console, hall, types, counter):
    ticket = issue(hall, types["A"])
    response = act(console, counter, "call-next")
    assert response.status_code == 200
    assert b"A001" in response.content
    ticket.refresh_from_db()
    assert (ticket.status, ticket.counter) == (TicketStatus.CALLED, counter)


def test_it_says_nobody_is_waiting_when_the_queue_is_empty(console, counter):
    response = act(console, counter, "call-next")
    assert response.status_code == 200
    assert b"message-info" in response.content


def test_it_starts_recalls_and_finishes_the_current_ticket(console, counter, called):
    act(console, counter, "recall", ticket=called.pk)
    called.refresh_from_db()
    assert called.recall_count == 1
    act(console, counter, "start", ticket=called.pk)
    called.refresh_from_db()
    assert called.status == TicketStatus.SERVING
    response = act(console, counter, "finish", ticket=called.pk)
    called.refresh_from_db()
    assert called.status == TicketStatus.DONE
    assert b'data-key="N"' in response.content


def test_it_shows_the_current_tickets_history(console, counter, called):
    response = console.get(reverse("counter-console", args=[counter.pk]))
    assert response.content.count(b"<li><time>") == 2


def test_it_marks_a_no_show_and_reactivates_it(console, counter, called):
    response = act(console, counter, "no-show", ticket=called.pk)
    called.refresh_from_db()
    assert called.status == TicketStatus.NO_SHOW
    assert reverse("counter-action", args=[counter.pk, "reactivate"]).encode() in response.content
    act(console, counter, "reactivate", ticket=called.pk)
    called.refresh_from_db()
    assert (called.status, called.counter) == (TicketStatus.WAITING, None)


def test_it_cancels_the_called_ticket(console, counter, called):
    act(console, counter, "cancel", ticket=called.pk)
    called.refresh_from_db()
    assert called.status == TicketStatus.CANCELLED


def test_it_transfers_to_another_business_type(console, counter, called, types):
    act(console, counter, "transfer", ticket=called.pk, target="type:C")
    called.refresh_from_db()
    assert (called.status, called.business_type, called.number) == (TicketStatus.WAITING, types["C"], "A001")


def test_it_transfers_to_another_counter(console, hall, types, counter, called):
    other = CounterFactory(hall=hall, number=2, serves=[types["A"]])
    act(console, counter, "transfer", ticket=called.pk, target=f"counter:{other.pk}")
    called.refresh_from_db()
    assert called.target_counter == other


def test_it_transfers_to_a_clerk_who_is_told(console, hall, counter, called):
    colleague = UserFactory(hall=hall, username="clerk2", roles=[Role.CLERK])
    act(console, counter, "transfer", ticket=called.pk, target=f"clerk:{colleague.pk}")
    called.refresh_from_db()
    assert called.target_clerk == colleague
    assert Notification.objects.filter(recipient=colleague, kind="ticket_transferred").exists()


def test_it_refuses_to_transfer_to_a_clerk_of_another_hall(console, counter, called, other_clerk):
    response = act(console, counter, "transfer", ticket=called.pk, target=f"clerk:{other_clerk.pk}")
    assert b"message-error" in response.content
    called.refresh_from_db()
    assert called.status == TicketStatus.CALLED


def test_it_shows_a_domain_error_as_a_message(console, hall, types, counter):
    counter.status = CounterStatus.CLOSED
    counter.save()
    issue(hall, types["A"])
    response = act(console, counter, "call-next")
    assert response.status_code == 200
    assert b"message-error" in response.content
    assert not TimelineEvent.objects.filter(action="call").exists()


def test_it_shows_an_illegal_transition_as_a_message(console, counter, called):
    response = act(console, counter, "finish", ticket=called.pk)
    assert response.status_code == 200
    assert b"message-error" in response.content
    called.refresh_from_db()
    assert called.status == TicketStatus.CALLED


def test_it_refuses_to_act_on_a_ticket_of_another_counter(console, hall, types, counter, called):
    other = CounterFactory(hall=hall, number=2, serves=[types["A"]])
    issue(hall, types["A"])
    elsewhere = services.ticket_call_next(counter=other)
    response = act(console, counter, "start", ticket=elsewhere.pk)
    assert b"message-error" in response.content
    elsewhere.refresh_from_db()
    assert elsewhere.status == TicketStatus.CALLED


def test_it_answers_404_for_an_unknown_action(console, counter):
    assert act(console, counter, "explode").status_code == 404


def test_without_htmx_it_redirects_back_with_the_message(console, hall, types, counter):
    issue(hall, types["A"])
    response = console.post(reverse("counter-action", args=[counter.pk, "call-next"]), follow=True)
    assert response.redirect_chain[0][0] == reverse("counter-console", args=[counter.pk])
    assert b"message-info" in response.content


def test_the_waiting_box_counts_the_queue(console, hall, types, counter):
    issue(hall, types["B"])
    issue(hall, types["B"])
    response = console.get(reverse("counter-waiting", args=[counter.pk]))
    assert b"<strong>2</strong>" in response.content


# Only the clerk signed in at a counter works it


@pytest.fixture
def colleague(hall):
    return UserFactory(hall=hall, username="clerk2", roles=[Role.CLERK])


@pytest.mark.parametrize("action", ["call-next", "pause", "close"])
def test_it_refuses_another_clerk_working_an_open_counter(client_as, colleague, hall, types, counter, clerk, action):
    ticket = issue(hall, types["A"])

    response = act(client_as(colleague), counter, action)

    assert response.status_code == 200
    assert b"message-error" in response.content
    counter.refresh_from_db()
    assert (counter.status, counter.clerk) == (CounterStatus.OPEN, clerk)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


@pytest.mark.parametrize("action", ["start", "recall", "no-show", "cancel"])
def test_it_refuses_another_clerk_working_the_called_ticket(client_as, colleague, counter, called, action):
    response = act(client_as(colleague), counter, action, ticket=called.pk)

    assert b"message-error" in response.content
    called.refresh_from_db()
    assert (called.status, called.recall_count) == (TicketStatus.CALLED, 0)


def test_it_refuses_another_clerk_transferring_the_called_ticket(client_as, colleague, counter, called):
    response = act(client_as(colleague), counter, "transfer", ticket=called.pk, target="type:C")

    assert b"message-error" in response.content
    called.refresh_from_db()
    assert (called.status, called.business_type.code) == (TicketStatus.CALLED, "A")


def test_without_htmx_it_shows_the_refusal_after_the_redirect(client_as, colleague, hall, types, counter):
    issue(hall, types["A"])
    response = client_as(colleague).post(reverse("counter-action", args=[counter.pk, "call-next"]), follow=True)
    assert b"message-error" in response.content
    assert not TimelineEvent.objects.filter(action="call").exists()


def test_another_clerk_takes_over_a_counter_once_a_manager_closed_it(
    client_as, colleague, duty, hall, types, counter, clerk
):
    issue(hall, types["A"])

    act(client_as(duty), counter, "close")
    act(client_as(colleague), counter, "open")
    response = act(client_as(colleague), counter, "call-next")

    assert b"A001" in response.content
    counter.refresh_from_db()
    assert (counter.status, counter.clerk) == (CounterStatus.OPEN, colleague)
    events = TimelineEvent.objects.filter(action__startswith="counter_").order_by("at", "id")
    assert [(event.action, event.actor) for event in events] == [("counter_close", duty), ("counter_open", colleague)]
    called = TimelineEvent.objects.get(action="call")
    assert called.actor == colleague
    assert called.subject.served_by == colleague


# A transfer note past its limit is refused whole, never cut


def test_it_refuses_a_transfer_note_past_the_limit_and_changes_nothing(console, counter, called):
    response = act(console, counter, "transfer", ticket=called.pk, target="type:C", note="很" * (NOTE_MAX + 1))

    assert b"message-error" in response.content
    assert str(NOTE_MAX).encode() in response.content
    called.refresh_from_db()
    assert (called.status, called.business_type.code) == (TicketStatus.CALLED, "A")
    assert not TimelineEvent.objects.filter(action="transfer").exists()


def test_it_keeps_a_transfer_note_at_the_limit_whole(console, counter, called):
    note = "很" * NOTE_MAX

    act(console, counter, "transfer", ticket=called.pk, target="type:C", note=note)

    assert TimelineEvent.objects.get(action="transfer").note == note
