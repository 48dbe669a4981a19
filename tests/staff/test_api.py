import datetime as dt

import pytest
from django.utils import timezone

from hall.models import DutyManagerDay
from staff import handover_services, roster_services, services
from staff.models import CalendarFeed, Chore, Duty, DutyStatus, Handover, Leave, LeaveStatus, Shift, ShiftTemplate

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 3)  # the day after the clock's Monday


@pytest.fixture
def people(people, clerk):
    return {**people, "clerk": clerk}


def generate(api_as, people, hall, day=DAY):
    response = api_as(people["duty"]).post("/api/duties/generate/", {"hall": hall.pk, "date": f"{day}"})
    assert response.status_code == 200, response.data
    return response.data


def request_leave(api_as, person, start=DAY, end=DAY):
    response = api_as(person).post("/api/leaves/", {"start": f"{start}", "end": f"{end}", "reason": "事假"})
    assert response.status_code == 201, response.data
    return response.data


# Staff and chores


def test_the_staff_list_shows_each_persons_employee_number(api_as, hall, people):
    people["a"].employee_number = "E0042"
    people["a"].save(update_fields=["employee_number"])

    response = api_as(people["clerk"]).get(f"/api/staff/?hall={hall.pk}")

    [row] = [row for row in response.data["results"] if row["id"] == people["a"].pk]
    assert row["employee_number"] == "E0042"


def test_the_hall_manager_creates_a_chore_with_its_a_b_and_schedule(api_as, hall, people):
    body = {
        "hall": hall.pk,
        "name": "检查填单台",
        "a": people["a"].pk,
        "b": people["b"].pk,
        "schedule": "weekly MON 09:00",
    }

    response = api_as(people["manager"]).post("/api/chores/", body | {"checklist": "笔、表格、老花镜"}, format="json")

    assert response.status_code == 201, response.data
    chore = Chore.objects.get(pk=response.data["id"])
    assert (chore.a, chore.b, chore.weekday, chore.at) == (people["a"], people["b"], 0, dt.time(9))
    assert response.data | {"schedule": "weekly MON 09:00", "a_name": "a", "b_name": "b", "problems": []} == (
        response.data
    )


@pytest.mark.parametrize("schedule", ["daily 08:30", "workdays 10:00", "weekly SUN 18:00", "closing", "monthly 09:00"])
def test_every_kind_of_schedule_comes_back_as_it_was_written(api_as, hall, people, schedule):
    body = {"hall": hall.pk, "name": "巡检", "a": people["a"].pk, "b": people["b"].pk, "schedule": schedule}

    response = api_as(people["manager"]).post("/api/chores/", body)

    assert response.data["schedule"] == schedule


def test_the_chore_list_flags_a_and_b_being_the_same_person(api_as, hall, people, chore):
    services.chore_assign(chore=chore, a=people["a"], b=people["a"], actor=people["manager"])

    response = api_as(people["clerk"]).get("/api/chores/")

    [row] = response.data["results"]
    assert row["problems"] == ["A角和B角是同一人"]
    assert row["is_active"] is True


def test_the_hall_manager_reassigns_a_and_b_and_the_timeline_records_it(api_as, people, chore):
    response = api_as(people["manager"]).post(
        f"/api/chores/{chore.pk}/assign/", {"a": people["b"].pk, "b": people["clerk"].pk}
    )

    assert response.status_code == 200, response.data
    chore.refresh_from_db()
    assert (chore.a, chore.b) == (people["b"], people["clerk"])
    timeline = api_as(people["clerk"]).get(f"/api/chores/{chore.pk}/timeline/").data
    assert [event["action"] for event in timeline] == ["create", "assign"]
    assert timeline[-1]["actor"] == people["manager"].pk
    assert timeline[-1]["data"]["to"] == {"a": people["b"].pk, "b": people["clerk"].pk}


# Duties


def test_generating_a_day_gives_each_chore_a_duty_with_a_responsible(clock, api_as, hall, people, chore):
    [duty] = generate(api_as, people, hall)

    assert duty["chore"] == chore.pk
    assert duty["chore_name"] == "开启排队机"
    assert (duty["responsible"], duty["responsible_name"], duty["role"]) == (people["a"].pk, "a", "A")
    assert duty["due_at"] == "2026-03-03T08:00:00+08:00"
    assert (duty["status"], duty["done_at"], duty["done_by"]) == ("open", None, None)


def test_generating_twice_gives_the_same_duties(clock, api_as, hall, people, chore):
    first = generate(api_as, people, hall)
    second = generate(api_as, people, hall)

    assert [d["id"] for d in first] == [d["id"] for d in second]
    assert Duty.objects.count() == 1


def test_the_duty_list_shows_the_days_duties(clock, api_as, hall, people, chore):
    generate(api_as, people, hall)
    generate(api_as, people, hall, DAY + dt.timedelta(days=1))

    response = api_as(people["clerk"]).get(f"/api/duties/?hall={hall.pk}&date={DAY}")

    assert response.status_code == 200
    assert [row["date"] for row in response.data["results"]] == [f"{DAY}"]


def test_the_duty_list_shows_today_when_no_date_is_given(clock, api_as, hall, people, chore):
    generate(api_as, people, hall, DAY)
    [today] = generate(api_as, people, hall, hall.today())

    response = api_as(people["clerk"]).get("/api/duties/")

    assert [row["id"] for row in response.data["results"]] == [today["id"]]


def test_with_a_on_approved_leave_the_duty_list_shows_b_and_why(clock, api_as, hall, people, chore):
    generate(api_as, people, hall)
    leave = request_leave(api_as, people["a"])

    approved = api_as(people["manager"]).post(f"/api/leaves/{leave['id']}/approve/")

    assert approved.status_code == 200, approved.data
    [duty] = api_as(people["clerk"]).get(f"/api/duties/?date={DAY}").data["results"]
    assert (duty["responsible"], duty["role"]) == (people["b"].pk, "B")
    assert "请假" in duty["reason"]


def test_the_responsible_marks_a_duty_done_with_a_note(clock, api_as, hall, people, chore):
    [duty] = generate(api_as, people, hall)

    response = api_as(people["a"]).post(f"/api/duties/{duty['id']}/done/", {"note": "已开机"})

    assert response.status_code == 200, response.data
    assert response.data | {"status": "done", "done_by": people["a"].pk, "note": "已开机"} == response.data
    done = Duty.objects.get(pk=duty["id"])
    assert (done.status, done.done_by, done.done_at) == (DutyStatus.DONE, people["a"], timezone.now())


@pytest.mark.parametrize("who", ["duty", "manager"])
def test_a_manager_may_mark_someone_elses_duty_done(clock, api_as, hall, people, chore, who):
    [duty] = generate(api_as, people, hall)

    response = api_as(people[who]).post(f"/api/duties/{duty['id']}/done/")

    assert response.status_code == 200, response.data
    assert response.data["done_by"] == people[who].pk


def test_a_duty_s_timeline_shows_its_assignment_and_completion(clock, api_as, hall, people, chore):
    [duty] = generate(api_as, people, hall)
    api_as(people["a"]).post(f"/api/duties/{duty['id']}/done/")

    timeline = api_as(people["clerk"]).get(f"/api/duties/{duty['id']}/timeline/").data

    assert [(e["action"], e["to_status"]) for e in timeline] == [("assign", ""), ("done", "done")]


# Leave


def test_anyone_requests_leave_for_themselves(clock, api_as, people):
    leave = request_leave(api_as, people["a"], DAY, DAY + dt.timedelta(days=2))

    assert leave | {"staff": people["a"].pk, "status": "requested", "start": "2026-03-03", "end": "2026-03-05"} == leave
    assert Leave.objects.get(pk=leave["id"]).hall_id == people["a"].hall_id


def test_a_manager_requests_leave_for_someone_of_the_hall(clock, api_as, people):
    body = {"staff": people["a"].pk, "start": f"{DAY}", "end": f"{DAY}"}

    response = api_as(people["duty"]).post("/api/leaves/", body)

    assert response.status_code == 201, response.data
    assert response.data["staff"] == people["a"].pk


def test_approving_answers_the_leave_with_no_warnings_when_b_covers(clock, api_as, people, chore):
    leave = request_leave(api_as, people["a"])

    response = api_as(people["manager"]).post(f"/api/leaves/{leave['id']}/approve/")

    assert response.data | {"status": "approved", "decided_by": people["manager"].pk, "warnings": []} == response.data


def test_approving_warns_of_each_chore_and_day_left_with_neither_a_nor_b(clock, api_as, people, chore):
    a_leave = request_leave(api_as, people["a"], DAY, DAY + dt.timedelta(days=1))
    api_as(people["manager"]).post(f"/api/leaves/{a_leave['id']}/approve/")
    b_leave = request_leave(api_as, people["b"], DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2))

    response = api_as(people["manager"]).post(f"/api/leaves/{b_leave['id']}/approve/")

    assert response.status_code == 200
    assert response.data["warnings"] == [{"chore": chore.pk, "chore_name": "开启排队机", "date": "2026-03-04"}]


def test_the_hall_manager_rejects_a_leave_with_a_note(clock, api_as, people):
    leave = request_leave(api_as, people["a"])

    response = api_as(people["manager"]).post(f"/api/leaves/{leave['id']}/reject/", {"note": "月底忙"})

    assert response.status_code == 200, response.data
    assert response.data["status"] == "rejected"
    assert Leave.objects.get(pk=leave["id"]).status == LeaveStatus.REJECTED
    timeline = api_as(people["a"]).get(f"/api/leaves/{leave['id']}/timeline/").data
    assert [(e["action"], e["note"]) for e in timeline] == [("request", "事假"), ("reject", "月底忙")]


def test_the_person_cancels_their_approved_leave_and_a_takes_the_duty_back(clock, api_as, hall, people, chore):
    leave = request_leave(api_as, people["a"])
    api_as(people["manager"]).post(f"/api/leaves/{leave['id']}/approve/")
    generate(api_as, people, hall)

    response = api_as(people["a"]).post(f"/api/leaves/{leave['id']}/cancel/", {"note": "不用休了"})

    assert response.status_code == 200, response.data
    assert response.data | {"status": "cancelled", "staff": people["a"].pk} == response.data
    [duty] = api_as(people["clerk"]).get(f"/api/duties/?date={DAY}").data["results"]
    assert (duty["responsible"], duty["role"]) == (people["a"].pk, "A")
    timeline = api_as(people["a"]).get(f"/api/leaves/{leave['id']}/timeline/").data
    assert (timeline[-1]["action"], timeline[-1]["note"]) == ("cancel", "不用休了")


def test_a_clerk_lists_only_their_own_leave_and_a_manager_everyones(clock, api_as, people):
    mine = request_leave(api_as, people["clerk"])
    request_leave(api_as, people["a"])

    assert [row["id"] for row in api_as(people["clerk"]).get("/api/leaves/").data["results"]] == [mine["id"]]
    assert api_as(people["manager"]).get("/api/leaves/?status=requested").data["count"] == 2


# Shifts and the roster


def test_a_duty_manager_rosters_a_shift(clock, api_as, hall, people):
    body = {"staff": people["a"].pk, "date": f"{DAY}", "start": "08:30", "end": "17:30", "post": "3号窗口"}

    response = api_as(people["duty"]).post("/api/shifts/", body)

    assert response.status_code == 201, response.data
    assert (
        response.data
        | {
            "hall": hall.pk,
            "staff": people["a"].pk,
            "start": "2026-03-03T08:30:00+08:00",
            "end": "2026-03-03T17:30:00+08:00",
            "post": "3号窗口",
        }
        == response.data
    )


def test_a_shift_ending_before_it_starts_ends_the_next_day(clock, api_as, people):
    body = {"staff": people["a"].pk, "date": f"{DAY}", "start": "22:00", "end": "06:00"}

    response = api_as(people["duty"]).post("/api/shifts/", body)

    assert response.data["end"] == "2026-03-04T06:00:00+08:00"


def test_a_shift_from_a_template_takes_its_times(clock, api_as, hall, people):
    early = ShiftTemplate.objects.create(hall=hall, name="早班", start=dt.time(7), end=dt.time(15))

    response = api_as(people["manager"]).post(
        "/api/shifts/", {"staff": people["a"].pk, "date": f"{DAY}", "template": early.pk}
    )

    assert response.status_code == 201, response.data
    assert (response.data["start"], response.data["template"]) == ("2026-03-03T07:00:00+08:00", early.pk)


def test_deleting_a_shift_takes_it_off_the_roster(clock, api_as, hall, people):
    shift = roster_services.shift_create(hall=hall, staff=people["a"], date=DAY, start=dt.time(8), end=dt.time(17))

    response = api_as(people["duty"]).delete(f"/api/shifts/{shift.pk}/")

    assert response.status_code == 204
    assert not Shift.objects.exists()


def test_the_shift_list_filters_by_person_and_date(clock, api_as, hall, people):
    roster_services.shift_create(hall=hall, staff=people["a"], date=DAY, start=dt.time(8), end=dt.time(17))
    roster_services.shift_create(hall=hall, staff=people["b"], date=DAY, start=dt.time(8), end=dt.time(17))

    response = api_as(people["clerk"]).get(f"/api/shifts/?staff={people['a'].pk}&date={DAY}")

    assert [(row["staff"], row["staff_name"]) for row in response.data["results"]] == [(people["a"].pk, "a")]


def test_the_shift_templates_of_the_hall_are_listed(api_as, hall, people):
    ShiftTemplate.objects.create(hall=hall, name="全班", start=dt.time(8, 30), end=dt.time(17, 30))

    response = api_as(people["clerk"]).get(f"/api/shift-templates/?hall={hall.pk}")

    assert [(row["name"], row["start"], row["end"]) for row in response.data["results"]] == [
        ("全班", "08:30:00", "17:30:00")
    ]


def test_the_roster_week_lists_each_day_with_its_duty_manager_shifts_and_leave(clock, api_as, hall, people):
    shift = roster_services.shift_create(
        hall=hall, staff=people["a"], date=DAY, start=dt.time(8), end=dt.time(17), post="1"
    )
    DutyManagerDay.objects.create(hall=hall, date=DAY, manager=people["duty"])
    leave = roster_services.leave_request(staff=people["b"], start=DAY, end=DAY)
    roster_services.leave_approve(leave=leave, actor=people["manager"])

    response = api_as(people["clerk"]).get(f"/api/rosters/?hall={hall.pk}&week=2026-W10")

    assert response.status_code == 200, response.data
    assert (response.data["hall"], response.data["week"]) == (hall.pk, "2026-W10")
    days = response.data["days"]
    assert [day["date"] for day in days] == [f"2026-03-0{n}" for n in range(2, 9)]
    tuesday = days[1]
    assert (tuesday["duty_manager"], tuesday["duty_manager_name"]) == (people["duty"].pk, "duty")
    assert tuesday["shifts"] == [
        {
            "id": shift.pk,
            "staff": people["a"].pk,
            "staff_name": "a",
            "start": "2026-03-03T08:00:00+08:00",
            "end": "2026-03-03T17:00:00+08:00",
            "post": "1",
        }
    ]
    assert tuesday["on_leave"] == [{"staff": people["b"].pk, "staff_name": "b"}]
    assert (days[0]["duty_manager"], days[0]["shifts"]) == (None, [])


def test_the_roster_is_this_weeks_of_the_users_hall_by_default(clock, api_as, hall, people):
    response = api_as(people["clerk"]).get("/api/rosters/")

    assert (response.data["hall"], response.data["week"]) == (hall.pk, "2026-W10")


def test_the_hall_manager_names_the_duty_manager_of_a_day(clock, api_as, hall, people):
    body = {"hall": hall.pk, "date": f"{DAY}", "manager": people["duty"].pk}

    response = api_as(people["manager"]).post("/api/rosters/duty-manager/", body)

    assert response.status_code == 200, response.data
    assert response.data | {"date": f"{DAY}", "manager": people["duty"].pk, "manager_name": "duty"} == response.data
    assert DutyManagerDay.objects.get(hall=hall, date=DAY).manager == people["duty"]


# Calendar address


def test_a_person_gives_their_calendar_a_new_address_and_the_old_one_is_gone(api_as, client, people):
    old = CalendarFeed.objects.create(user=people["a"]).token

    response = api_as(people["a"]).post(f"/api/staff/{people['a'].pk}/calendar-feed/rotate/")

    assert response.status_code == 200, response.data
    new = CalendarFeed.objects.get(user=people["a"]).token
    assert response.data == {"staff": people["a"].pk, "url": f"http://testserver/calendar/{new}.ics"}
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_the_hall_manager_gives_a_members_calendar_a_new_address(api_as, people):
    response = api_as(people["manager"]).post(f"/api/staff/{people['a'].pk}/calendar-feed/rotate/")

    assert response.status_code == 200, response.data
    assert response.data["staff"] == people["a"].pk
    assert people["a"].notifications.filter(kind="calendar_feed_rotated").exists()


# Handovers


def test_a_handover_lists_the_halls_open_items_and_the_authors_own(clock, api_as, hall, people, chore):
    generate(api_as, people, hall, hall.today())
    body = {
        "shift_end": "2026-03-02T17:30:00+08:00",
        "note": "备用钥匙在抽屉",
        "open_items": ["3号窗口打印机卡纸", {"label": "等王先生回电"}],
        "incoming": people["b"].pk,
    }

    response = api_as(people["a"]).post("/api/handovers/", body, format="json")

    assert response.status_code == 201, response.data
    assert response.data | {"hall": hall.pk, "author": people["a"].pk, "incoming": people["b"].pk} == response.data
    items = response.data["open_items"]
    assert {"kind": "duty", "chore": "开启排队机", "label": "事项未完成：开启排队机"} in items
    assert items[-2:] == [{"kind": "note", "label": "3号窗口打印机卡纸"}, {"kind": "note", "label": "等王先生回电"}]
    assert {"kind": "duty", "chore": "开启排队机"} in Handover.objects.get().open_items


def test_the_incoming_person_acknowledges_a_handover(clock, api_as, hall, people):
    handover = handover_services.handover_create(
        hall=hall, author=people["a"], shift_end=timezone.now(), note="无", incoming=people["b"]
    )

    response = api_as(people["b"]).post(f"/api/handovers/{handover.pk}/acknowledge/")

    assert response.status_code == 200, response.data
    assert response.data["status"] == "acknowledged"
    assert api_as(people["clerk"]).get("/api/handovers/?status=acknowledged").data["count"] == 1


def test_the_schema_describes_the_staff_endpoints(clerk_api):
    text = clerk_api.get("/api/schema/").content.decode()

    paths = ["/api/chores/", "/api/duties/{id}/done/", "/api/leaves/{id}/approve/", "/api/rosters/"]
    paths += ["/api/rosters/duty-manager/clear/", "/api/staff/{id}/calendar-feed/rotate/"]
    paths += ["/api/leaves/{id}/cancel/"]
    for path in paths:
        assert f"{path}:" in text


def test_the_hall_manager_clears_the_duty_manager_of_a_day_which_falls_back_to_the_role(clock, api_as, hall, people):
    roster_services.roster_set_duty_manager(hall=hall, date=DAY, manager=people["manager"], actor=people["manager"])

    response = api_as(people["manager"]).post("/api/rosters/duty-manager/clear/", {"hall": hall.pk, "date": f"{DAY}"})

    assert response.status_code == 200, response.data
    assert response.data == {"hall": hall.pk, "date": f"{DAY}", "duty_managers": [people["duty"].pk]}
    assert not DutyManagerDay.objects.exists()
