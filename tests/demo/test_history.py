"""seed_demo --history-days: a believable past, written as the services leave it, rolled up, and written once."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import F

from complaints.models import Complaint
from hall.models import Hall, SlaClock, TimelineEvent
from repairs.models import RepairOrder
from reports import engine
from reports.models import DayParts
from staff.models import Duty
from tickets.models import Counter, Rating, Ticket, TicketCall, TicketStint

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Thursday evening: the history is Monday 2 to Wednesday 4 November, month-start days for payments.
NOW = dt.datetime(2026, 11, 5, 19, 0, tzinfo=SHANGHAI)
FIRST, LAST = dt.date(2026, 11, 2), dt.date(2026, 11, 4)

# What the figures must look like when their sources are registered: (low, high) of each value.
PLAUSIBLE = {
    "issued": (300, 2000),
    "served": (250, 2000),
    "wait_avg": (1, 60),
    "no_show_rate": (0.005, 0.1),
    "pad_satisfaction": (0.75, 0.99),
    "response_timeliness": (0.7, 1.0),
    "customer_satisfaction": (0.75, 0.99),
    "complaint_rate": (0, 0.02),
    "complaints_accepted": (0, 20),
    "chores_on_time": (0.8, 1.0),
}


def seed(days=3):
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", "--history-days", str(days), stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    seed()
    return Hall.objects.get(code="demo"), Hall.objects.get(code="north")


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Ticket, TicketCall, TicketStint, Rating, RepairOrder, Complaint, Duty, SlaClock, TimelineEvent)
    }


def test_the_history_gives_every_figure_of_the_reports_a_plausible_value(seeded):
    demo, north = seeded
    with time_machine.travel(NOW, tick=False):
        rows = engine.kpis(halls=[demo], first=FIRST, last=LAST)
    figures = rows[0]["figures"]
    assert figures["issued"]["value"] > 300
    for name, (low, high) in PLAUSIBLE.items():
        if name in figures:  # the figures whose sources are registered
            assert figures[name]["value"] is not None, name
            assert low <= figures[name]["value"] <= high, (name, figures[name])


def test_the_history_is_rolled_up_and_the_rollup_agrees_with_the_live_path(seeded):
    demo, north = seeded
    assert set(DayParts.objects.filter(hall=demo, dimension="total").values_list("day", flat=True)) == {
        FIRST,
        dt.date(2026, 11, 3),
        LAST,
    }
    with time_machine.travel(NOW, tick=False):
        rolled = engine.kpis(halls=[demo, north], first=FIRST, last=LAST, group_by="day")
        DayParts.objects.all().delete()
        assert engine.kpis(halls=[demo, north], first=FIRST, last=LAST, group_by="day") == rolled


def test_the_queue_is_busier_in_the_morning_peak_than_at_lunch_and_ends_every_ticket(seeded):
    demo, _ = seeded
    tickets = Ticket.objects.filter(hall=demo)
    hours = [t.astimezone(SHANGHAI).hour for t in tickets.values_list("issued_at", flat=True)]
    assert hours.count(10) > 2 * hours.count(12)
    assert not tickets.filter(status__in=["waiting", "called", "serving"]).exists()
    done = tickets.filter(status="done")
    # As the services leave a served ticket: called, started, finished in that order, with its stints and calls.
    assert not done.exclude(called_at__lte=F("started_at"), started_at__lt=F("finished_at")).exists()
    assert TicketStint.objects.filter(ticket__in=done, transferred=False).count() == done.count()
    assert TicketStint.objects.filter(transferred=True).exists()
    assert tickets.filter(status="no_show", recall_count=2).count() == tickets.filter(status="no_show").count() > 0
    assert TicketCall.objects.filter(ticket__hall=demo, is_recall=False).count() >= done.count()
    assert done.filter(predicted_wait_minutes__isnull=False).count() > done.count() * 0.8
    assert Rating.objects.filter(score__lte=2).exists() and Rating.objects.filter(score=5).count() > 100
    counter_events = TimelineEvent.objects.filter(content_type=ContentType.objects.get_for_model(Counter))
    assert {"counter_open", "counter_pause", "counter_close"} <= set(counter_events.values_list("action", flat=True))


def test_cases_have_their_clocks_met_and_missed_and_nothing_left_overdue(seeded):
    with time_machine.travel(NOW, tick=False):
        seed(days=40)  # long enough for complaints to run their course
    clocks = SlaClock.objects.all()
    for name in ("respond", "callback", "first_contact", "progress", "result", "follow_up", "done"):
        stopped = clocks.filter(name=name, stopped_at__isnull=False)
        assert stopped.filter(stopped_at__lte=F("due_at")).exists(), name
    assert clocks.filter(name="respond", stopped_at__gt=F("due_at")).exists()
    assert not clocks.filter(stopped_at__isnull=True, due_at__lte=NOW).exists()
    repairs = RepairOrder.objects.all()
    assert repairs.filter(status="closed", satisfaction__gte=4).exists()
    reopened = TimelineEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(RepairOrder), action="reopen"
    )
    assert reopened.exists()
    for repair in repairs.exclude(status__in=["followed_up", "closed"]):
        running = clocks.filter(object_id=repair.pk, name__in=["respond", "callback"], stopped_at__isnull=True)
        assert repair.next_due_at == min(running.values_list("due_at", flat=True))
    complaints = Complaint.objects.all()
    assert complaints.filter(status="closed", satisfaction__isnull=False).exists()
    assert complaints.exclude(status="closed").exists()


def test_seeding_again_adds_no_history(seeded):
    before = counts()
    out = seed()
    assert counts() == before
    assert "0 tickets" in out
