"""A complaint's four promises: when each falls due by the hall's calendar, who is urgent, what stops and
restarts them. Hours run around the clock; working days end at 23:59:59 hall time (API.md, Clocks)."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from complaints import services
from complaints.models import Complaint, ComplaintStatus
from hall import sla
from hall.models import CalendarDay, Customer, Notification, SlaClock, SlaLevel, SlaPolicy
from tests.factories import HallFactory, accept_complaint

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def end_of(year, month, day):
    return at(year, month, day, 23, 59, 59)


FRIDAY_EVENING = at(2026, 11, 20, 18, 30)
# An urgent complaint's deadlines when accepted then: half of each window, rounded up to whole working days.
URGENT_ON_FRIDAY_EVENING = {
    "first_contact": at(2026, 11, 20, 19, 30),
    "progress": end_of(2026, 11, 24),
    "result": end_of(2026, 12, 2),
}


@pytest.fixture
def travel():
    """travel(moment) moves the frozen clock there; the first call starts the trip."""
    with time_machine.travel(FRIDAY_EVENING, tick=False) as traveller:
        yield traveller.move_to


def promised(complaint):
    """The four promised times as the complaint stores them, read back from the database."""
    complaint = Complaint.objects.get(pk=complaint.pk)
    return {
        "first_contact": complaint.first_contact_due,
        "progress": complaint.progress_due,
        "result": complaint.result_due,
        "follow_up": complaint.follow_up_due,
    }


def running(complaint):
    """Running clocks by name: their deadline."""
    clocks = SlaClock.objects.filter(object_id=complaint.pk, content_type__model="complaint", stopped_at__isnull=True)
    return {clock.name: clock.due_at for clock in clocks}


def clock_rows(complaint, name):
    return list(
        SlaClock.objects.filter(object_id=complaint.pk, content_type__model="complaint", name=name).order_by("id")
    )


def assert_promised(complaint, first_contact, progress, result):
    """The complaint stores these three deadlines, runs a clock for each, and has no follow-up due yet."""
    deadlines = {"first_contact": first_contact, "progress": progress, "result": result}
    assert running(complaint) == deadlines
    assert promised(complaint) == {**deadlines, "follow_up": None}


def accept_at(travel, moment, hall, actor, **kwargs):
    travel(moment)
    return accept_complaint(hall, actor=actor, **kwargs)


# Deadlines at acceptance


ACCEPTANCES = [
    pytest.param(
        FRIDAY_EVENING,
        at(2026, 11, 20, 20, 30),
        end_of(2026, 11, 25),  # Mon, Tue, Wed
        end_of(2026, 12, 11),  # three full weeks
        id="friday-evening",
    ),
    pytest.param(
        at(2026, 9, 30, 16, 0),
        at(2026, 9, 30, 18, 0),
        end_of(2026, 10, 10),  # Oct 1-7 off; Thu 8, Fri 9 and the make-up Saturday 10
        end_of(2026, 10, 27),
        id="the-day-before-the-national-day-week",
    ),
    pytest.param(
        at(2026, 9, 30, 23, 30),
        at(2026, 10, 1, 1, 30),  # the first contact runs on into the holiday
        end_of(2026, 10, 10),
        end_of(2026, 10, 27),
        id="the-last-half-hour-before-the-national-day-week",
    ),
    pytest.param(
        at(2026, 10, 9, 17, 0),
        at(2026, 10, 9, 19, 0),
        end_of(2026, 10, 13),  # the make-up Saturday 10, Mon 12, Tue 13
        end_of(2026, 10, 29),
        id="friday-before-the-make-up-saturday",
    ),
    pytest.param(
        at(2026, 9, 18, 17, 0),
        at(2026, 9, 18, 19, 0),
        end_of(2026, 9, 22),  # the make-up Sunday 20, Mon 21, Tue 22
        end_of(2026, 10, 15),  # also skips the Mid-autumn Festival (Fri 25) and the National Day week
        id="friday-before-the-make-up-sunday",
    ),
    pytest.param(
        at(2026, 10, 4, 10, 0),
        at(2026, 10, 4, 12, 0),
        end_of(2026, 10, 10),
        end_of(2026, 10, 27),
        id="accepted-on-a-holiday",
    ),
]


def test_the_calendar_has_the_holidays_and_make_up_days_these_deadlines_count_on():
    kinds = dict(CalendarDay.objects.filter(date__range=("2026-09-18", "2026-12-31")).values_list("date", "kind"))

    assert kinds[dt.date(2026, 9, 20)] == kinds[dt.date(2026, 10, 10)] == "workday"
    assert {day for day, kind in kinds.items() if kind == "holiday"} == {
        dt.date(2026, 9, 25),
        dt.date(2026, 9, 26),
        dt.date(2026, 9, 27),
        *(dt.date(2026, 10, day) for day in range(1, 8)),
    }


@pytest.mark.parametrize(("accepted", "first_contact", "progress", "result"), ACCEPTANCES)
def test_acceptance_promises_a_first_contact_in_2_hours_progress_in_3_and_a_result_in_15_working_days(
    travel, hall, clerk, accepted, first_contact, progress, result
):
    complaint = accept_at(travel, accepted, hall, clerk)

    assert not complaint.urgent
    assert_promised(complaint, first_contact, progress, result)
    assert {clock.started_at for clock in SlaClock.objects.filter(object_id=complaint.pk)} == {accepted}
    assert Complaint.objects.get(pk=complaint.pk).next_due_at == first_contact


URGENT_ACCEPTANCES = [
    pytest.param(FRIDAY_EVENING, *URGENT_ON_FRIDAY_EVENING.values(), id="friday-evening"),
    pytest.param(
        at(2026, 9, 30, 16, 0),
        at(2026, 9, 30, 17, 0),
        end_of(2026, 10, 9),
        end_of(2026, 10, 16),
        id="the-day-before-the-national-day-week",
    ),
    pytest.param(
        at(2026, 10, 9, 17, 0),
        at(2026, 10, 9, 18, 0),
        end_of(2026, 10, 12),
        end_of(2026, 10, 20),
        id="friday-before-the-make-up-saturday",
    ),
]


@pytest.mark.parametrize(("accepted", "first_contact", "progress", "result"), URGENT_ACCEPTANCES)
def test_a_loss_still_going_on_gets_half_of_each_window_rounded_up_to_whole_working_days(
    travel, hall, clerk, accepted, first_contact, progress, result
):
    complaint = accept_at(travel, accepted, hall, clerk, ongoing_loss=True)

    assert Complaint.objects.get(pk=complaint.pk).urgent
    # 2 h → 1 h; 3 working days → 2; 15 → 8
    assert_promised(complaint, first_contact, progress, result)


@pytest.mark.parametrize("flag", ["key_customer", "elderly_alone"])
def test_a_key_customer_or_an_elderly_person_living_alone_is_urgent_whatever_the_complaint(travel, hall, clerk, flag):
    Customer.objects.create(hall=hall, name="王老伯", phone="13700137000", **{flag: True})

    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk, phone="13700137000")

    assert complaint.customer.phone == "13700137000"
    assert Complaint.objects.get(pk=complaint.pk).urgent
    assert running(complaint) == URGENT_ON_FRIDAY_EVENING


def test_an_ordinary_returning_customer_is_not_urgent(travel, hall, clerk):
    Customer.objects.create(hall=hall, name="王老伯", phone="13700137000", disabled=True)

    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk, phone="13700137000")

    assert not Complaint.objects.get(pk=complaint.pk).urgent
    assert running(complaint)["first_contact"] == at(2026, 11, 20, 20, 30)


def test_a_key_customer_of_another_hall_is_not_urgent_here(travel, hall, clerk):
    Customer.objects.create(hall=HallFactory(code="north"), name="王老伯", phone="13700137000", key_customer=True)

    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk, phone="13700137000")

    assert not Complaint.objects.get(pk=complaint.pk).urgent
    assert running(complaint)["progress"] == end_of(2026, 11, 25)


def test_an_urgent_share_changed_for_the_hall_applies_to_new_complaints_only(travel, hall, clerk):
    before = accept_at(travel, FRIDAY_EVENING, hall, clerk, ongoing_loss=True)
    for policy in SlaPolicy.objects.filter(hall=hall, key__startswith="complaint-"):
        policy.urgent_percent = 25
        policy.save()

    after = accept_at(travel, at(2026, 11, 20, 18, 40), hall, clerk, phone="13900000001", ongoing_loss=True)
    ordinary = accept_at(travel, at(2026, 11, 20, 18, 50), hall, clerk, phone="13900000002")

    assert running(before) == URGENT_ON_FRIDAY_EVENING
    assert promised(before)["progress"] == end_of(2026, 11, 24)
    # 2 h at 25 % is 30 minutes; 3 working days → 1 (0.75 rounded up); 15 → 4 (3.75 rounded up)
    assert running(after) == {
        "first_contact": at(2026, 11, 20, 19, 10),
        "progress": end_of(2026, 11, 23),
        "result": end_of(2026, 11, 26),
    }
    assert running(ordinary) == {
        "first_contact": at(2026, 11, 20, 20, 50),
        "progress": end_of(2026, 11, 25),
        "result": end_of(2026, 12, 11),
    }


def test_the_hall_can_shorten_the_urgent_follow_up_too_but_by_default_every_customer_gets_24_hours(travel, hall, clerk):
    urgent = accept_at(travel, FRIDAY_EVENING, hall, clerk, ongoing_loss=True)
    travel(at(2026, 11, 21, 10, 15))
    services.complaint_resolve(complaint=urgent, resolution="已恢复供电", customer_confirmed=True, actor=clerk)
    policy = SlaPolicy.objects.get(hall=hall, key="complaint-follow-up")
    policy.urgent_percent = 50
    policy.save()
    later = accept_at(travel, at(2026, 11, 21, 10, 20), hall, clerk, phone="13900000001", ongoing_loss=True)
    services.complaint_resolve(complaint=later, resolution="已恢复供电", customer_confirmed=True, actor=clerk)

    assert running(urgent) == {"follow_up": at(2026, 11, 22, 10, 15)}
    assert running(later) == {"follow_up": at(2026, 11, 21, 22, 20)}


# Each step stops its own clock


def test_the_first_investigation_note_is_the_first_contact_and_stops_only_that_clock(travel, hall, clerk):
    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk)
    travel(at(2026, 11, 20, 19, 5))

    complaint = services.complaint_investigate(complaint=complaint, note="已电话联系客户", actor=clerk)

    complaint.refresh_from_db()
    assert complaint.first_contact_at == at(2026, 11, 20, 19, 5)
    (first_contact,) = clock_rows(complaint, "first_contact")
    assert first_contact.stopped_at == at(2026, 11, 20, 19, 5)
    assert sla.clock_state(first_contact) == "stopped"
    assert running(complaint) == {"progress": end_of(2026, 11, 25), "result": end_of(2026, 12, 11)}
    assert complaint.next_due_at == end_of(2026, 11, 25)
    assert complaint.first_contact_due == at(2026, 11, 20, 20, 30)


def test_a_later_investigation_note_keeps_the_first_contact_time(travel, hall, clerk):
    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk)
    travel(at(2026, 11, 20, 19, 5))
    complaint = services.complaint_investigate(complaint=complaint, note="已电话联系客户", actor=clerk)
    travel(at(2026, 11, 23, 9, 0))

    complaint = services.complaint_investigate(complaint=complaint, note="调取抄表记录", actor=clerk)

    complaint.refresh_from_db()
    assert complaint.first_contact_at == at(2026, 11, 20, 19, 5)
    assert clock_rows(complaint, "first_contact")[0].stopped_at == at(2026, 11, 20, 19, 5)
    assert running(complaint) == {"progress": end_of(2026, 11, 25), "result": end_of(2026, 12, 11)}


def test_a_progress_report_without_an_investigation_note_is_the_first_contact_and_stops_progress(travel, hall, clerk):
    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk)
    travel(at(2026, 11, 20, 21, 0))  # half an hour late

    complaint = services.complaint_progress(complaint=complaint, note="已告知客户正在核查", actor=clerk)

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ACCEPTED
    assert complaint.first_contact_at == at(2026, 11, 20, 21, 0)
    assert sla.clock_state(clock_rows(complaint, "first_contact")[0]) == "late"
    assert clock_rows(complaint, "progress")[0].stopped_at == at(2026, 11, 20, 21, 0)
    assert running(complaint) == {"result": end_of(2026, 12, 11)}
    assert complaint.next_due_at == end_of(2026, 12, 11)


def test_the_resolution_stops_the_result_clock_and_the_follow_up_is_due_24_hours_later(travel, hall, clerk):
    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk)
    travel(at(2026, 11, 20, 19, 0))
    complaint = services.complaint_investigate(complaint=complaint, note="已联系", actor=clerk)
    travel(at(2026, 11, 21, 10, 15))  # a Saturday: hours do not care

    complaint = services.complaint_resolve(
        complaint=complaint, resolution="抄表错误，已退费", customer_confirmed=True, actor=clerk
    )

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED
    assert complaint.resolved_at == at(2026, 11, 21, 10, 15)
    assert [clock.stopped_at for clock in clock_rows(complaint, "result")] == [at(2026, 11, 21, 10, 15)]
    assert [clock.stopped_at for clock in clock_rows(complaint, "progress")] == [at(2026, 11, 21, 10, 15)]
    assert running(complaint) == {"follow_up": at(2026, 11, 22, 10, 15)}
    assert promised(complaint)["follow_up"] == at(2026, 11, 22, 10, 15)
    assert complaint.next_due_at == at(2026, 11, 22, 10, 15)


def test_the_follow_up_stops_the_last_clock(travel, hall, clerk):
    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk)
    travel(at(2026, 11, 21, 10, 15))
    complaint = services.complaint_resolve(
        complaint=complaint, resolution="已退费", customer_confirmed=True, actor=clerk
    )
    travel(at(2026, 11, 22, 9, 0))

    complaint = services.complaint_follow_up(complaint=complaint, satisfaction=5, note="满意", actor=clerk)

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.FOLLOWED_UP
    assert complaint.followed_up_at == at(2026, 11, 22, 9, 0)
    assert running(complaint) == {}
    assert complaint.next_due_at is None
    assert sla.clock_state(clock_rows(complaint, "follow_up")[0]) == "stopped"


def test_resolving_without_any_contact_counts_as_the_first_contact(travel, hall, clerk):
    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk)
    travel(at(2026, 11, 20, 19, 0))

    complaint = services.complaint_resolve(complaint=complaint, resolution="当场解释清楚", customer_confirmed=True)

    complaint.refresh_from_db()
    assert complaint.first_contact_at == at(2026, 11, 20, 19, 0)
    assert running(complaint) == {"follow_up": at(2026, 11, 21, 19, 0)}


# Reopening


def resolved(travel, hall, clerk, *, ongoing_loss=False):
    """Accepted Friday evening, contacted, reported on, resolved on Monday 10:00."""
    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk, ongoing_loss=ongoing_loss)
    travel(at(2026, 11, 20, 19, 0))
    complaint = services.complaint_investigate(complaint=complaint, note="已联系", actor=clerk)
    travel(at(2026, 11, 23, 9, 0))
    complaint = services.complaint_progress(complaint=complaint, note="正在核查", actor=clerk)
    travel(at(2026, 11, 23, 10, 0))
    return services.complaint_resolve(complaint=complaint, resolution="已退费", customer_confirmed=True, actor=clerk)


def assert_reopened_at(complaint, moment, progress, result):
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.INVESTIGATING
    assert complaint.reopen_count == 1
    assert complaint.resolved_at is None
    assert running(complaint) == {"progress": progress, "result": result}
    assert promised(complaint)["progress"] == progress
    assert promised(complaint)["result"] == result
    assert complaint.next_due_at == progress
    for name in ("progress", "result"):
        earlier, restarted = clock_rows(complaint, name)
        assert earlier.stopped_at is not None
        assert (restarted.started_at, restarted.stopped_at, restarted.level) == (moment, None, SlaLevel.RUNNING)
    assert [clock.stopped_at for clock in clock_rows(complaint, "first_contact")] == [at(2026, 11, 20, 19, 0)]


def test_reopening_a_resolved_complaint_restarts_progress_and_result_from_that_moment_and_stops_the_follow_up(
    travel, hall, clerk
):
    complaint = resolved(travel, hall, clerk)
    travel(at(2026, 11, 24, 9, 0))

    complaint = services.complaint_reopen(complaint=complaint, reason="客户称仍未退费", actor=clerk)

    # Tue 24 does not count: Wed 25, Thu 26, Fri 27; 15 working days end on Tue Dec 15
    assert_reopened_at(complaint, at(2026, 11, 24, 9, 0), end_of(2026, 11, 27), end_of(2026, 12, 15))
    (follow_up,) = clock_rows(complaint, "follow_up")
    assert follow_up.stopped_at == at(2026, 11, 24, 9, 0)
    assert sla.clock_state(follow_up) == "stopped"


def test_an_unsatisfied_follow_up_restarts_progress_and_result_the_same_way(travel, hall, clerk):
    complaint = resolved(travel, hall, clerk)
    travel(at(2026, 11, 24, 9, 0))

    complaint = services.complaint_follow_up(complaint=complaint, satisfaction=2, note="仍不满意", actor=clerk)

    assert_reopened_at(complaint, at(2026, 11, 24, 9, 0), end_of(2026, 11, 27), end_of(2026, 12, 15))
    complaint.refresh_from_db()
    assert (complaint.satisfaction, complaint.followed_up_at) == (2, None)
    assert [clock.stopped_at for clock in clock_rows(complaint, "follow_up")] == [at(2026, 11, 24, 9, 0)]


def test_reopening_after_a_satisfied_follow_up_counts_from_the_reopening(travel, hall, clerk):
    complaint = resolved(travel, hall, clerk)
    travel(at(2026, 11, 24, 9, 0))
    complaint = services.complaint_follow_up(complaint=complaint, satisfaction=5, actor=clerk)
    travel(at(2026, 11, 25, 14, 0))

    complaint = services.complaint_reopen(complaint=complaint, reason="问题再次出现", actor=clerk)

    assert_reopened_at(complaint, at(2026, 11, 25, 14, 0), end_of(2026, 11, 30), end_of(2026, 12, 16))
    assert running(complaint).keys() == {"progress", "result"}


def test_a_reopened_urgent_complaint_keeps_its_urgent_share(travel, hall, clerk):
    complaint = resolved(travel, hall, clerk, ongoing_loss=True)
    travel(at(2026, 11, 24, 9, 0))

    complaint = services.complaint_reopen(complaint=complaint, reason="又停电了", actor=clerk)

    assert_reopened_at(complaint, at(2026, 11, 24, 9, 0), end_of(2026, 11, 26), end_of(2026, 12, 4))


def test_a_complaint_reopened_before_the_national_day_week_counts_the_make_up_saturday(travel, hall, clerk):
    complaint = accept_at(travel, at(2026, 9, 28, 9, 0), hall, clerk)
    travel(at(2026, 9, 29, 15, 0))
    complaint = services.complaint_resolve(complaint=complaint, resolution="已处理", customer_confirmed=True)
    travel(at(2026, 9, 30, 11, 0))

    complaint = services.complaint_follow_up(complaint=complaint, satisfaction=1, note="没有解决", actor=clerk)

    assert running(complaint) == {"progress": end_of(2026, 10, 10), "result": end_of(2026, 10, 27)}


def test_a_second_reopening_restarts_the_clocks_again(travel, hall, clerk):
    complaint = resolved(travel, hall, clerk)
    travel(at(2026, 11, 24, 9, 0))
    complaint = services.complaint_reopen(complaint=complaint, reason="未退费", actor=clerk)
    travel(at(2026, 11, 25, 9, 0))
    complaint = services.complaint_resolve(complaint=complaint, resolution="已退费", customer_confirmed=True)
    travel(at(2026, 11, 26, 9, 0))

    complaint = services.complaint_follow_up(complaint=complaint, satisfaction=3, note="金额不对", actor=clerk)

    complaint.refresh_from_db()
    assert complaint.reopen_count == 2
    assert running(complaint) == {"progress": end_of(2026, 12, 1), "result": end_of(2026, 12, 17)}
    assert len(clock_rows(complaint, "result")) == 3
    assert SlaClock.objects.filter(object_id=complaint.pk, stopped_at__isnull=True).count() == 2


# A stopped clock never fires


def stop_first_contact(complaint, travel, clerk):
    travel(at(2026, 11, 20, 18, 45))
    return services.complaint_investigate(complaint=complaint, note="已联系", actor=clerk)


def stop_progress(complaint, travel, clerk):
    travel(at(2026, 11, 23, 9, 0))  # before half the progress window (Mon 09:14:59.5)
    return services.complaint_progress(complaint=complaint, note="正在核查", actor=clerk)


def stop_result(complaint, travel, clerk):
    travel(at(2026, 11, 23, 9, 0))
    return services.complaint_resolve(complaint=complaint, resolution="已退费", customer_confirmed=True, actor=clerk)


def stop_follow_up(complaint, travel, clerk):
    complaint = stop_result(complaint, travel, clerk)
    travel(at(2026, 11, 23, 15, 0))  # the follow-up's half is at 21:00
    return services.complaint_follow_up(complaint=complaint, satisfaction=5, actor=clerk)


@pytest.mark.parametrize(
    ("name", "step"),
    [
        ("first_contact", stop_first_contact),
        ("progress", stop_progress),
        ("result", stop_result),
        ("follow_up", stop_follow_up),
    ],
)
def test_a_clock_stopped_by_its_step_never_fires_even_long_after_its_deadline(travel, hall, clerk, name, step):
    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk)
    complaint = step(complaint, travel, clerk)
    (stopped,) = clock_rows(complaint, name)
    window = stopped.due_at - stopped.started_at

    for share in (0.5, 0.75, 1, 2, 30):
        travel(stopped.started_at + window * share)
        sla.sla_sweep()

    (stopped,) = clock_rows(complaint, name)
    assert (stopped.level, stopped.next_level_at) == (SlaLevel.RUNNING, None)
    assert not Notification.objects.filter(subject__contains=stopped.label).exists()


def test_the_sweep_writes_nothing_past_a_stopped_first_contact_deadline(travel, hall, clerk):
    complaint = accept_at(travel, FRIDAY_EVENING, hall, clerk)
    stop_first_contact(complaint, travel, clerk)

    for moment in (at(2026, 11, 20, 19, 30), at(2026, 11, 20, 20, 30), at(2026, 11, 20, 22, 30)):
        travel(moment)
        assert sla.sla_sweep() == 0

    assert not Notification.objects.exists()
