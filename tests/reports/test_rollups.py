"""The roll-up (日清): the command, the nightly task and the re-roll of closed days whose records changed later."""

import datetime as dt
import io

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from reports import tasks
from reports.models import DayParts, RollupRun
from tests.factories import issue, register_repair, serve
from tests.reports.conftest import at
from tickets import services as ticket_services

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)
NEXT = DAY + dt.timedelta(days=1)


def stored(hall, day=DAY):
    """The roll-up's rows of the day, as they would be read."""
    return {(row.dimension, row.key): row.parts for row in DayParts.objects.filter(hall=hall, day=day).order_by("pk")}


def total(hall, day=DAY, *names):
    """The day's total parts, only those named when names are given."""
    parts = stored(hall, day).get(("total", ""), {})
    return {name: parts.get(name, 0) for name in names} if names else parts


def test_the_command_rolls_up_the_closed_days_of_the_halls_named(hall, north, types, north_types):
    with time_machine.travel(at(DAY, 9), tick=False):
        issue(hall, types["A"])
        issue(north, north_types["A"])
    out = io.StringIO()
    with time_machine.travel(at(NEXT, 12), tick=False):
        call_command("rollup", "--hall", "demo", "--from", "2026-11-01", "--to", "2026-11-03", stdout=out)
        call_command("rollup", "--hall", "demo", "--from", "2026-11-01", "--to", "2026-11-03", stdout=io.StringIO())

    assert "demo" in out.getvalue()
    assert set(DayParts.objects.filter(dimension="total").values_list("hall__code", "day")) == {
        ("demo", DAY - dt.timedelta(days=1)),
        ("demo", DAY),
    }
    assert total(hall)["issued"] == 1


@pytest.mark.parametrize(
    "arguments",
    [
        ["--hall", "nowhere", "--from", "2026-11-01", "--to", "2026-11-02"],
        ["--from", "2026-11-31", "--to", "2026-12-02"],
        ["--from", "2026-11-03", "--to", "2026-11-02"],
    ],
)
def test_the_command_refuses_what_it_cannot_do(hall, arguments):
    with pytest.raises(CommandError):
        call_command("rollup", *arguments, stdout=io.StringIO())


def test_the_nightly_run_is_scheduled_after_midnight_and_the_touched_run_every_quarter_hour():
    nightly = settings.CELERY_BEAT_SCHEDULE["rollup-yesterday"]
    touched = settings.CELERY_BEAT_SCHEDULE["rollup-touched-days"]

    assert nightly["task"] == tasks.rollup_nightly.name and touched["task"] == tasks.rollup_touched.name
    assert nightly["schedule"].hour == {0} and nightly["schedule"].minute == {20}
    assert touched["schedule"].minute == {0, 15, 30, 45}


def test_a_rating_the_next_morning_changes_yesterdays_rolled_up_figures(hall, types, counter, clerk):
    with time_machine.travel(at(DAY, 10), tick=False) as traveller:
        issue(hall, types["A"])
        ticket = serve(counter, clerk)
        traveller.move_to(at(NEXT, 0, 20))
        tasks.rollup_nightly.delay()
        assert total(hall, DAY, "issued", "ratings") == {"issued": 1, "ratings": 0}

        traveller.move_to(at(NEXT, 9, 2))
        ticket_services.ticket_rate(ticket=ticket, score=5)
        assert total(hall, DAY, "issued", "ratings") == {"issued": 1, "ratings": 0}
        traveller.move_to(at(NEXT, 9, 15))
        tasks.rollup_touched.delay()

    assert total(hall, DAY, "issued", "ratings", "ratings_satisfied") == {
        "issued": 1,
        "ratings": 1,
        "ratings_satisfied": 1,
    }


def test_a_deadline_passing_after_the_day_changes_its_decided_figures(hall, types, clerk):
    with time_machine.travel(at(DAY, 23, 30), tick=False) as traveller:
        register_repair(hall, actor=clerk, urgency=3)  # its response is due 8 hours later, the next morning
        traveller.move_to(at(NEXT, 0, 20))
        tasks.rollup_nightly()
        assert total(hall, DAY, "repairs_registered", "repair_response_decided") == {
            "repairs_registered": 1,
            "repair_response_decided": 0,
        }
        traveller.move_to(at(NEXT, 7, 15))
        tasks.rollup_touched()
        first = RollupRun.objects.get()
        traveller.move_to(at(NEXT, 7, 30))
        tasks.rollup_touched()

    assert total(hall)["repair_response_decided"] == 1
    assert RollupRun.objects.get().ran_at > first.ran_at


def test_running_twice_writes_the_same_rows(hall, types, counter, clerk, north, north_types):
    with time_machine.travel(at(DAY, 10), tick=False) as traveller:
        issue(hall, types["A"])
        serve(counter, clerk)
        issue(hall, types["B"])
        issue(north, north_types["A"])
        traveller.move_to(at(NEXT, 0, 20))
        tasks.rollup_nightly()
        first = {hall.pk: stored(hall), north.pk: stored(north)}
        tasks.rollup_nightly()
        tasks.rollup_touched()

    assert {hall.pk: stored(hall), north.pk: stored(north)} == first
    assert first[hall.pk][("total", "")]["issued"] == 2
    assert first[north.pk][("total", "")]["issued"] == 1
    assert DayParts.objects.filter(day=DAY, dimension="total").count() == 2


def test_a_day_touched_long_ago_is_rolled_up_again_and_today_never(hall, types, counter, clerk):
    with time_machine.travel(at(DAY, 10), tick=False) as traveller:
        issue(hall, types["A"])
        ticket = serve(counter, clerk)
        traveller.move_to(at(DAY + dt.timedelta(days=9), 12))
        call_command("rollup", "--from", "2026-11-01", "--to", "2026-11-30", stdout=io.StringIO())
        assert DayParts.objects.filter(hall=hall, dimension="total").count() == 10
        ticket_services.ticket_rate(ticket=ticket, score=3)
        issue(hall, types["A"])  # today's: never rolled up
        traveller.move_to(at(DAY + dt.timedelta(days=9), 12, 15))
        tasks.rollup_touched()

    assert total(hall, DAY, "issued", "ratings") == {"issued": 1, "ratings": 1}
    assert DayParts.objects.filter(hall=hall, dimension="total").count() == 10
