"""Cancelling one's own leave: a request, or an approved leave whose days are then re-decided."""

import datetime as dt

import pytest

from hall.errors import InvalidTransition, NotPermitted
from hall.models import Role
from hall.timeline import timeline_for
from staff import roster_services, services
from staff.models import Duty, DutyRole, LeaveStatus
from tests.factories import person

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)  # the clock fixture's day
DAY = TODAY + dt.timedelta(days=1)


@pytest.fixture
def people(hall):
    return {"manager": person(hall, "manager", Role.HALL_MANAGER), "a": person(hall, "a"), "b": person(hall, "b")}


@pytest.fixture
def chore(hall, people):
    return services.chore_create(hall=hall, name="开启排队机", a=people["a"], b=people["b"], schedule="daily 08:00")


def approved(people, start=DAY, end=DAY):
    leave = roster_services.leave_request(staff=people["a"], start=start, end=end, actor=people["a"])
    return roster_services.leave_approve(leave=leave, actor=people["manager"])[0]


def test_a_person_cancels_their_request_and_the_timeline_keeps_it(clock, people):
    leave = roster_services.leave_request(staff=people["a"], start=DAY, end=DAY, actor=people["a"])

    roster_services.leave_cancel(leave=leave, actor=people["a"], note="不用了")

    leave.refresh_from_db()
    assert leave.status == LeaveStatus.CANCELLED
    event = timeline_for(leave).last()
    assert (event.action, event.from_status, event.to_status, event.note) == (
        "cancel",
        "requested",
        "cancelled",
        "不用了",
    )
    assert not people["manager"].notifications.filter(kind="leave_cancelled").exists()


def test_cancelling_an_approved_leave_gives_a_back_the_duty_and_tells_b_and_the_hall_manager(
    clock, hall, people, chore
):
    leave = approved(people)
    [duty] = services.duties_generate(hall=hall, date=DAY)
    assert duty.responsible == people["b"]

    roster_services.leave_cancel(leave=leave, actor=people["a"], note="家里事办完了")

    duty.refresh_from_db()
    assert (duty.responsible, duty.role, duty.why) == (people["a"], DutyRole.A, {})
    assert people["b"].notifications.filter(kind="duty_uncover").count() == 1
    assert people["manager"].notifications.get(kind="leave_cancelled").body == "家里事办完了"


def test_cancelling_a_leave_under_way_re_decides_from_today_on(clock, hall, people, chore):
    leave = approved(people, TODAY - dt.timedelta(days=1), DAY)
    days = [TODAY - dt.timedelta(days=1), TODAY, DAY]
    for day in days:
        services.duties_generate(hall=hall, date=day)

    roster_services.leave_cancel(leave=leave, actor=people["a"])

    responsible = dict(Duty.objects.values_list("date", "responsible__username"))
    assert [responsible[day] for day in days] == ["b", "a", "a"]


def test_a_leave_ending_today_may_still_be_cancelled(clock, people):
    leave = approved(people, TODAY - dt.timedelta(days=2), TODAY)

    assert roster_services.leave_cancel(leave=leave, actor=people["a"]).status == LeaveStatus.CANCELLED


def test_a_leave_that_is_over_is_not_cancelled(clock, people):
    leave = approved(people, TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=1))

    with pytest.raises(InvalidTransition):
        roster_services.leave_cancel(leave=leave, actor=people["a"])

    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


def test_a_rejected_leave_is_not_cancelled(clock, people):
    leave = roster_services.leave_request(staff=people["a"], start=DAY, end=DAY)
    roster_services.leave_reject(leave=leave, actor=people["manager"])

    with pytest.raises(InvalidTransition):
        roster_services.leave_cancel(leave=leave, actor=people["a"])


def test_only_the_person_on_leave_cancels_it(clock, people):
    leave = approved(people)

    for someone in (people["manager"], people["b"]):
        with pytest.raises(NotPermitted):
            roster_services.leave_cancel(leave=leave, actor=someone)

    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
