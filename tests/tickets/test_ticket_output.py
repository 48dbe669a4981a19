"""Every ticket answer is ticket_output's dict; TicketOutput is its schema. The two must say the same."""

import pytest

from tests.factories import CounterFactory, issue
from tests.schema import api_schema
from tests.schema import type_errors as schema_type_errors
from tickets import services

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return api_schema()


# The schema says counter_number is never null, yet a ticket at no counter has always answered null. Marking it
# nullable changes the published schema, which is a decision of its own: until then this is the one known gap.
NULL_DESPITE_THE_SCHEMA = {"counter_number"}


def type_errors(schema: dict, answer: dict) -> list[str]:
    return schema_type_errors(schema, "TicketOutput", answer, null_anyway=NULL_DESPITE_THE_SCHEMA)


@pytest.fixture
def tickets_in_every_state(hall, types, counter, clerk):
    """Answers of the issue, call-next, action, detail and list endpoints, for the kiosk and for the clerk."""
    other = CounterFactory(hall=hall, number=2, serves=[types["A"]])
    for _n in range(3):
        issue(hall, types["A"])
    done = services.ticket_call_next(counter=counter, actor=clerk)
    services.ticket_start(ticket=done, actor=clerk)
    services.ticket_finish(ticket=done, actor=clerk)
    moved = services.ticket_call_next(counter=counter, actor=clerk)
    services.ticket_transfer(ticket=moved, actor=clerk, counter=other, clerk=clerk, note="")
    return hall


def test_every_ticket_answer_has_the_schemas_keys_and_types(schema, api, clerk_api, tickets_in_every_state, counter):
    hall = tickets_in_every_state
    body = {"hall": hall.pk, "business_type": "A", "phone": "13800138000"}
    answers = [api.post("/api/tickets/", body, format="json").json()]
    answers.append(clerk_api.post("/api/tickets/", {**body, "priority": "priority"}, format="json").json())
    called = clerk_api.post(f"/api/counters/{counter.pk}/call-next/").json()
    answers += [called, clerk_api.post(f"/api/tickets/{called['id']}/start/").json()]
    answers += clerk_api.get("/api/tickets/", {"hall": hall.pk}).json()["results"]
    answers += [clerk_api.get(f"/api/tickets/{answer['id']}/").json() for answer in answers[:2]]

    assert {answer["status"] for answer in answers} == {"waiting", "called", "serving", "done"}
    assert any(answer["target_clerk"] for answer in answers)
    assert any(answer["phone"] for answer in answers)
    assert [type_errors(schema, answer) for answer in answers] == [[] for _answer in answers]


def test_it_finds_a_value_of_the_wrong_type(schema, api, hall, types):
    answer = api.post("/api/tickets/", {"hall": hall.pk, "business_type": "A"}, format="json").json()

    assert type_errors(schema, {**answer, "position": "1"}) == ["position: '1' is not integer"]
    assert type_errors(schema, {**answer, "number": None}) == ["number: null where the schema has no null"]
    assert type_errors(schema, {**answer, "status": "lost"})[0].startswith("status: 'lost' is not one of")
    assert type_errors(schema, {**answer, "extra": 1}) == ["extra: not in the schema"]
