"""The reports' frame: periods of local days, groupings, the roll-up against the live path, and the API's input."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from reports import engine
from reports.models import DayParts, SpanParts
from tests.factories import issue

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


DAY = dt.date(2026, 11, 2)


@pytest.fixture
def history(hall, types):
    """Two tickets on Nov 2 (one at 23:58 local, which is 15:58 UTC), one on Nov 3."""
    for moment in (at(DAY, 9, 5), at(DAY, 23, 58), at(DAY + dt.timedelta(days=1), 8, 40)):
        with time_machine.travel(moment, tick=False):
            issue(hall, types["A"])


def figures(hall, first, last, group_by="total"):
    return {
        row["key"]: row["figures"]["issued"]["value"]
        for row in engine.kpis(halls=[hall], first=first, last=last, group_by=group_by)
    }


def test_a_ticket_belongs_to_the_local_day_it_was_issued_on(history, hall):
    with time_machine.travel(at(DAY + dt.timedelta(days=5), 12), tick=False):
        assert figures(hall, DAY, DAY + dt.timedelta(days=1), "day") == {"2026-11-02": 2, "2026-11-03": 1}
        assert figures(hall, DAY, DAY, "hour") == {"9": 1, "23": 1}


def test_the_rollup_gives_the_figures_of_the_live_path(history, hall):
    with time_machine.travel(at(DAY + dt.timedelta(days=5), 12), tick=False):
        live = {
            g: engine.kpis(halls=[hall], first=DAY, last=DAY + dt.timedelta(days=4), group_by=g)
            for g in engine.GROUPINGS
        }
        engine.rollup([hall], DAY, DAY + dt.timedelta(days=4))
        assert DayParts.objects.filter(hall=hall, dimension="total").count() == 5
        rolled = {
            g: engine.kpis(halls=[hall], first=DAY, last=DAY + dt.timedelta(days=4), group_by=g)
            for g in engine.GROUPINGS
        }

    assert rolled == live


def test_the_rollup_is_idempotent_and_never_writes_today(history, hall):
    with time_machine.travel(at(DAY + dt.timedelta(days=1), 12), tick=False):
        engine.rollup([hall], DAY, DAY + dt.timedelta(days=1))
        engine.rollup([hall], DAY, DAY + dt.timedelta(days=1))
        assert set(DayParts.objects.filter(hall=hall).values_list("day", flat=True)) == {DAY}
        assert figures(hall, DAY, DAY + dt.timedelta(days=1)) == {"total": 3}


def test_the_api_answers_the_contracts_shape(api_as, manager, history, hall):
    with time_machine.travel(at(DAY + dt.timedelta(days=5), 12), tick=False):
        answer = (
            api_as(manager).get(f"/api/reports/kpis/?hall={hall.pk}&from=2026-11-02&to=2026-11-03&group_by=day").json()
        )

    assert answer["hall"] == str(hall.pk) and answer["group_by"] == "day"
    assert set(answer["targets"]) == {"response_timeliness", "customer_satisfaction", "complaint_rate"}
    assert [(row["key"], row["figures"]["issued"]["value"]) for row in answer["rows"]] == [
        ("2026-11-02", 2),
        ("2026-11-03", 1),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "hall=1.5&from=2026-11-01&to=2026-11-02",
        "hall={north}&from=2026-11-01&to=2026-11-02",
        "hall={hall}&from=2026-11-03&to=2026-11-02",
        "hall={hall}&from=2020-01-01&to=2026-11-02",
        "hall={hall}&from=2026-13-01&to=2026-11-02",
        "hall={hall}&from=2026-11-01&to=2026-11-02&group_by=minute",
        "hall={hall}&to=2026-11-02",
    ],
)
def test_bad_report_questions_answer_400(api_as, manager, hall, north, query):
    response = api_as(manager).get("/api/reports/kpis/?" + query.format(hall=hall.pk, north=north.pk))
    assert response.status_code == 400


def test_a_clerk_may_not_read_reports(clerk_api, hall):
    assert clerk_api.get(f"/api/reports/kpis/?hall={hall.pk}&from=2026-11-01&to=2026-11-02").status_code == 403


def spans(hall):
    return set(SpanParts.objects.filter(hall=hall, dimension="total").values_list("span", "first_day"))


def test_complete_weeks_and_months_are_kept_merged_and_give_the_figures_of_their_days(history, hall):
    november = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    with time_machine.travel(at(dt.date(2026, 12, 3), 12), tick=False):
        live = {g: engine.kpis(halls=[hall], first=november[0], last=november[1], group_by=g) for g in engine.GROUPINGS}
        engine.rollup([hall], *november)
        rolled = {
            g: engine.kpis(halls=[hall], first=november[0], last=november[1], group_by=g) for g in engine.GROUPINGS
        }

    # The week of Oct 26 has days not rolled up, the week of Nov 30 is not over: neither is kept.
    assert spans(hall) == {("month", dt.date(2026, 11, 1))} | {
        ("week", dt.date(2026, 11, day)) for day in (2, 9, 16, 23)
    }
    assert rolled == live
    assert rolled["week"][1]["key"] == "2026-W45" and rolled["week"][1]["figures"]["issued"]["value"] == 3


def test_a_day_rolled_up_again_rewrites_its_week_and_month(history, hall, types):
    november = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    with time_machine.travel(at(dt.date(2026, 12, 3), 12), tick=False):
        engine.rollup([hall], *november)
    with time_machine.travel(at(DAY + dt.timedelta(days=2), 10), tick=False):
        issue(hall, types["A"])  # a late change on Nov 4, a day already rolled up
    with time_machine.travel(at(dt.date(2026, 12, 3), 12), tick=False):
        assert figures(hall, *november) == {"total": 3}  # the stored month, until its day is rolled up again
        engine.rollup([hall], DAY + dt.timedelta(days=2), DAY + dt.timedelta(days=2))
        assert figures(hall, *november) == {"total": 4}
        assert figures(hall, *november, "week")["2026-W45"] == 4
        assert figures(hall, DAY, DAY + dt.timedelta(days=2), "day") == {
            "2026-11-02": 2,
            "2026-11-03": 1,
            "2026-11-04": 1,
        }
    assert len(spans(hall)) == 5


def test_a_span_with_a_day_not_rolled_up_is_read_from_its_days(history, hall):
    with time_machine.travel(at(dt.date(2026, 12, 3), 12), tick=False):
        engine.rollup([hall], DAY + dt.timedelta(days=1), dt.date(2026, 11, 30))  # not Nov 1 and 2
        assert ("month", dt.date(2026, 11, 1)) not in spans(hall)
        assert ("week", DAY) not in spans(hall)
        assert figures(hall, dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == {"total": 3}
