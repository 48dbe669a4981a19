"""The queue's figures (KPIS.md "The queue") on small days built through the real services, against hand-computed
values; and the roll-up giving the same figures as the live path over all of them."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from hall.models import Role
from reports import engine
from reports.models import DayParts
from tests.factories import CounterFactory, UserFactory, issue
from tickets import services
from tickets.models import CounterStatus

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 2)  # a Monday
NEXT = DAY + dt.timedelta(days=1)


def at(hour, minute=0, second=0, day=DAY):
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    """A stopped clock; each step of a scenario moves it to the hall time it happens at."""
    with time_machine.travel(at(8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def counter_c(hall, types):
    """Counter 3, serving C, with its own clerk."""
    clerk = UserFactory(hall=hall, username="clerk3", roles=[Role.CLERK])
    return CounterFactory(hall=hall, number=3, clerk=clerk, serves=[types["C"]])


def kpis(hall, first, last=None, group_by="total"):
    """{group key: figures}, read on the day after the last (so every day of the period is closed)."""
    last = last or first
    with time_machine.travel(at(12, day=last + dt.timedelta(days=3)), tick=False):
        rows = engine.kpis(halls=[hall], first=first, last=last, group_by=group_by)
    return {row["key"]: row["figures"] for row in rows}


def value(figures, name):
    return figures[name]["value"]


def called(clock, counter, moment, actor=None):
    clock.move_to(moment)
    return services.ticket_call_next(counter=counter, actor=actor)


def served(clock, ticket, start, end, actor=None):
    clock.move_to(start)
    services.ticket_start(ticket=ticket, actor=actor)
    clock.move_to(end)
    return services.ticket_finish(ticket=ticket, actor=actor)


def issued(clock, hall, business_type, moment):
    clock.move_to(moment)
    return issue(hall, business_type)


# The scenarios: each at its own time of DAY (and the night after), with nobody left waiting for another's counters.


def midnight(clock, hall, types, counter):
    """Issued at 23:58, called at 00:10 the next day, served until 00:15."""
    ticket = issued(clock, hall, types["A"], at(23, 58))
    called(clock, counter, at(0, 10, day=NEXT))
    return served(clock, ticket, at(0, 10, day=NEXT), at(0, 15, day=NEXT))


def transfer(clock, hall, types, counter, counter_c):
    """A issued 09:00, called 09:10 at counter 1, served 09:11–09:15 and transferred to C; called at counter 3 at
    09:27 and served 09:27–09:33. Wait 10, transfer wait 12, stints 4 and 6: service 10."""
    ticket = issued(clock, hall, types["A"], at(9))
    called(clock, counter, at(9, 10))
    clock.move_to(at(9, 11))
    services.ticket_start(ticket=ticket)
    clock.move_to(at(9, 15))
    services.ticket_transfer(ticket=ticket, business_type=types["C"])
    assert called(clock, counter_c, at(9, 27)) == ticket
    return served(clock, ticket, at(9, 27), at(9, 33))


def recall(clock, hall, types, counter):
    """Issued 10:00, called 10:05, recalled 10:07 and 10:09, served 10:10–10:20: wait 5."""
    ticket = issued(clock, hall, types["A"], at(10))
    called(clock, counter, at(10, 5))
    for minute in (7, 9):
        clock.move_to(at(10, minute))
        services.ticket_recall(ticket=ticket)
    return served(clock, ticket, at(10, 10), at(10, 20))


def no_shows(clock, hall, types, counter):
    """First issued 11:00, called 11:04, a no-show at 11:08, back at 11:30, called again 11:35 and served until
    11:40: wait 4, served. Second issued 11:01, called 11:09 (wait 8), a no-show for good at 11:12."""
    first = issued(clock, hall, types["A"], at(11))
    second = issued(clock, hall, types["A"], at(11, 1))
    assert called(clock, counter, at(11, 4)) == first
    clock.move_to(at(11, 8))
    services.ticket_no_show(ticket=first)
    assert called(clock, counter, at(11, 9)) == second
    clock.move_to(at(11, 12))
    services.ticket_no_show(ticket=second)
    clock.move_to(at(11, 30))
    services.ticket_reactivate(ticket=first)
    assert called(clock, counter, at(11, 35)) == first
    return served(clock, first, at(11, 35), at(11, 40))


def over_targets(clock, hall, types, counter):
    """B's targets are 5 minutes of waiting and 3 of service; A keeps the defaults (20 and 15).
    A waits 21 (over) and is served 16 (over); A waits 20 and is served 15 (neither); B waits 6 and is served 4
    (both over B's targets, neither over A's)."""
    types["B"].wait_target_minutes, types["B"].service_target_minutes = 5, 3
    types["B"].save()
    for business_type, issue_at, call_at, end in (
        (types["A"], at(13), at(13, 21), at(13, 37)),
        (types["A"], at(13, 40), at(14), at(14, 15)),
        (types["B"], at(14, 20), at(14, 26), at(14, 30)),
    ):
        ticket = issued(clock, hall, business_type, issue_at)
        assert called(clock, counter, call_at) == ticket
        served(clock, ticket, call_at, end)


WAITS = [2, 3, 3, 5, 8, 9, 12, 15, 30, 45]  # minutes


def ten_waits(clock, hall, types, counter):
    """Ten A tickets issued together at 15:00 and called after these waits, each served in no time. At issue each was
    promised 5 minutes (the type's default service time) per ticket ahead of it: 0, 5, … 45."""
    tickets = [issued(clock, hall, types["A"], at(15)) for _ in WAITS]
    for ticket, wait in zip(tickets, WAITS, strict=True):
        moment = at(15) + dt.timedelta(minutes=wait)
        assert called(clock, counter, moment) == ticket
        served(clock, ticket, moment, moment)
    return tickets


def ratings(clock, hall, types, counter):
    """Three tickets served 16:05–16:10, 16:25–16:30, 16:45–16:50; the first rated 5 at once, the second rated 2 the
    next morning, the third never."""
    tickets = []
    for minute in (0, 20, 40):
        ticket = issued(clock, hall, types["A"], at(16, minute))
        called(clock, counter, at(16, minute + 5))
        tickets.append(served(clock, ticket, at(16, minute + 5), at(16, minute + 10)))
    clock.move_to(at(16, 11))
    services.ticket_rate(ticket=tickets[0], score=5)
    clock.move_to(at(9, day=NEXT))
    services.ticket_rate(ticket=tickets[1], score=2)
    return tickets


def utilisation(clock, hall, types):
    """Counter 5 (D) opens 09:00, serves one ticket 09:10–09:40, pauses 12:00–13:00 and closes 15:00: open 5 hours,
    serving half an hour. Counter 6 (E) opens at 16:30 and is never closed: open until the hall closes at 17:30,
    and the next day (which has a ticket) from the hall's opening at 08:30 to 17:30."""
    clerk5 = UserFactory(hall=hall, username="clerk5", roles=[Role.CLERK])
    clerk6 = UserFactory(hall=hall, username="clerk6", roles=[Role.CLERK])
    five = CounterFactory(hall=hall, number=5, status=CounterStatus.CLOSED, serves=[types["D"]])
    six = CounterFactory(hall=hall, number=6, status=CounterStatus.CLOSED, serves=[types["E"]])
    clock.move_to(at(9))
    services.counter_open(counter=five, actor=clerk5)
    ticket = issued(clock, hall, types["D"], at(9, 5))
    called(clock, five, at(9, 10), actor=clerk5)
    served(clock, ticket, at(9, 10), at(9, 40), actor=clerk5)
    for moment, move in ((at(12), services.counter_pause), (at(13), services.counter_open)):
        clock.move_to(moment)
        move(counter=five, actor=clerk5)
    clock.move_to(at(15))
    services.counter_close(counter=five, actor=clerk5)
    clock.move_to(at(16, 30))
    services.counter_open(counter=six, actor=clerk6)
    issued(clock, hall, types["E"], at(10, day=NEXT))
    return five, six, clerk5


# The figures


def test_a_ticket_counts_on_its_issue_day_and_its_wait_crosses_midnight(clock, hall, types, counter):
    midnight(clock, hall, types, counter)

    by_day = kpis(hall, DAY, NEXT, "day")
    assert value(by_day["2026-11-02"], "issued") == 1
    assert value(by_day["2026-11-02"], "served") == 1
    assert by_day["2026-11-02"]["wait_avg"] == {"value": 12.0, "count": 1}
    assert by_day["2026-11-02"]["service_avg"] == {"value": 5.0, "count": 1}
    assert value(by_day["2026-11-03"], "issued") == 0
    assert by_day["2026-11-03"]["wait_avg"] == {"value": None, "count": 0}
    assert set(kpis(hall, DAY, NEXT, "hour")) == {"23"}


def test_a_transfer_waits_once_and_its_service_is_the_sum_of_its_stints(clock, hall, types, counter, counter_c, clerk):
    transfer(clock, hall, types, counter, counter_c)

    total = kpis(hall, DAY)["total"]
    assert (value(total, "issued"), value(total, "served")) == (1, 1)
    assert total["wait_avg"] == {"value": 10.0, "count": 1}
    assert total["transfer_wait_avg"] == {"value": 12.0, "count": 1}
    assert total["service_avg"] == {"value": 10.0, "count": 1}
    assert total["services_over_target"] == {"value": 0.0, "numerator": 0, "denominator": 2}

    by_type = kpis(hall, DAY, group_by="business_type")
    a, c = by_type[str(types["A"].pk)], by_type[str(types["C"].pk)]
    assert (value(a, "issued"), value(a, "wait_avg"), value(a, "transfer_wait_avg")) == (1, 10.0, 12.0)
    assert a["services_over_target"]["denominator"] == 1  # the stint served as A
    assert (value(c, "issued"), c["services_over_target"]["denominator"]) == (0, 1)  # the stint served as C

    by_counter = kpis(hall, DAY, group_by="counter")
    assert by_counter[str(counter.pk)]["service_avg"] == {"value": 4.0, "count": 1}
    assert by_counter[str(counter_c.pk)]["service_avg"] == {"value": 6.0, "count": 1}
    assert (value(by_counter[str(counter.pk)], "served"), value(by_counter[str(counter_c.pk)], "served")) == (0, 1)
    by_clerk = kpis(hall, DAY, group_by="clerk")
    assert by_clerk[str(clerk.pk)]["service_p90"] == {"value": 4.0, "count": 1}
    assert by_clerk[str(counter_c.clerk_id)]["service_p90"] == {"value": 6.0, "count": 1}


def test_recalls_are_not_waiting(clock, hall, types, counter):
    recall(clock, hall, types, counter)

    total = kpis(hall, DAY)["total"]
    assert total["wait_avg"] == {"value": 5.0, "count": 1}
    assert total["service_avg"] == {"value": 10.0, "count": 1}


def test_a_reactivated_no_show_that_was_served_is_served_and_waited_until_its_first_call(
    clock, hall, types, counter, clerk
):
    no_shows(clock, hall, types, counter)

    total = kpis(hall, DAY)["total"]
    assert [value(total, name) for name in ("issued", "served", "no_shows", "cancelled")] == [2, 1, 1, 0]
    assert total["no_show_rate"] == {"value": 0.5, "numerator": 1, "denominator": 2}
    assert total["wait_avg"] == {"value": 6.0, "count": 2}
    assert total["service_avg"] == {"value": 5.0, "count": 1}
    at_counter = kpis(hall, DAY, group_by="counter")[str(counter.pk)]
    assert (value(at_counter, "served"), value(at_counter, "no_shows")) == (1, 1)
    assert kpis(hall, DAY, group_by="clerk")[str(clerk.pk)]["no_show_rate"]["value"] == 0.5


def test_a_ticket_left_open_overnight_counts_as_cancelled(clock, hall, types, counter):
    issued(clock, hall, types["A"], at(17))
    clock.move_to(at(0, 5, day=NEXT))
    services.tickets_expire_stale()

    total = kpis(hall, DAY)["total"]
    assert (value(total, "issued"), value(total, "cancelled")) == (1, 1)
    assert total["no_show_rate"]["value"] is None
    assert total["wait_avg"]["count"] == 0


def test_a_stint_the_nightly_expiry_closed_is_no_service(clock, hall, types, counter):
    ticket = issued(clock, hall, types["A"], at(17))
    called(clock, counter, at(17, 5))
    clock.move_to(at(17, 6))
    services.ticket_start(ticket=ticket)
    clock.move_to(at(0, 5, day=NEXT))
    services.tickets_expire_stale()

    total = kpis(hall, DAY)["total"]
    assert total["wait_avg"] == {"value": 5.0, "count": 1}
    assert total["service_avg"] == {"value": None, "count": 0}
    assert total["services_over_target"]["denominator"] == 0


def test_waits_and_services_over_target_use_each_types_own_target(clock, hall, types, counter):
    over_targets(clock, hall, types, counter)

    total = kpis(hall, DAY)["total"]
    assert total["waits_over_target"] == {"value": 2 / 3, "numerator": 2, "denominator": 3}
    assert total["services_over_target"] == {"value": 2 / 3, "numerator": 2, "denominator": 3}
    by_type = kpis(hall, DAY, group_by="business_type")
    a, b = by_type[str(types["A"].pk)], by_type[str(types["B"].pk)]
    assert (a["waits_over_target"]["numerator"], a["waits_over_target"]["denominator"]) == (1, 2)
    assert (b["waits_over_target"]["numerator"], b["waits_over_target"]["denominator"]) == (1, 1)
    assert (a["services_over_target"]["numerator"], a["services_over_target"]["denominator"]) == (1, 2)
    assert (b["services_over_target"]["numerator"], b["services_over_target"]["denominator"]) == (1, 1)
    assert kpis(hall, DAY, group_by="counter")[str(counter.pk)]["services_over_target"]["value"] == 2 / 3


def test_the_wait_percentiles_are_nearest_rank_and_the_prediction_error_is_promised_minus_real(
    clock, hall, types, counter
):
    ten_waits(clock, hall, types, counter)

    total = kpis(hall, DAY)["total"]
    assert total["wait_avg"] == {"value": 13.2, "count": 10}
    assert total["wait_p50"] == {"value": 8.0, "count": 10}
    assert total["wait_p90"] == {"value": 30.0, "count": 10}
    assert total["waits_over_target"] == {"value": 0.2, "numerator": 2, "denominator": 10}
    # promised 0, 5, … 45 against 2, 3, 3, 5, 8, 9, 12, 15, 30, 45: errors -2, 2, 7, 10, 12, 16, 18, 20, 10, 0
    assert total["wait_prediction_error"] == {"value": 9.3, "mean_absolute": 9.7, "within_5_share": 0.3, "count": 10}
    by_hour = kpis(hall, DAY, group_by="hour")
    assert by_hour["15"]["wait_p90"]["value"] == 30.0
    assert by_hour["15"]["arrivals"] == {"value": 10.0, "issued": 10, "open_days": 1}
    assert total["arrivals"] == {"value": None}


def test_arrivals_are_per_open_day_of_the_weekday(clock, hall, types, counter):
    week = DAY + dt.timedelta(days=7)
    for moment in (at(9, day=DAY), at(9, 30, day=DAY), at(9, 10, day=week), at(10, day=DAY + dt.timedelta(days=1))):
        issued(clock, hall, types["A"], moment)

    table = kpis(hall, DAY, week, "weekday_hour")
    assert table["1-9"]["arrivals"] == {"value": 1.5, "issued": 3, "open_days": 2}
    assert table["2-10"]["arrivals"] == {"value": 1.0, "issued": 1, "open_days": 1}


def test_a_rating_counts_on_its_tickets_day(clock, hall, types, counter, clerk):
    ratings(clock, hall, types, counter)

    by_day = kpis(hall, DAY, NEXT, "day")
    assert by_day["2026-11-02"]["pad_satisfaction"] == {"value": 0.5, "numerator": 1, "denominator": 2}
    assert by_day["2026-11-02"]["rating_coverage"] == {"value": 2 / 3, "numerator": 2, "denominator": 3}
    assert by_day["2026-11-03"]["pad_satisfaction"]["value"] is None
    assert by_day["2026-11-03"]["rating_coverage"]["value"] is None
    assert kpis(hall, DAY, group_by="clerk")[str(clerk.pk)]["pad_satisfaction"]["value"] == 0.5


def test_counter_utilisation_is_serving_over_open_time_without_pauses(clock, hall, types):
    five, six, clerk5 = utilisation(clock, hall, types)

    by_counter = kpis(hall, DAY, group_by="counter")
    assert by_counter[str(five.pk)]["counter_utilisation"] == {
        "value": 0.1,
        "numerator": 30 * 60,
        "denominator": 5 * 3600,
    }
    assert by_counter[str(six.pk)]["counter_utilisation"] == {"value": 0.0, "numerator": 0, "denominator": 3600}
    assert kpis(hall, DAY)["total"]["counter_utilisation"]["value"] == 1800 / (6 * 3600)
    assert kpis(hall, DAY, group_by="clerk")[str(clerk5.pk)]["service_avg"] == {"value": 30.0, "count": 1}

    next_day = kpis(hall, NEXT, group_by="counter")
    assert next_day[str(six.pk)]["counter_utilisation"]["denominator"] == 9 * 3600
    assert str(five.pk) not in next_day  # closed all day
    after = kpis(hall, NEXT + dt.timedelta(days=1), group_by="counter")
    assert str(six.pk) not in after  # still open, but the hall had nobody: no open time


def test_counters_open_by_hour_split_each_open_spell_across_the_hours_it_covers(clock, hall, types):
    """A counter open 08:30–10:15 with a pause 09:00–09:20: half a counter at 8, 40/60 at 9, a quarter at 10."""
    clerk = UserFactory(hall=hall, username="clerk7", roles=[Role.CLERK])
    seven = CounterFactory(hall=hall, number=7, status=CounterStatus.CLOSED, serves=[types["A"]])
    for moment, move in (
        (at(8, 30), services.counter_open),
        (at(9), services.counter_pause),
        (at(9, 20), services.counter_open),
        (at(10, 15), services.counter_close),
    ):
        clock.move_to(moment)
        move(counter=seven, actor=clerk)
    for moment in (at(9, 25), at(9, 40), at(11, 5)):
        issued(clock, hall, types["A"], moment)

    for key_of, table in (
        (str, kpis(hall, DAY, group_by="hour")),
        ("1-{}".format, kpis(hall, DAY, DAY, "weekday_hour")),
    ):
        assert value(table[key_of(8)], "counters_open") == 0.5
        assert value(table[key_of(9)], "counters_open") == round(40 / 60, 4)
        assert value(table[key_of(10)], "counters_open") == 0.25
        assert value(table[key_of(11)], "counters_open") == 0.0
        assert value(table[key_of(8)], "arrivals_per_counter") == 0.0
        assert value(table[key_of(9)], "arrivals_per_counter") == 2 * 3600 / (40 * 60)  # 2 tickets, 40 min open
        assert value(table[key_of(11)], "arrivals_per_counter") is None  # arrivals, but no counter open
    assert value(kpis(hall, DAY)["total"], "counters_open") is None  # an average per open day needs the hours


def test_counters_open_average_over_the_open_days(clock, hall, types):
    """Open 09:00–10:00 on two Mondays with customers and 09:00–09:30 on a third: the Monday without customers (the
    middle one) counts neither in the open time nor in the days."""
    clerk = UserFactory(hall=hall, username="clerk7", roles=[Role.CLERK])
    seven = CounterFactory(hall=hall, number=7, status=CounterStatus.CLOSED, serves=[types["A"]])
    week, fortnight = DAY + dt.timedelta(days=7), DAY + dt.timedelta(days=14)
    for day, closes in ((DAY, at(10, day=DAY)), (week, at(10, day=week)), (fortnight, at(9, 30, day=fortnight))):
        clock.move_to(at(9, day=day))
        services.counter_open(counter=seven, actor=clerk)
        if day != week:
            issued(clock, hall, types["A"], at(9, 10, day=day))
        clock.move_to(closes)
        services.counter_close(counter=seven, actor=clerk)

    table = kpis(hall, DAY, fortnight, "weekday_hour")
    assert value(table["1-9"], "counters_open") == 0.75
    assert value(table["1-9"], "arrivals_per_counter") == round(2 / 1.5, 4)


def test_a_day_without_tickets_has_null_rates_and_no_times(hall):
    total = kpis(hall, DAY)["total"]
    assert value(total, "issued") == 0
    for rate in (
        "no_show_rate",
        "waits_over_target",
        "services_over_target",
        "pad_satisfaction",
        "rating_coverage",
        "counter_utilisation",
    ):
        assert total[rate] == {"value": None, "numerator": 0, "denominator": 0}, rate
    for time in ("wait_avg", "wait_p50", "wait_p90", "transfer_wait_avg", "service_avg", "service_p90"):
        assert total[time] == {"value": None, "count": 0}, time
    assert total["wait_prediction_error"]["value"] is None


def test_the_rollup_gives_the_queue_figures_of_the_live_path(clock, hall, types, counter, counter_c):
    # Each scenario keeps to its own hour of the day; the clock only goes back between them.
    for scenario in (recall, no_shows, over_targets, ten_waits, ratings):
        scenario(clock, hall, types, counter)
    transfer(clock, hall, types, counter, counter_c)
    utilisation(clock, hall, types)
    midnight(clock, hall, types, counter)
    first, last = DAY, NEXT + dt.timedelta(days=1)

    with time_machine.travel(at(12, day=last + dt.timedelta(days=1)), tick=False):
        live = {g: engine.kpis(halls=[hall], first=first, last=last, group_by=g) for g in engine.GROUPINGS}
        engine.rollup([hall], first, last)
        assert set(DayParts.objects.filter(hall=hall).values_list("dimension", flat=True)) == set(engine.DIMENSIONS)
        rolled = {g: engine.kpis(halls=[hall], first=first, last=last, group_by=g) for g in engine.GROUPINGS}

    assert rolled == live
    total = live["total"][0]["figures"]
    assert (value(total, "issued"), value(total, "served")) == (23, 21)
