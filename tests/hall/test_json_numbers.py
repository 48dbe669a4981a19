"""A number no field can take (too large for a float, a fraction, a boolean, past any id) answers 400 on every
endpoint that reads a number or an id from JSON, signed in or not, and changes nothing."""

import json

import pytest

from complaints.models import Complaint
from hall.models import Customer, DutyManagerDay, Notification, Role, SlaClock, TimelineEvent
from repairs.models import RepairOrder
from staff import services as staff_services
from staff.models import Chore, Duty, Handover, Leave, Shift
from tests.factories import UserFactory, accept_complaint, issue, person, register_repair, serve
from tickets.models import Rating, Ticket

MODELS = [Ticket, Rating, Complaint, RepairOrder, Customer, TimelineEvent, SlaClock, Notification]
MODELS += [Chore, Duty, Leave, Shift, Handover, DutyManagerDay]

# As written in the request's JSON: Python's json module cannot write 1e400.
BAD_NUMBERS = ["1e400", "-1e400", "1.5", '"1.5"', "true", str(2**64)]
X = "__number__"
DAY = "2026-03-03"


@pytest.fixture
def records(clock, hall, types, counter, clerk):
    manager = UserFactory(hall=hall, username="boss", roles=[Role.HALL_MANAGER, Role.DUTY_MANAGER])
    a, b = person(hall, "a"), person(hall, "b")
    issue(hall, types["A"])
    finished = serve(counter, clerk)
    chore = staff_services.chore_create(hall=hall, name="开门", a=a, b=b, schedule="daily 08:00", actor=manager)
    return {
        "manager": manager,
        "ticket": issue(hall, types["A"]),
        "finished": finished,
        "complaint": accept_complaint(hall, actor=clerk),
        "repair": register_repair(hall, actor=clerk),
        "chore": chore,
    }


def fingerprint():
    return [list(model.objects.order_by("pk").values()) for model in MODELS]


COMPLAINT = {"customer_name": "张三", "phone": "13800138000", "category": "billing", "description": "电费高"}
REPAIR = {
    "customer_name": "李四",
    "phone": "13800138001",
    "address": "北路1号",
    "fault": "outage",
    "description": "停电",
}
SHIFT = {"date": DAY, "start": "08:00", "end": "12:00"}
HANDOVER = {"shift_end": "2026-03-03T17:30:00+08:00"}

# (who, method, path, body): every POST that reads a number or an id; X is where the number goes, {name} a
# record's id (see send).
SIGNED_IN = [
    ("clerk", "post", "/api/tickets/", {"hall": X, "business_type": "A"}),
    ("clerk", "post", "/api/tickets/{ticket}/transfer/", {"counter": X}),
    ("clerk", "post", "/api/tickets/{ticket}/transfer/", {"clerk": X}),
    ("clerk", "post", "/api/complaints/", {"hall": X, "channel": "counter", **COMPLAINT}),
    ("clerk", "post", "/api/complaints/", {"hall": "{hall}", "channel": "counter", "group": X, **COMPLAINT}),
    ("clerk", "post", "/api/complaints/{complaint}/hand-over/", {"to": X, "reason": "换人"}),
    ("clerk", "post", "/api/complaints/{complaint}/follow-up/", {"satisfaction": X}),
    ("clerk", "post", "/api/repairs/", {"hall": X, "urgency": "2", **REPAIR}),
    ("clerk", "post", "/api/repairs/", {"hall": "{hall}", "urgency": X, **REPAIR}),
    ("clerk", "post", "/api/repairs/{repair}/dispatch/", {"worker": X}),
    ("clerk", "post", "/api/repairs/{repair}/callback/", {"satisfaction": X}),
    ("manager", "post", "/api/chores/", {"hall": X, "name": "巡检", "a": "{a}", "b": "{b}", "schedule": "closing"}),
    ("manager", "post", "/api/chores/", {"hall": "{hall}", "name": "巡检", "a": X, "b": "{b}", "schedule": "closing"}),
    ("manager", "post", "/api/chores/{chore}/assign/", {"a": "{b}", "b": X}),
    ("manager", "post", "/api/duties/generate/", {"hall": X, "date": DAY}),
    ("manager", "post", "/api/leaves/", {"staff": X, "start": DAY, "end": DAY}),
    ("manager", "post", "/api/shifts/", {"hall": X, "staff": "{a}", **SHIFT}),
    ("manager", "post", "/api/shifts/", {"staff": X, **SHIFT}),
    ("manager", "post", "/api/shifts/", {"staff": "{a}", "date": DAY, "template": X}),
    ("manager", "post", "/api/rosters/duty-manager/", {"hall": X, "date": DAY, "manager": "{manager}"}),
    ("manager", "post", "/api/rosters/duty-manager/", {"hall": "{hall}", "date": DAY, "manager": X}),
    ("manager", "post", "/api/rosters/duty-manager/clear/", {"hall": X, "date": DAY}),
    ("manager", "post", "/api/handovers/", {"hall": X, **HANDOVER}),
    ("manager", "post", "/api/handovers/", {"incoming": X, **HANDOVER}),
]
ANONYMOUS = [
    (None, "post", "/api/tickets/", {"hall": X, "business_type": "A"}),
    (None, "post", "/api/tickets/rate/{token}/", {"score": X}),
    (None, "post", "/api/complaints/", {"hall": X, "channel": "web", **COMPLAINT}),
]


def send(request_, records, hall, who, method, path, body, number):
    names = {
        "hall": hall.pk,
        "ticket": records["ticket"].pk,
        "token": records["finished"].token,
        "complaint": records["complaint"].pk,
        "repair": records["repair"].pk,
        "chore": records["chore"].pk,
        "a": records["chore"].a_id,
        "b": records["chore"].b_id,
        "manager": records["manager"].pk,
    }
    path = path.format(**names)
    body = {key: value.format(**names) if value.startswith("{") else value for key, value in body.items()}
    body = {key: int(value) if value.isdecimal() and key != "phone" else value for key, value in body.items()}
    client = request_.getfixturevalue("api")
    if who is not None:
        user = records["manager"] if who == "manager" else request_.getfixturevalue("clerk")
        client = request_.getfixturevalue("api_as")(user)
    text = json.dumps(body).replace(f'"{X}"', number)
    return getattr(client, method)(path, text, content_type="application/json")


@pytest.mark.parametrize("number", BAD_NUMBERS)
@pytest.mark.parametrize(("who", "method", "path", "body"), SIGNED_IN + ANONYMOUS)
def test_a_number_no_field_can_take_answers_400_and_changes_nothing(
    request, records, hall, who, method, path, body, number
):
    before = fingerprint()

    response = send(request, records, hall, who, method, path, body, number)

    assert response.status_code == 400, response.content
    errors = response.json()
    assert errors and all(isinstance(messages, list) for messages in errors.values()), errors
    assert fingerprint() == before


@pytest.mark.parametrize("hall_id", ["{pk}.0", '"{pk}.0"', '" {pk}"', '"{pk}e0"', "[{pk}]", "null", '"١"'])
def test_a_hall_id_is_a_whole_number_or_its_digits_and_nothing_else(api, hall, types, hall_id):
    body = '{"hall": ' + hall_id.format(pk=hall.pk) + ', "business_type": "A"}'

    response = api.post("/api/tickets/", body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert "hall" in response.json()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("hall_id", ["{pk}", '"{pk}"'])
def test_a_hall_id_as_a_number_or_a_string_of_digits_is_taken(api, hall, types, hall_id):
    body = '{"hall": ' + hall_id.format(pk=hall.pk) + ', "business_type": "A"}'

    response = api.post("/api/tickets/", body, content_type="application/json")

    assert response.status_code == 201, response.content
    assert Ticket.objects.get().hall == hall


def test_a_too_large_number_deep_in_the_body_answers_400(api_as, hall, records):
    body = '{"shift_end": "2026-03-03T17:30:00+08:00", "open_items": [{"kind": "note", "label": 1e400}]}'

    response = api_as(records["manager"]).post("/api/handovers/", body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["open_items"]
    assert not Handover.objects.exists()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/tickets/", '{"hall": {hall}.5, "business_type": "A"}', "hall"),
        ("/api/duties/generate/", '{"hall": {hall}.5, "date": "2026-03-03"}', "hall"),
        ("/api/leaves/", '{"staff": {a}.5, "start": "2026-03-03", "end": "2026-03-03"}', "staff"),
        ("/api/chores/", '{"hall": {hall}, "name": "巡检", "a": {a}.0, "b": {b}, "schedule": "closing"}', "a"),
    ],
)
def test_a_fraction_of_a_real_id_is_not_that_id(api_as, hall, records, path, body, field):
    chore = records["chore"]
    body = body.replace("{hall}", str(hall.pk)).replace("{a}", str(chore.a_id)).replace("{b}", str(chore.b_id))
    before = fingerprint()

    response = api_as(records["manager"]).post(path, body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert fingerprint() == before
