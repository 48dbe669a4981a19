import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from hall.limits import NOTE_MAX
from hall.models import DutyManagerDay, Role
from staff import handover_services, roster_services, services
from staff.models import CalendarFeed, Chore, DutyStatus, Handover, Leave, LeaveStatus, Shift
from tests.asserts import assert_field_errors
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 3)


@pytest.fixture
def people(people, clerk):
    return {**people, "clerk": clerk}


@pytest.fixture
def duty(clock, hall, chore):
    [duty] = services.duties_generate(hall=hall, date=DAY)
    return duty


@pytest.fixture
def leave(clock, people):
    return roster_services.leave_request(staff=people["a"], start=DAY, end=DAY, actor=people["a"])


@pytest.fixture
def shift(clock, hall, people):
    return roster_services.shift_create(hall=hall, staff=people["a"], date=DAY, start=dt.time(8), end=dt.time(12))


@pytest.fixture
def handover(clock, hall, people):
    return handover_services.handover_create(
        hall=hall, author=people["a"], shift_end=timezone.now(), incoming=people["b"]
    )


def chore_body(hall, people, **fields):
    return {"hall": hall.pk, "name": "巡检", "a": people["a"].pk, "b": people["b"].pk, "schedule": "closing", **fields}


# Overlapping shifts


def test_the_database_itself_refuses_an_overlapping_shift(hall, people, shift):
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.create(
            hall=hall,
            staff=people["a"],
            date=DAY,
            start=shift.start + dt.timedelta(hours=3),
            end=shift.end + dt.timedelta(hours=3),
        )


def test_an_overlapping_shift_answers_400_and_creates_nothing(api_as, people, shift):
    body = {"staff": people["a"].pk, "date": f"{DAY}", "start": "11:00", "end": "17:00"}

    response = api_as(people["duty"]).post("/api/shifts/", body)

    assert response.status_code == 400
    assert response.data["non_field_errors"]
    assert list(Shift.objects.values_list("pk", flat=True)) == [shift.pk]


def test_a_shift_that_ends_as_it_starts_answers_400(clock, api_as, people):
    body = {"staff": people["a"].pk, "date": f"{DAY}", "start": "08:00", "end": "08:00"}

    response = api_as(people["duty"]).post("/api/shifts/", body)

    assert (response.status_code, list(response.data)) == (400, ["end"])


def test_a_shift_needs_times_or_a_template(clock, api_as, people):
    response = api_as(people["duty"]).post("/api/shifts/", {"staff": people["a"].pk, "date": f"{DAY}"})

    assert (response.status_code, list(response.data)) == (400, ["start"])


def test_rostering_someone_of_another_hall_answers_400(clock, api_as, people, north_clerk):
    body = {"staff": north_clerk.pk, "date": f"{DAY}", "start": "08:00", "end": "17:00"}

    response = api_as(people["duty"]).post("/api/shifts/", body)

    assert (response.status_code, list(response.data)) == (400, ["staff"])
    assert not Shift.objects.exists()


# Roles


def test_a_clerk_may_not_create_a_chore(api_as, hall, people):
    response = api_as(people["clerk"]).post("/api/chores/", chore_body(hall, people))

    assert response.status_code == 403
    assert not Chore.objects.exists()


def test_a_duty_manager_may_not_assign_a_and_b(api_as, people, chore):
    response = api_as(people["duty"]).post(
        f"/api/chores/{chore.pk}/assign/", {"a": people["b"].pk, "b": people["a"].pk}
    )

    assert response.status_code == 403
    chore.refresh_from_db()
    assert (chore.a, chore.b) == (people["a"], people["b"])


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_a_clerk_may_not_decide_on_leave(api_as, people, leave, action):
    response = api_as(people["clerk"]).post(f"/api/leaves/{leave.pk}/{action}/")

    assert response.status_code == 403
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REQUESTED


def test_a_clerk_may_not_request_leave_for_someone_else(clock, api_as, people):
    body = {"staff": people["a"].pk, "start": f"{DAY}", "end": f"{DAY}"}

    response = api_as(people["clerk"]).post("/api/leaves/", body)

    assert response.status_code == 403
    assert not Leave.objects.exists()


@pytest.mark.parametrize("who", ["manager", "clerk"])
def test_only_the_person_on_leave_cancels_it(api_as, people, leave, who):
    response = api_as(people[who]).post(f"/api/leaves/{leave.pk}/cancel/")

    assert response.status_code == 403
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REQUESTED


def test_a_clerk_may_not_read_someone_elses_leave(api_as, people, leave):
    assert api_as(people["clerk"]).get(f"/api/leaves/{leave.pk}/").status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/shifts/"),
        ("post", "/api/duties/generate/"),
        ("post", "/api/rosters/duty-manager/"),
    ],
)
def test_a_clerk_may_not_roster_generate_or_name_the_duty_manager(clock, api_as, hall, people, method, path):
    body = {"hall": hall.pk, "staff": people["a"].pk, "date": f"{DAY}", "start": "08:00", "end": "17:00"}

    response = getattr(api_as(people["clerk"]), method)(path, body | {"manager": people["duty"].pk})

    assert response.status_code == 403


def test_a_duty_manager_may_not_clear_the_duty_manager_of_a_day(clock, api_as, hall, people):
    DutyManagerDay.objects.create(hall=hall, date=DAY, manager=people["duty"])

    response = api_as(people["duty"]).post("/api/rosters/duty-manager/clear/", {"hall": hall.pk, "date": f"{DAY}"})

    assert response.status_code == 403
    assert DutyManagerDay.objects.filter(hall=hall, date=DAY).exists()


@pytest.mark.parametrize("who", ["clerk", "duty"])
def test_only_the_person_or_the_hall_manager_gives_a_calendar_a_new_address(api_as, people, who):
    old = CalendarFeed.objects.create(user=people["a"]).token

    response = api_as(people[who]).post(f"/api/staff/{people['a'].pk}/calendar-feed/rotate/")

    assert response.status_code == 403
    assert CalendarFeed.objects.get(user=people["a"]).token == old


def test_a_clerk_may_not_delete_a_shift(api_as, people, shift):
    assert api_as(people["clerk"]).delete(f"/api/shifts/{shift.pk}/").status_code == 403
    assert Shift.objects.filter(pk=shift.pk).exists()


def test_marking_done_by_someone_neither_responsible_nor_a_manager_answers_403(api_as, people, duty):
    response = api_as(people["b"]).post(f"/api/duties/{duty.pk}/done/")

    assert response.status_code == 403
    duty.refresh_from_db()
    assert duty.status == DutyStatus.OPEN


def test_only_the_incoming_person_or_a_manager_acknowledges_a_handover(api_as, people, handover):
    assert api_as(people["clerk"]).post(f"/api/handovers/{handover.pk}/acknowledge/").status_code == 403


# Another hall


@pytest.mark.parametrize(
    "path",
    [
        "/api/chores/?hall={hall}",
        "/api/duties/?hall={hall}",
        "/api/leaves/?hall={hall}",
        "/api/shifts/?hall={hall}",
        "/api/shift-templates/?hall={hall}",
        "/api/rosters/?hall={hall}",
        "/api/handovers/?hall={hall}",
    ],
)
def test_a_clerk_of_another_hall_may_not_list_this_halls_records(api_as, hall, north_clerk, path):
    assert api_as(north_clerk).get(path.format(hall=hall.pk)).status_code == 404


def test_lists_leave_out_another_halls_records(api_as, hall, people, north_clerk, chore, duty, leave, shift, handover):
    client = api_as(north_clerk)

    for path in ("/api/chores/", f"/api/duties/?date={DAY}", "/api/leaves/", "/api/shifts/", "/api/handovers/"):
        assert client.get(path).data["count"] == 0, path


@pytest.mark.parametrize(
    ("record", "method", "path"),
    [
        ("chore", "get", "/api/chores/{pk}/"),
        ("chore", "get", "/api/chores/{pk}/timeline/"),
        ("duty", "get", "/api/duties/{pk}/"),
        ("duty", "post", "/api/duties/{pk}/done/"),
        ("leave", "get", "/api/leaves/{pk}/"),
        ("leave", "post", "/api/leaves/{pk}/cancel/"),
        ("shift", "get", "/api/shifts/{pk}/"),
        ("handover", "get", "/api/handovers/{pk}/"),
        ("handover", "post", "/api/handovers/{pk}/acknowledge/"),
    ],
)
def test_a_clerk_of_another_hall_gets_404_for_this_halls_record(request, api_as, north_clerk, record, method, path):
    subject = request.getfixturevalue(record)

    response = getattr(api_as(north_clerk), method)(path.format(pk=subject.pk))

    assert response.status_code == 404


@pytest.fixture
def north_manager(north):
    return UserFactory(hall=north, roles=[Role.HALL_MANAGER, Role.DUTY_MANAGER])


def test_a_manager_of_another_hall_may_not_assign_a_and_b(api_as, people, chore, north_manager):
    response = api_as(north_manager).post(f"/api/chores/{chore.pk}/assign/", {"a": people["b"].pk, "b": people["a"].pk})

    assert response.status_code == 404
    chore.refresh_from_db()
    assert chore.a == people["a"]


def test_a_manager_of_another_hall_may_not_approve_a_leave(api_as, leave, north_manager):
    assert api_as(north_manager).post(f"/api/leaves/{leave.pk}/approve/").status_code == 404
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REQUESTED


def test_a_manager_of_another_hall_may_not_delete_a_shift(api_as, shift, north_manager):
    assert api_as(north_manager).delete(f"/api/shifts/{shift.pk}/").status_code == 404
    assert Shift.objects.filter(pk=shift.pk).exists()


def test_a_manager_of_another_hall_may_not_mark_a_duty_done(api_as, duty, north_manager):
    assert api_as(north_manager).post(f"/api/duties/{duty.pk}/done/").status_code == 404
    duty.refresh_from_db()
    assert duty.status == DutyStatus.OPEN


def test_a_manager_of_another_hall_may_not_clear_this_halls_duty_manager(clock, api_as, hall, people, north_manager):
    DutyManagerDay.objects.create(hall=hall, date=DAY, manager=people["duty"])

    response = api_as(north_manager).post("/api/rosters/duty-manager/clear/", {"hall": hall.pk, "date": f"{DAY}"})

    assert response.status_code == 404
    assert DutyManagerDay.objects.filter(hall=hall, date=DAY).exists()


def test_a_manager_of_another_hall_may_not_give_a_calendar_a_new_address(api_as, people, north_manager):
    old = CalendarFeed.objects.create(user=people["a"]).token

    response = api_as(north_manager).post(f"/api/staff/{people['a'].pk}/calendar-feed/rotate/")

    assert response.status_code == 404
    assert CalendarFeed.objects.get(user=people["a"]).token == old


def test_creating_a_chore_in_another_hall_answers_404(api_as, north, people):
    north_a = UserFactory(hall=north)
    body = {"hall": north.pk, "name": "巡检", "a": north_a.pk, "b": north_a.pk, "schedule": "closing"}

    response = api_as(people["manager"]).post("/api/chores/", body)

    assert response.status_code == 404
    assert not Chore.objects.exists()


def test_generating_another_halls_duties_answers_404(clock, api_as, people, north):
    response = api_as(people["duty"]).post("/api/duties/generate/", {"hall": north.pk, "date": f"{DAY}"})

    assert response.status_code == 404


# Unknown, bad input, illegal transitions


@pytest.mark.parametrize(
    "path", ["/api/chores/999999/", "/api/duties/999999/", "/api/leaves/999999/", "/api/handovers/999999/"]
)
def test_an_unknown_record_answers_404(api_as, people, path):
    assert api_as(people["clerk"]).get(path).status_code == 404


def test_a_second_done_answers_409_invalid_transition(api_as, people, duty):
    api_as(people["a"]).post(f"/api/duties/{duty.pk}/done/")

    response = api_as(people["a"]).post(f"/api/duties/{duty.pk}/done/")

    assert response.status_code == 409
    assert response.data["code"] == "invalid_transition"


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_deciding_a_decided_leave_answers_409(api_as, people, leave, action):
    roster_services.leave_reject(leave=leave, actor=people["manager"])

    response = api_as(people["manager"]).post(f"/api/leaves/{leave.pk}/{action}/")

    assert (response.status_code, response.data["code"]) == (409, "invalid_transition")


def test_cancelling_a_leave_that_is_over_answers_409(clock, api_as, people, leave):
    roster_services.leave_approve(leave=leave, actor=people["manager"])
    clock.shift(dt.timedelta(days=2))

    response = api_as(people["a"]).post(f"/api/leaves/{leave.pk}/cancel/")

    assert (response.status_code, response.data["code"]) == (409, "invalid_transition")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


def test_cancelling_a_rejected_leave_answers_409(api_as, people, leave):
    roster_services.leave_reject(leave=leave, actor=people["manager"])

    response = api_as(people["a"]).post(f"/api/leaves/{leave.pk}/cancel/")

    assert (response.status_code, response.data["code"]) == (409, "invalid_transition")


def test_acknowledging_twice_answers_409(api_as, people, handover):
    api_as(people["b"]).post(f"/api/handovers/{handover.pk}/acknowledge/")

    assert api_as(people["b"]).post(f"/api/handovers/{handover.pk}/acknowledge/").status_code == 409


def test_clearing_a_day_nobody_is_named_on_answers_409(clock, api_as, hall, people):
    response = api_as(people["manager"]).post("/api/rosters/duty-manager/clear/", {"hall": hall.pk, "date": f"{DAY}"})

    assert (response.status_code, response.data["code"]) == (409, "invalid_transition")


@pytest.mark.parametrize(
    ("hall_id", "date"), [(None, "2026-03-03"), ("x", "2026-03-03"), ("own", "03/03"), ("own", "")]
)
def test_clearing_the_duty_manager_without_a_hall_and_day_answers_400(clock, api_as, hall, people, hall_id, date):
    DutyManagerDay.objects.create(hall=hall, date=DAY, manager=people["duty"])
    body = {"date": date} if hall_id is None else {"hall": hall.pk if hall_id == "own" else hall_id, "date": date}

    response = api_as(people["manager"]).post("/api/rosters/duty-manager/clear/", body)

    assert response.status_code == 400
    assert DutyManagerDay.objects.filter(hall=hall, date=DAY).exists()


def test_a_new_calendar_address_for_someone_unknown_answers_404(api_as, people):
    assert api_as(people["manager"]).post("/api/staff/999999/calendar-feed/rotate/").status_code == 404


def test_a_new_calendar_address_for_someone_who_has_left_answers_409(api_as, people):
    people["a"].is_active = False
    people["a"].save(update_fields=["is_active"])

    response = api_as(people["manager"]).post(f"/api/staff/{people['a'].pk}/calendar-feed/rotate/")

    assert (response.status_code, response.data["code"]) == (409, "invalid_transition")
    assert not CalendarFeed.objects.exists()


def test_a_new_calendar_address_for_an_account_of_no_hall_answers_404(api_as, db):
    admin = UserFactory(hall=None, roles=[], is_superuser=True)

    response = api_as(admin).post(f"/api/staff/{admin.pk}/calendar-feed/rotate/")

    assert response.status_code == 404
    assert not CalendarFeed.objects.exists()


def test_a_leave_ending_before_it_starts_answers_400(clock, api_as, people):
    response = api_as(people["a"]).post("/api/leaves/", {"start": f"{DAY}", "end": f"{DAY - dt.timedelta(days=1)}"})

    assert (response.status_code, list(response.data)) == (400, ["end"])
    assert not Leave.objects.exists()


@pytest.mark.parametrize(
    "schedule", ["hourly", "daily 8am", "daily 25:00", "weekly XYZ 09:00", "workdays", "workday 10:00", ""]
)
def test_a_malformed_schedule_answers_400(api_as, hall, people, schedule):
    response = api_as(people["manager"]).post("/api/chores/", chore_body(hall, people, schedule=schedule))

    assert (response.status_code, list(response.data)) == (400, ["schedule"])


def test_the_schedule_refusal_lists_every_kind_of_schedule(api_as, hall, people):
    response = api_as(people["manager"]).post("/api/chores/", chore_body(hall, people, schedule="weekdays 10:00"))

    [message] = response.data["schedule"]
    for kind in ("daily HH:MM", "workdays HH:MM", "weekly MON HH:MM", "closing", "monthly HH:MM"):
        assert kind in message


def test_a_second_chore_of_the_same_name_answers_400(api_as, hall, people, chore):
    response = api_as(people["manager"]).post("/api/chores/", chore_body(hall, people, name=chore.name))

    assert (response.status_code, list(response.data)) == (400, ["name"])


def test_a_chores_a_must_be_a_member_of_the_hall(api_as, hall, people, north_clerk):
    response = api_as(people["manager"]).post("/api/chores/", chore_body(hall, people, a=north_clerk.pk))

    assert (response.status_code, list(response.data)) == (400, ["a"])


def test_a_chores_b_must_be_active(api_as, hall, people):
    people["b"].is_active = False
    people["b"].save(update_fields=["is_active"])

    response = api_as(people["manager"]).post("/api/chores/", chore_body(hall, people))

    assert (response.status_code, list(response.data)) == (400, ["b"])


def test_assigning_someone_of_another_hall_answers_400(api_as, people, chore, north_clerk):
    response = api_as(people["manager"]).post(f"/api/chores/{chore.pk}/assign/", {"a": north_clerk.pk, "b": 1})

    assert response.status_code == 400
    chore.refresh_from_db()
    assert chore.a == people["a"]


def test_naming_a_clerk_duty_manager_answers_400(clock, api_as, hall, people):
    body = {"hall": hall.pk, "date": f"{DAY}", "manager": people["clerk"].pk}

    response = api_as(people["manager"]).post("/api/rosters/duty-manager/", body)

    assert (response.status_code, list(response.data)) == (400, ["manager"])


@pytest.mark.parametrize(
    "query",
    ["/api/duties/?date=03-03-2026", "/api/duties/?hall=abc", "/api/leaves/?status=maybe", "/api/shifts/?staff=-1"],
)
def test_a_malformed_filter_answers_400(api_as, people, query):
    assert api_as(people["clerk"]).get(query).status_code == 400


@pytest.mark.parametrize("week", ["2026-48", "2026-W54", "2026-W00", "W48", "2026-W4"])
def test_a_malformed_week_answers_400(api_as, people, week):
    response = api_as(people["clerk"]).get(f"/api/rosters/?week={week}")

    assert (response.status_code, list(response.data)) == (400, ["week"])


@pytest.mark.parametrize(
    "body",
    [
        {"shift_end": "yesterday"},
        {"shift_end": "2026-03-02T17:30:00+08:00", "open_items": [""]},
        {"shift_end": "2026-03-02T17:30:00+08:00", "open_items": [{"kind": "duty"}]},
        {"shift_end": "2026-03-02T17:30:00+08:00", "open_items": "不是列表"},
        {"shift_end": "2026-03-02T17:30:00+08:00", "incoming": 2**70},
    ],
)
def test_a_malformed_handover_answers_400_and_creates_nothing(clock, api_as, people, body):
    response = api_as(people["a"]).post("/api/handovers/", body, format="json")

    assert response.status_code == 400
    assert not Handover.objects.exists()


def test_handing_over_to_oneself_answers_400(clock, api_as, people):
    body = {"shift_end": "2026-03-02T17:30:00+08:00", "incoming": people["a"].pk}

    response = api_as(people["a"]).post("/api/handovers/", body)

    assert (response.status_code, list(response.data)) == (400, ["incoming"])


@pytest.mark.parametrize("body", ["not json", b"\xff\xfe"])
def test_a_body_that_is_not_json_answers_400(api_as, people, body):
    response = api_as(people["manager"]).post("/api/chores/", body, content_type="application/json")

    assert response.status_code == 400


def test_a_huge_id_in_a_body_answers_400(clock, api_as, hall, people):
    response = api_as(people["duty"]).post("/api/duties/generate/", {"hall": 2**70, "date": f"{DAY}"})

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/shifts/", {"date": "0001-01-01", "start": "01:00", "end": "02:00"}),
        ("/api/shifts/", {"date": "9999-12-31", "start": "22:00", "end": "02:00"}),
        ("/api/duties/generate/", {"date": "0001-01-01"}),
        ("/api/rosters/duty-manager/", {"date": "9999-12-31"}),
        ("/api/leaves/", {"start": "0001-01-01", "end": "0001-01-02"}),
    ],
)
def test_a_day_beyond_ten_years_from_today_answers_400(clock, api_as, hall, people, chore, path, body):
    body = {"hall": hall.pk, "staff": people["a"].pk, "manager": people["duty"].pk, **body}

    response = api_as(people["manager"]).post(path, body)

    assert response.status_code == 400


def test_a_cancelling_note_over_the_text_limit_answers_400(api_as, people, leave):
    response = api_as(people["a"]).post(f"/api/leaves/{leave.pk}/cancel/", {"note": "x" * (NOTE_MAX + 1)})

    assert_field_errors(response, "note")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REQUESTED


def test_a_leave_of_more_than_a_year_answers_400(clock, api_as, people):
    response = api_as(people["a"]).post("/api/leaves/", {"start": "2026-03-03", "end": "2027-03-04"})

    assert (response.status_code, list(response.data)) == (400, ["end"])


@pytest.mark.parametrize(
    ("record", "method", "path"),
    [
        ("chore", "get", "/api/chores/{pk}/"),
        ("duty", "post", "/api/duties/{pk}/done/"),
        ("leave", "get", "/api/leaves/{pk}/"),
        ("shift", "get", "/api/shifts/{pk}/"),
        ("handover", "post", "/api/handovers/{pk}/acknowledge/"),
    ],
)
def test_another_halls_record_answers_exactly_as_a_missing_one(request, api_as, north_clerk, record, method, path):
    subject = request.getfixturevalue(record)
    client = getattr(api_as(north_clerk), method)

    theirs, missing = client(path.format(pk=subject.pk)), client(path.format(pk=999999))

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
