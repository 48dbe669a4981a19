"""The repair, complaint and hall-wide figures (docs/KPIS.md), hand-computed on small histories made through the
services, at a given "now"."""

import datetime as dt
import json
import zoneinfo

import pytest
import time_machine

from complaints import services as complaints
from hall.calendar import load_holidays
from hall.models import Role
from repairs import services as repairs
from reports import engine
from reports.models import DayParts
from staff import services as staff
from tests.factories import accept_complaint, person, register_repair

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 2)  # a Monday


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def on(day, hour, minute=0):
    return time_machine.travel(at(day, hour, minute), tick=False)


def next_day(n=1):
    return DAY + dt.timedelta(days=n)


def figures(hall, first=DAY, last=DAY, group_by="total"):
    """{group key: {figure: value}} of the hall's days first..last."""
    return {row["key"]: row["figures"] for row in engine.kpis(halls=[hall], first=first, last=last, group_by=group_by)}


def total(hall, first=DAY, last=DAY):
    return figures(hall, first, last)["total"]


def ratio(figure):
    return (figure["numerator"], figure["denominator"], figure["value"])


@pytest.fixture
def worker(hall):
    return person(hall, "worker", Role.REPAIR_WORKER)


@pytest.fixture
def stand_in_queue(monkeypatch):
    """The queue's shared parts (served tickets, pad ratings) given per day by a source of their own:
    `stand_in_queue({day: parts})`. The tests using it issue no tickets, so the queue's source adds nothing."""

    def install(by_day):
        def parts(halls, first, last):
            for hall in halls:
                for day, values in by_day.items():
                    if first <= day <= last:
                        yield hall.pk, day, "total", "", values

        monkeypatch.setattr(engine, "SOURCES", [*engine.SOURCES, engine.Source(name="stand-in", parts=parts)])

    return install


def repair_at(hall, clerk, day, hour, **fields):
    with on(day, hour):
        return register_repair(hall, actor=clerk, **fields)


def arrive_at(repair, worker, clerk, day, hour, minute=0):
    with on(day, hour, minute):
        if repair.status != "dispatched":
            repair = repairs.repair_dispatch(repair=repair, worker=worker, actor=clerk)
        return repairs.repair_arrive(repair=repair, actor=worker)


def complete_at(repair, worker, day, hour):
    with on(day, hour):
        return repairs.repair_complete(repair=repair, notes="已修复", actor=worker)


def callback_at(repair, clerk, day, hour, satisfaction):
    with on(day, hour):
        return repairs.repair_callback(repair=repair, satisfaction=satisfaction, actor=clerk)


# Repairs


def test_response_timeliness_counts_decided_orders_against_the_deadline_at_registration(hall, clerk, worker):
    on_time = repair_at(hall, clerk, DAY, 9, urgency=1, phone="13800000001", address="一")  # due 11:00
    late = repair_at(hall, clerk, DAY, 9, urgency=2, phone="13800000002", address="二")  # due 13:00
    repair_at(hall, clerk, DAY, 9, urgency=3, phone="13800000003", address="三")  # due 17:00, nobody yet
    repair_at(hall, clerk, DAY, 10, urgency=3, key_customer=True, phone="13800000004", address="四")  # due 14:00
    arrive_at(on_time, worker, clerk, DAY, 10, 30)
    arrive_at(late, worker, clerk, DAY, 14)

    with on(DAY, 16):
        figures_at_four = total(hall)
        by_hour = figures(hall, group_by="hour")
    with on(DAY, 18):
        figures_at_six = total(hall)

    assert figures_at_four["repairs_registered"]["value"] == 4
    # At 16:00 the 17:00 deadline still runs: not decided. The key customer's 14:00 one has passed: late.
    assert ratio(figures_at_four["response_timeliness"]) == (1, 3, 1 / 3)
    assert ratio(figures_at_four["response_timeliness_urgency_1"]) == (1, 1, 1.0)
    assert ratio(figures_at_four["response_timeliness_urgency_2"]) == (0, 1, 0.0)
    assert ratio(figures_at_four["response_timeliness_urgency_3"]) == (0, 1, 0.0)
    assert ratio(figures_at_four["response_timeliness_key_customer"]) == (0, 1, 0.0)
    assert ratio(by_hour["9"]["response_timeliness"]) == (1, 2, 0.5)
    assert ratio(by_hour["10"]["response_timeliness"]) == (0, 1, 0.0)
    assert ratio(figures_at_six["response_timeliness"]) == (1, 4, 0.25)
    assert ratio(figures_at_six["response_timeliness_urgency_3"]) == (0, 2, 0.0)


def test_a_callback_the_next_morning_counts_for_the_registration_day(hall, clerk, worker):
    first = repair_at(hall, clerk, DAY, 14, urgency=1, phone="13800000001", address="一")  # due 16:00
    first = arrive_at(first, worker, clerk, DAY, 15)
    first = complete_at(first, worker, DAY, 16)  # callback due tomorrow 16:00
    first = callback_at(first, clerk, next_day(), 9, satisfaction=2)  # sent back: a new response clock
    first = arrive_at(first, worker, clerk, next_day(), 20)  # after the new deadline (11:00): late, but not here
    first = complete_at(first, worker, next_day(), 21)
    callback_at(first, clerk, next_day(3), 9, satisfaction=5)  # a day late
    second = repair_at(hall, clerk, DAY, 15, urgency=1, phone="13800000001", address="一")
    assert second.repeat_of == first

    with on(next_day(4), 12):
        day = total(hall)
        next_days = total(hall, next_day(), next_day(3))
        by_clerk = figures(hall, group_by="clerk")

    assert ratio(day["callback_on_time"]) == (1, 2, 0.5)
    assert ratio(day["repair_satisfaction"]) == (1, 2, 0.5)
    assert ratio(day["response_timeliness"]) == (1, 2, 0.5)  # the first arrival was on time; the second order late
    assert day["repairs_reopened"]["value"] == 1
    assert day["repeat_reports"]["value"] == 1
    # The SLA split has every respond clock, the one started by the callback too: on time, late, and the second's.
    assert ratio(day["sla_on_time_repairs_respond"]) == (1, 3, 1 / 3)
    assert ratio(day["sla_on_time_repairs"]) == (2, 5, 0.4)
    assert next_days["callback_on_time"]["value"] is None
    assert next_days["repair_satisfaction"]["denominator"] == 0
    assert by_clerk[str(clerk.pk)]["repairs_registered"]["value"] == 2
    assert ratio(by_clerk[str(clerk.pk)]["callback_on_time"]) == (1, 2, 0.5)


# Complaints


def test_a_working_day_clock_counts_the_national_day_holiday_and_the_make_up_saturday(hall, clerk):
    load_holidays(year=2026)
    autumn = dt.date(2026, 9, 30)
    with on(autumn, 10):
        in_time = accept_complaint(hall, actor=clerk, phone="13700000001")
        too_late = accept_complaint(hall, actor=clerk, phone="13700000002")
    # Three working days from Sept 30: Oct 8, Oct 9 and the make-up Saturday Oct 10, to 23:59:59.
    assert in_time.progress_due == dt.datetime(2026, 10, 10, 23, 59, 59, tzinfo=SHANGHAI)
    with on(dt.date(2026, 10, 10), 20):
        complaints.complaint_progress(complaint=in_time, note="已联系供电所", actor=clerk)
    with on(dt.date(2026, 10, 11), 9):
        complaints.complaint_progress(complaint=too_late, note="已联系供电所", actor=clerk)

    with on(dt.date(2026, 10, 12), 9):
        result = total(hall, autumn, autumn)

    assert ratio(result["progress_on_time"]) == (1, 2, 0.5)
    assert ratio(result["first_contact_on_time"]) == (0, 2, 0.0)  # 2 hours, long gone
    assert result["result_on_time"]["denominator"] == 0  # 15 working days still running
    assert result["result_on_time"]["value"] is None
    assert result["follow_up_on_time"]["value"] is None


def test_the_complaint_rate_is_null_without_service_volume_and_counts_served_tickets_and_repairs(
    hall, clerk, stand_in_queue
):
    stand_in_queue({DAY: {"served": 18}, next_day(): {"served": 10}})
    repair_at(hall, clerk, DAY, 9, phone="13800000001", address="一")
    repair_at(hall, clerk, DAY, 10, phone="13800000002", address="二")
    with on(DAY, 11):
        accept_complaint(hall, actor=clerk, channel="phone", category="service")

    with on(next_day(5), 9):
        day = total(hall)
        quiet = total(hall, next_day(), next_day())
        empty = total(hall, next_day(2), next_day(3))

    assert ratio(day["complaint_rate"]) == (1, 20, 0.05)
    assert day["complaints_accepted"]["value"] == 1
    assert day["complaints_accepted_channel_phone"]["value"] == 1
    assert day["complaints_accepted_category_service"]["value"] == 1
    assert day["complaints_accepted_category_billing"]["value"] == 0
    assert ratio(quiet["complaint_rate"]) == (0, 10, 0.0)
    assert ratio(empty["complaint_rate"]) == (0, 0, None)


def test_repeat_complainants_are_counted_over_the_period_not_added_up_over_days(hall, clerk):
    with on(DAY, 9):
        accept_complaint(hall, actor=clerk, phone="13700000001")
        accept_complaint(hall, actor=clerk, phone="13700000002")
        accept_complaint(hall, actor=clerk, phone="137-0000-0002")
        accept_complaint(hall, actor=clerk, phone="13700000003")
    with on(next_day(), 9):
        accept_complaint(hall, actor=clerk, phone="13700000001")

    with on(next_day(3), 9):
        live = {
            "first": total(hall)["repeat_complainants"]["value"],
            "second": total(hall, next_day(), next_day())["repeat_complainants"]["value"],
            "both": total(hall, DAY, next_day())["repeat_complainants"]["value"],
        }
        engine.rollup([hall], DAY, next_day())
        rolled = total(hall, DAY, next_day())["repeat_complainants"]["value"]

    assert live == {"first": 1, "second": 0, "both": 2}
    assert rolled == 2
    stored = json.dumps(list(DayParts.objects.values_list("parts", flat=True)))
    assert "13700000001" not in stored and "13700000002" not in stored


def test_complaint_satisfaction_and_reopened(hall, clerk):
    with on(DAY, 9):
        kept = accept_complaint(hall, actor=clerk, phone="13700000001")
        sent_back = accept_complaint(hall, actor=clerk, phone="13700000002")
    with on(DAY, 15):
        for complaint in (kept, sent_back):
            complaints.complaint_resolve(complaint=complaint, resolution="已退费", customer_confirmed=True, actor=clerk)
    with on(next_day(), 10):  # within the 24 hours
        complaints.complaint_follow_up(complaint=kept, satisfaction=5, actor=clerk)
    with on(next_day(2), 10):  # late
        complaints.complaint_follow_up(complaint=sent_back, satisfaction=2, actor=clerk)

    with on(next_day(3), 9):
        day = total(hall)

    assert ratio(day["complaint_satisfaction"]) == (1, 2, 0.5)
    assert day["complaints_reopened"]["value"] == 1
    assert ratio(day["follow_up_on_time"]) == (1, 2, 0.5)
    assert ratio(day["result_on_time"]) == (2, 2, 1.0)  # the reopened one's new result clock still runs


# Across the hall


def test_customer_satisfaction_pools_pad_ratings_repair_callbacks_and_complaint_follow_ups(
    hall, clerk, worker, stand_in_queue
):
    stand_in_queue({DAY: {"served": 12, "ratings": 10, "ratings_satisfied": 9}})
    repair = repair_at(hall, clerk, DAY, 9, urgency=1)
    repair = arrive_at(repair, worker, clerk, DAY, 10)
    repair = complete_at(repair, worker, DAY, 11)
    callback_at(repair, clerk, DAY, 15, satisfaction=3)
    with on(DAY, 9):
        complaint = accept_complaint(hall, actor=clerk)
    with on(DAY, 12):
        complaint = complaints.complaint_resolve(
            complaint=complaint, resolution="已解释", customer_confirmed=True, actor=clerk
        )
    with on(DAY, 16):
        complaints.complaint_follow_up(complaint=complaint, satisfaction=4, actor=clerk)

    with on(next_day(), 9):
        day = total(hall)

    assert ratio(day["customer_satisfaction"]) == (10, 12, 10 / 12)
    assert ratio(day["repair_satisfaction"]) == (0, 1, 0.0)
    assert ratio(day["complaint_satisfaction"]) == (1, 1, 1.0)


def test_sampled_callbacks_join_the_pool_when_a_source_gives_them(hall, stand_in_queue):
    stand_in_queue({DAY: {"ratings": 1, "ratings_satisfied": 1, "callbacks_answered": 3, "callbacks_satisfied": 1}})

    with on(next_day(), 9):
        assert ratio(total(hall)["customer_satisfaction"]) == (2, 4, 0.5)


def test_chores_on_time_per_person_responsible(hall):
    manager = person(hall, "boss", Role.HALL_MANAGER)
    a, b = person(hall, "a"), person(hall, "b")
    chore = staff.chore_create(hall=hall, name="开启排队机", a=a, b=b, schedule="daily 08:00", actor=manager)
    duties = {}
    for n in range(3):
        with on(next_day(n), 6):
            [duties[n]] = staff.duties_generate(hall=hall, date=next_day(n))
    with on(DAY, 7, 50):
        staff.duty_complete(duty=duties[0], actor=a)
    with on(next_day(), 8, 20):  # after its time, within the half hour before it is chased
        staff.duty_complete(duty=duties[1], actor=a)

    with on(next_day(2), 7):  # today's is not due yet
        period = total(hall, DAY, next_day(2))
        by_clerk = figures(hall, DAY, next_day(2), "clerk")
    with on(next_day(2), 9):
        later = total(hall, DAY, next_day(2))

    assert chore.a == a
    assert ratio(period["chores_on_time"]) == (1, 2, 0.5)
    assert ratio(by_clerk[str(a.pk)]["chores_on_time"]) == (1, 2, 0.5)
    # The duty's SLA clock judges the grace window: both were done within it.
    assert ratio(period["sla_on_time_chores"]) == (2, 2, 1.0)
    assert ratio(period["sla_on_time"]) == (2, 2, 1.0)
    assert ratio(later["chores_on_time"]) == (1, 3, 1 / 3)


# The roll-up


def test_the_rollup_gives_the_case_figures_of_the_live_path(hall, clerk, worker):
    repair = repair_at(hall, clerk, DAY, 9, urgency=1)
    repair = arrive_at(repair, worker, clerk, DAY, 12)
    repair = complete_at(repair, worker, DAY, 13)
    callback_at(repair, clerk, next_day(), 9, satisfaction=2)
    repair_at(hall, clerk, next_day(), 23, urgency=2, phone="13800000009", address="九")
    with on(DAY, 9):
        complaint = accept_complaint(hall, actor=clerk, phone="13700000001")
    with on(next_day(), 10):
        accept_complaint(hall, actor=clerk, phone="13700000001", channel="web")
        complaints.complaint_resolve(complaint=complaint, resolution="已解释", customer_confirmed=True, actor=clerk)
    a = person(hall, "a")
    staff.chore_create(
        hall=hall, name="巡查", a=a, b=clerk, schedule="daily 08:00", actor=person(hall, "boss", Role.HALL_MANAGER)
    )
    with on(DAY, 6):
        [duty] = staff.duties_generate(hall=hall, date=DAY)
    with on(DAY, 9):
        staff.duty_complete(duty=duty, actor=a)

    last = next_day(3)
    with on(next_day(4), 12):
        live = {g: engine.kpis(halls=[hall], first=DAY, last=last, group_by=g) for g in engine.GROUPINGS}
        engine.rollup([hall], DAY, last)
        rolled = {g: engine.kpis(halls=[hall], first=DAY, last=last, group_by=g) for g in engine.GROUPINGS}

    assert rolled == live
    whole = live["total"][0]["figures"]
    assert whole["repairs_registered"]["value"] == 2
    assert whole["complaints_accepted"]["value"] == 2
    assert whole["repeat_complainants"]["value"] == 1
    assert ratio(whole["chores_on_time"]) == (0, 1, 0.0)


def test_halls_in_other_time_zones_count_their_own_local_days(hall, north, clerk, north_clerk):
    north.timezone = "Asia/Urumqi"  # UTC+6, two hours behind the hall
    north.save()
    with on(DAY, 23, 30):
        register_repair(hall, actor=clerk)
    with on(next_day(), 1, 30):  # 23:30 on Nov 2 in Urumqi
        register_repair(north, actor=north_clerk, phone="13900000000", address="北街")
        accept_complaint(north, actor=north_clerk)

    with on(next_day(3), 12):
        rows = {
            (first.day, row["key"], name): row["figures"][name]["value"]
            for first in (DAY, next_day())
            for row in engine.kpis(halls=[hall, north], first=first, last=first, group_by="hall")
            for name in ("repairs_registered", "complaints_accepted")
            if row["figures"][name]["value"]
        }
        by_hour = figures(north, group_by="hour")

    assert rows == {
        (2, str(hall.pk), "repairs_registered"): 1,
        (2, str(north.pk), "repairs_registered"): 1,
        (2, str(north.pk), "complaints_accepted"): 1,
    }
    assert by_hour["23"]["repairs_registered"]["value"] == 1
