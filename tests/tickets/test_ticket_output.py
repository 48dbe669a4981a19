"""Every ticket answer is ticket_output's dict; TicketOutput is its schema. The two must say the same."""

import datetime as dt

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import CounterFactory, issue
from tickets import services

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(schema: dict, prop: dict) -> dict:
    """The property with its $ref (drf-spectacular writes enums as allOf: [$ref]) followed."""
    for ref in [prop.get("$ref"), *(part.get("$ref") for part in prop.get("allOf", []))]:
        if ref:
            return {**prop, **schema["components"]["schemas"][ref.rsplit("/", 1)[1]]}
    return prop


# The schema says counter_number is never null, yet a ticket at no counter has always answered null. Marking it
# nullable changes the published schema, which is a decision of its own: until then this is the one known gap.
NULL_DESPITE_THE_SCHEMA = {"counter_number"}


def type_errors(schema: dict, answer: dict) -> list[str]:
    component = schema["components"]["schemas"]["TicketOutput"]
    properties = component["properties"]
    errors = [f"{key}: not in the schema" for key in answer.keys() - properties.keys()]
    errors += [f"{key}: missing" for key in properties.keys() - answer.keys()]
    for key in properties.keys() & answer.keys():
        prop, value = resolve(schema, properties[key]), answer[key]
        if value is None:
            if not prop.get("nullable") and key not in NULL_DESPITE_THE_SCHEMA:
                errors.append(f"{key}: null where the schema has no null")
            continue
        if "enum" in prop and value not in prop["enum"]:
            errors.append(f"{key}: {value!r} is not one of {prop['enum']}")
        expected = {"integer": int, "string": str}[prop.get("type", "string")]
        if not isinstance(value, expected) or isinstance(value, bool):
            errors.append(f"{key}: {value!r} is not {prop.get('type')}")
        elif prop.get("format") == "date-time" and dt.datetime.fromisoformat(value).tzinfo is None:
            errors.append(f"{key}: {value!r} has no offset")
    return errors


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
