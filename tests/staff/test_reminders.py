"""Duty and handover reminders through the SLA sweep, each level once; the beat task; which days a chore falls on."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from hall import sla
from hall.models import CalendarDay, CalendarDayKind, DutyManagerDay, Notification, Role, SlaClock, TimelineEvent
from staff import handover_services, roster_services, services, tasks
from staff.models import Duty, DutyRole
from tests.factories import HallFactory, UserFactory
from tests.notifications import written

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 3, 3)  # a Tuesday


def at(hour, minute=0, second=0, day=DAY):
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=SHANGHAI)


def sweep_at(traveller, moment):
    traveller.move_to(moment)
    return sla.sla_sweep()


@pytest.fixture
def traveller():
    with time_machine.travel(at(7, 0), tick=False) as traveller:
        yield traveller


def chore(hall, people, schedule="daily 08:00", name="开启排队叫号系统"):
    return services.chore_create(hall=hall, name=name, a=people["a"], b=people["b"], schedule=schedule)


@pytest.fixture
def duty(traveller, hall, people):
    """The 08:00 duty of DAY, generated at 07:00; A works, so A is responsible."""
    chore(hall, people)
    [duty] = services.duties_generate(hall=hall, date=DAY)
    return duty


def leave(person, manager, start=DAY, end=DAY):
    request = roster_services.leave_request(staff=person, start=start, end=end, actor=person)
    return roster_services.leave_approve(leave=request, actor=manager)


# A duty not done: reminders, breach, escalation


def test_the_duty_clock_starts_at_the_due_time_with_a_thirty_minute_window(duty):
    clock = SlaClock.objects.get(object_id=duty.pk, name="done")

    assert (clock.started_at, clock.due_at, clock.next_level_at) == (at(8), at(8, 30), at(8, 15))
    assert clock.responsible_id == duty.responsible_id


def test_nothing_fires_before_a_quarter_past_eight(traveller, duty):
    for moment in (at(7, 59), at(8), at(8, 14, 59)):
        assert sweep_at(traveller, moment) == 0

    assert written() == {}


def test_the_responsible_is_reminded_once_at_a_quarter_past_eight(traveller, duty):
    assert sweep_at(traveller, at(8, 15)) == 1
    for moment in (at(8, 15), at(8, 16), at(8, 22, 29)):
        assert sweep_at(traveller, moment) == 0

    assert written() == {("sla_warned_half", "a", "in_app"): 1}


def test_the_responsible_is_reminded_again_once_at_three_quarters(traveller, duty):
    sweep_at(traveller, at(8, 15))

    assert sweep_at(traveller, at(8, 22, 29)) == 0
    assert sweep_at(traveller, at(8, 22, 30)) == 1
    assert sweep_at(traveller, at(8, 29, 59)) == 0

    assert written() == {("sla_warned_half", "a", "in_app"): 1, ("sla_warned_three_quarters", "a", "in_app"): 1}


def test_at_half_past_eight_the_responsible_and_the_duty_manager_hear_of_the_breach(traveller, duty):
    sweep_at(traveller, at(8, 22, 30))

    assert sweep_at(traveller, at(8, 29, 59)) == 0
    assert sweep_at(traveller, at(8, 30)) == 4
    assert sweep_at(traveller, at(8, 30, 1)) == 0

    breached = {key: n for key, n in written().items() if key[0] == "sla_breached"}
    assert breached == {
        ("sla_breached", "a", "in_app"): 1,
        ("sla_breached", "a", "sms"): 1,
        ("sla_breached", "duty", "in_app"): 1,
        ("sla_breached", "duty", "sms"): 1,
    }


def test_the_duty_manager_rostered_for_the_day_is_the_one_told_of_a_breach(traveller, hall, people, duty):
    rostered = UserFactory(hall=hall, username="duty2", roles=[Role.DUTY_MANAGER])
    roster_services.roster_set_duty_manager(hall=hall, date=DAY, manager=rostered, actor=people["manager"])
    other_day = UserFactory(hall=hall, username="duty3", roles=[Role.DUTY_MANAGER])
    DutyManagerDay.objects.create(hall=hall, date=DAY + dt.timedelta(days=1), manager=other_day)

    sweep_at(traveller, at(8, 30))

    assert {username for _, username, _ in written()} == {"a", "duty2"}


def test_without_a_rostered_duty_manager_every_duty_manager_is_told_of_a_breach(traveller, hall, duty):
    UserFactory(hall=hall, username="duty2", roles=[Role.DUTY_MANAGER])

    sweep_at(traveller, at(8, 30))

    assert {username for _, username, _ in written()} == {"a", "duty", "duty2"}


def test_a_rostered_duty_manager_who_has_left_gives_way_to_the_active_ones(traveller, hall, people, duty):
    gone = UserFactory(hall=hall, username="gone", roles=[Role.DUTY_MANAGER])
    roster_services.roster_set_duty_manager(hall=hall, date=DAY, manager=gone, actor=people["manager"])
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    sweep_at(traveller, at(8, 30))

    assert {username for _, username, _ in written()} == {"a", "duty"}


def test_the_hall_manager_hears_of_it_at_nine_one_more_window_later(traveller, duty):
    sweep_at(traveller, at(8, 30))

    assert sweep_at(traveller, at(8, 59, 59)) == 0
    assert sweep_at(traveller, at(9)) == 2
    assert sweep_at(traveller, at(9, 0, 1)) == 0
    assert sweep_at(traveller, at(9, day=DAY + dt.timedelta(days=7))) == 0

    escalated = {key: n for key, n in written().items() if key[0] == "sla_escalated"}
    assert escalated == {("sla_escalated", "manager", "in_app"): 1, ("sla_escalated", "manager", "sms"): 1}


def test_each_reminder_fires_once_however_often_the_sweep_runs(traveller, duty):
    moment = at(7, 55)
    while moment <= at(10):
        sla.sla_sweep()
        sla.sla_sweep()
        moment += dt.timedelta(seconds=30)
        traveller.move_to(moment)

    assert written() == {
        ("sla_warned_half", "a", "in_app"): 1,
        ("sla_warned_three_quarters", "a", "in_app"): 1,
        ("sla_breached", "a", "in_app"): 1,
        ("sla_breached", "a", "sms"): 1,
        ("sla_breached", "duty", "in_app"): 1,
        ("sla_breached", "duty", "sms"): 1,
        ("sla_escalated", "manager", "in_app"): 1,
        ("sla_escalated", "manager", "sms"): 1,
    }


def test_a_reminder_names_the_chore_and_links_to_the_days_duty_board(traveller, duty):
    sweep_at(traveller, at(8, 15))

    reminder = Notification.objects.get(kind="sla_warned_half")
    assert "开启排队叫号系统" in reminder.subject
    # The duty's one time, with the end of its grace beside it (tests/staff/test_duty_grace.py).
    assert "3月3日 08:00" in reminder.subject
    assert reminder.link.endswith("?date=2026-03-03")


def test_a_duty_done_before_a_quarter_past_eight_never_fires(traveller, people, duty):
    traveller.move_to(at(8, 14, 59))
    services.duty_complete(duty=duty, actor=people["a"])

    for moment in (at(8, 15), at(8, 22, 30), at(8, 30), at(9), at(9, day=DAY + dt.timedelta(days=1))):
        assert sweep_at(traveller, moment) == 0

    assert written() == {}
    assert SlaClock.objects.get(object_id=duty.pk, name="done").stopped_at == at(8, 14, 59)


def test_a_duty_done_after_the_first_reminder_sends_nothing_more(traveller, people, duty):
    sweep_at(traveller, at(8, 15))
    services.duty_complete(duty=duty, actor=people["a"])

    assert sweep_at(traveller, at(8, 30)) == 0
    assert sweep_at(traveller, at(9)) == 0
    assert written() == {("sla_warned_half", "a", "in_app"): 1}


def test_when_a_goes_on_leave_after_the_duty_is_made_b_gets_the_reminders(traveller, people, duty):
    leave(people["a"], people["manager"])

    sweep_at(traveller, at(8, 15))

    duty.refresh_from_db()
    assert (duty.responsible, duty.role) == (people["b"], DutyRole.B)
    assert written() == {("sla_warned_half", "b", "in_app"): 1}


def test_a_duty_the_duty_manager_took_over_reminds_them_once_per_channel(traveller, hall, people):
    chore(hall, people)
    leave(people["a"], people["manager"])
    leave(people["b"], people["manager"])
    [duty] = services.duties_generate(hall=hall, date=DAY)

    sweep_at(traveller, at(8, 30))

    assert (duty.responsible, duty.role) == (people["duty"], DutyRole.DUTY)
    assert written() == {("sla_breached", "duty", "in_app"): 1, ("sla_breached", "duty", "sms"): 1}


# Handovers


@pytest.fixture
def handover_at_half_past_five(traveller, hall, people):
    def make(incoming=None):
        traveller.move_to(at(17, 30))
        return handover_services.handover_create(
            hall=hall, author=people["a"], shift_end=at(17, 30), note="2 号窗口打印机卡纸", incoming=incoming
        )

    return make


def test_a_handover_nobody_acknowledges_reminds_the_duty_manager(traveller, handover_at_half_past_five):
    handover_at_half_past_five()

    assert sweep_at(traveller, at(17, 44, 59)) == 0
    assert sweep_at(traveller, at(17, 45)) == 1
    assert sweep_at(traveller, at(17, 52, 30)) == 1
    assert sweep_at(traveller, at(18)) == 2
    assert sweep_at(traveller, at(18, 0, 1)) == 0

    assert written() == {
        ("sla_warned_half", "duty", "in_app"): 1,
        ("sla_warned_three_quarters", "duty", "in_app"): 1,
        ("sla_breached", "duty", "in_app"): 1,
        ("sla_breached", "duty", "sms"): 1,
    }


def test_a_handover_the_incoming_person_leaves_unacknowledged_reaches_the_duty_manager_at_30_minutes(
    traveller, people, handover_at_half_past_five
):
    handover_at_half_past_five(incoming=people["b"])

    sweep_at(traveller, at(17, 52, 30))
    assert {username for _, username, _ in written()} == {"b"}

    sweep_at(traveller, at(18))
    assert written()[("sla_breached", "duty", "in_app")] == 1
    assert written()[("sla_breached", "b", "in_app")] == 1


def test_a_handover_acknowledged_in_time_sends_no_reminder(traveller, people, handover_at_half_past_five):
    handover = handover_at_half_past_five(incoming=people["b"])
    traveller.move_to(at(17, 44))
    handover_services.handover_acknowledge(handover=handover, actor=people["b"])

    for moment in (at(17, 45), at(18), at(18, 30), at(9, day=DAY + dt.timedelta(days=1))):
        assert sweep_at(traveller, moment) == 0

    assert written() == {}


# The beat task


def test_the_beat_task_makes_todays_duties_for_every_hall_and_a_second_run_adds_nothing(traveller, hall, people):
    chore(hall, people)
    chore(hall, people, schedule="closing", name="闭店断电检查")
    north = HallFactory(code="north")
    north_people = {key: UserFactory(hall=north, username=f"north_{key}") for key in ("a", "b")}
    chore(north, north_people)
    traveller.move_to(at(0, 5))

    tasks.generate_duties()
    first = dict(Duty.objects.values_list("id", "date"))
    events = TimelineEvent.objects.count()
    tasks.generate_duties()

    assert set(Duty.objects.values_list("hall__code", "chore__name", "date")) == {
        ("demo", "开启排队叫号系统", DAY),
        ("demo", "闭店断电检查", DAY),
        ("north", "开启排队叫号系统", DAY),
    }
    assert dict(Duty.objects.values_list("id", "date")) == first
    assert TimelineEvent.objects.count() == events


# Who works, and which days a chore falls on


def test_on_a_day_the_hall_has_no_roster_everyone_not_on_leave_works(traveller, hall, people):
    chore(hall, people)
    roster_services.shift_create(
        hall=hall, staff=people["b"], date=DAY - dt.timedelta(days=1), start=dt.time(8), end=dt.time(17)
    )

    [duty] = services.duties_generate(hall=hall, date=DAY)

    assert (duty.responsible, duty.role, duty.why) == (people["a"], DutyRole.A, {})


@pytest.mark.parametrize(
    ("month", "first_working_day"),
    [
        pytest.param(dt.date(2026, 10, 1), dt.date(2026, 10, 8), id="after-the-national-day-week"),
        pytest.param(dt.date(2026, 11, 1), dt.date(2026, 11, 2), id="month-starting-on-a-sunday"),
        pytest.param(dt.date(2026, 9, 1), dt.date(2026, 9, 1), id="month-starting-on-a-tuesday"),
    ],
)
def test_a_monthly_chore_falls_only_on_the_first_working_day_of_the_month(
    traveller, hall, people, month, first_working_day
):
    monthly = chore(hall, people, schedule="monthly 09:00", name="海报更新")

    for offset in range(28):
        services.duties_generate(hall=hall, date=month + dt.timedelta(days=offset))

    assert [(duty.date, duty.due_at) for duty in monthly.duties.all()] == [
        (first_working_day, at(9, day=first_working_day))
    ]


def test_a_weekly_chore_falls_only_on_its_weekday(traveller, hall, people):
    weekly = chore(hall, people, schedule="weekly FRI 16:00", name="业务公告归档")

    for offset in range(14):
        services.duties_generate(hall=hall, date=DAY + dt.timedelta(days=offset))

    assert [(duty.date, duty.due_at) for duty in weekly.duties.all()] == [
        (dt.date(2026, 3, 6), at(16, day=dt.date(2026, 3, 6))),
        (dt.date(2026, 3, 13), at(16, day=dt.date(2026, 3, 13))),
    ]


def test_a_workdays_chore_skips_weekends_and_holidays_and_falls_on_a_make_up_saturday(traveller, hall, people):
    patrol = chore(hall, people, schedule="workdays 10:00", name="巡场 10:00")
    monday = dt.date(2026, 9, 28)

    for offset in range(14):
        services.duties_generate(hall=hall, date=monday + dt.timedelta(days=offset))

    # 10-01…10-07 are the National Day holiday; Saturday 10-10 is worked to make up for it, Sunday 10-11 is not.
    days = [dt.date(2026, 9, 28), dt.date(2026, 9, 29), dt.date(2026, 9, 30)]
    days += [dt.date(2026, 10, 8), dt.date(2026, 10, 9), dt.date(2026, 10, 10)]
    assert [(duty.date, duty.due_at) for duty in patrol.duties.order_by("date")] == [
        (day, at(10, day=day)) for day in days
    ]


def test_a_workdays_chore_follows_a_holiday_the_hall_adds_to_the_calendar(traveller, hall, people):
    patrol = chore(hall, people, schedule="workdays 10:00", name="巡场 10:00")
    CalendarDay.objects.create(date=DAY, kind=CalendarDayKind.HOLIDAY, name="停电检修")

    assert services.duties_generate(hall=hall, date=DAY) == []
    assert [duty.date for duty in services.duties_generate(hall=hall, date=DAY + dt.timedelta(days=1))] == [
        DAY + dt.timedelta(days=1)
    ]
    assert patrol.duties.count() == 1
