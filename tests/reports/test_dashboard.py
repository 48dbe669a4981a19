"""GET /api/halls/<id>/dashboard/: today's figures and the live floor."""

import datetime as dt

import pytest
import time_machine

from tests.factories import issue, register_repair, serve
from tests.reports.conftest import at

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)


def test_the_dashboard_gives_todays_figures_and_the_live_floor(api_as, manager, hall, types, counter, clerk):
    with time_machine.travel(at(DAY, 9), tick=False) as traveller:
        issue(hall, types["A"])
        serve(counter, clerk)
        traveller.move_to(at(DAY, 9, 30))
        issue(hall, types["A"])
        traveller.move_to(at(DAY, 9, 40))
        issue(hall, types["B"])
        register_repair(hall, actor=clerk, urgency=1)  # due in 2 hours
        traveller.move_to(at(DAY, 12))
        answer = api_as(manager).get(f"/api/halls/{hall.pk}/dashboard/").json()

    assert answer["date"] == "2026-11-02"
    assert answer["figures"]["issued"] == {"value": 3}
    assert answer["waiting"] == {"A": 1, "B": 1, "C": 0, "D": 0, "E": 0}
    assert answer["longest_wait_minutes"] == 150
    assert answer["open_counters"] == 1
    assert [(row["number"], row["served_today"]) for row in answer["counters"]] == [(1, 1)]
    assert [(row["clock"], row["state"]) for row in answer["endangered_deadlines"]] == [("respond", "overdue")]
    assert set(answer["targets"]) == {"response_timeliness", "customer_satisfaction", "complaint_rate"}


def test_another_halls_dashboard_is_not_found(api_as, manager, north, duty, hall):
    assert api_as(manager).get(f"/api/halls/{north.pk}/dashboard/").status_code == 404
    assert api_as(manager).get("/api/halls/999999/dashboard/").status_code == 404
    assert api_as(duty).get(f"/api/halls/{hall.pk}/dashboard/").status_code == 200


def test_a_clerk_has_no_dashboard(clerk_api, hall):
    assert clerk_api.get(f"/api/halls/{hall.pk}/dashboard/").status_code == 403
