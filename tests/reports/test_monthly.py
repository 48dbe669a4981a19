"""The month's report (月结): live until it is closed, frozen after, with what changed since shown as notes."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.management import call_command

from hall.models import Role, TimelineEvent
from reports import tasks
from reports.models import MonthClose
from tests.factories import UserFactory, issue, serve
from tests.reports.conftest import at
from tickets import services as ticket_services

pytestmark = pytest.mark.django_db
NOV = dt.date(2026, 11, 2)
LATER = at(dt.date(2026, 12, 2), 10)


@pytest.fixture
def november(hall, types, counter, clerk):
    """Three tickets in November (weeks 45 and 46), one of them served; the served one is returned."""
    with time_machine.travel(at(NOV, 9), tick=False) as traveller:
        issue(hall, types["A"])
        served = serve(counter, clerk)
        issue(hall, types["B"])
        traveller.move_to(at(NOV + dt.timedelta(days=7), 9))
        issue(hall, types["A"])
    return served


def monthly(client, hall, month="2026-11", suffix="/"):
    with time_machine.travel(LATER, tick=False):
        return client.get(f"/api/reports/monthly{suffix}?hall={hall.pk}&month={month}", HTTP_ACCEPT_LANGUAGE="zh-hans")


def close(client, hall, month="2026-11"):
    with time_machine.travel(LATER, tick=False):
        return client.post("/api/reports/monthly/close/", {"hall": hall.pk, "month": month}, format="json")


def issued(answer, group_by="total"):
    return {row["key"]: row["figures"]["issued"]["value"] for row in answer["groups"][group_by]}


def test_an_open_month_is_live_grouped_every_way(api_as, manager, hall, types, november):
    answer = monthly(api_as(manager), hall).json()

    assert answer["status"] == "open" and answer["closed_at"] is None
    assert (answer["from"], answer["to"]) == ("2026-11-01", "2026-11-30")
    assert issued(answer) == {"total": 3}
    assert issued(answer, "week") == {
        "2026-W44": 0,
        "2026-W45": 2,
        "2026-W46": 1,
        "2026-W47": 0,
        "2026-W48": 0,
        "2026-W49": 0,
    }
    assert issued(answer, "business_type") == {str(types["A"].pk): 2, str(types["B"].pk): 1}
    assert set(answer["groups"]) == {"total", "business_type", "counter", "clerk", "week"}
    assert answer["targets"]["customer_satisfaction"] == 0.9
    assert answer["changes_since_close"] == []


def test_the_hall_manager_closes_an_ended_month_once(api_as, manager, hall, november):
    response = close(api_as(manager), hall)

    assert response.status_code == 201
    assert response.json()["status"] == "closed" and response.json()["closed_by"] == manager.pk
    closed = MonthClose.objects.get()
    assert closed.month == dt.date(2026, 11, 1)
    assert TimelineEvent.objects.filter(action="close", object_id=closed.pk).count() == 1
    again = close(api_as(manager), hall)
    assert again.status_code == 409 and again.json()["code"] == "month_closed"
    assert MonthClose.objects.count() == 1


def test_a_month_not_over_cannot_be_closed(api_as, manager, hall):
    response = close(api_as(manager), hall, month="2026-12")

    assert response.status_code == 409 and response.json()["code"] == "month_not_over"
    assert not MonthClose.objects.exists()


def test_only_the_hall_manager_or_an_administrator_closes_a_month(api_as, hall, north, duty, clerk, november):
    area = UserFactory(hall=None, username="area", roles=[Role.AREA_MANAGER])
    area.areas.set([hall])
    admin = UserFactory(hall=None, username="root", is_superuser=True, roles=[])

    assert close(api_as(duty), hall).status_code == 403
    assert close(api_as(area), hall).status_code == 403
    assert close(api_as(clerk), hall).status_code == 403
    assert not MonthClose.objects.exists()
    assert close(api_as(admin), north).status_code == 201


def test_a_closed_month_stays_as_it_was_and_notes_what_changed_since(api_as, manager, hall, november):
    client = api_as(manager)
    assert close(client, hall).status_code == 201
    with time_machine.travel(LATER, tick=False):
        ticket_services.ticket_rate(ticket=november, score=5)

    answer = monthly(client, hall).json()

    assert answer["status"] == "closed"
    unrated = {"value": None, "numerator": 0, "denominator": 0}
    rated = {"value": 1.0, "numerator": 1, "denominator": 1}
    assert answer["groups"]["total"][0]["figures"]["pad_satisfaction"] == unrated
    changes = [(c["group_by"], c["figure"], c["at_close"], c["now"]) for c in answer["changes_since_close"]]
    assert ("total", "pad_satisfaction", unrated, rated) in changes
    assert ("week", "pad_satisfaction", unrated, rated) in changes
    note = next(
        c["note"]
        for c in answer["changes_since_close"]
        if c["group_by"] == "total" and c["figure"] == "pad_satisfaction"
    )
    assert note == "评价器满意率，合计：月结时为 —，现在为 100.0 %。"


def test_the_month_workbook_has_a_sheet_per_area_and_the_targets(api_as, manager, hall, november):
    client = api_as(manager)
    answer = monthly(client, hall).json()
    response = monthly(client, hall, suffix=".xlsx")

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:6] == ["排队", "报修", "投诉", "全厅", "目标", "月份"]
    queue = list(book["排队"].iter_rows(values_only=True))
    assert queue[0][:3] == ("分组方式", "分组", "取号数")
    assert book["排队"].freeze_panes == "C2"
    rows = {(line[0], line[1]): line[2] for line in queue[1:-1]}
    assert rows[("合计", "合计")] == issued(answer)["total"] == 3
    weeks = {label: value for (grouping, label), value in rows.items() if grouping == "周"}
    assert weeks == issued(answer, "week")
    targets = [line[:2] for line in book["目标"].iter_rows(min_row=2, values_only=True)]
    assert ("服务及时率", 0.95) in targets


@pytest.mark.parametrize(
    "query",
    [
        "hall={hall}&month=2026-13",
        "hall={hall}&month=2026-1",
        "hall={hall}&month=2027-01",
        "hall={north}&month=2026-11",
        "hall=x&month=2026-11",
        "month=2026-11",
    ],
)
@pytest.mark.parametrize("suffix", ["/", ".xlsx"])
def test_bad_month_questions_answer_400(api_as, manager, hall, north, query, suffix):
    with time_machine.travel(LATER, tick=False):
        response = api_as(manager).get(
            f"/api/reports/monthly{suffix}?" + query.format(hall=hall.pk, north=north.pk), HTTP_ACCEPT="text/html"
        )
    assert response.status_code == 400
    if suffix == ".xlsx":
        assert response["Content-Type"] == "application/json" and response.json()


def test_a_rolled_up_closed_month_notes_the_changes_its_days_roll_up_brings(api_as, manager, hall, november):
    client = api_as(manager)
    with time_machine.travel(LATER, tick=False) as traveller:
        call_command("rollup", "--from", "2026-11-01", "--to", "2026-11-30", stdout=io.StringIO())
        assert close(client, hall).status_code == 201
        traveller.move_to(LATER + dt.timedelta(minutes=5))
        ticket_services.ticket_rate(ticket=november, score=5)
        assert monthly(client, hall).json()["changes_since_close"] == []  # November is read from its roll-up
        traveller.move_to(LATER + dt.timedelta(minutes=15))
        tasks.rollup_touched()

    changes = monthly(client, hall).json()["changes_since_close"]
    assert {(c["group_by"], c["figure"], c["now"]["value"]) for c in changes} >= {("total", "pad_satisfaction", 1.0)}
