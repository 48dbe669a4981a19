"""The month's workbook read back: the sources' Chinese labels as headers, one row per person, and the numbers the
sheets give (a deduction negative, a voided line nothing), with a frozen header row."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessments import selectors, services
from assessments.facts import SOURCES
from complaints import services as complaint_services
from feedback import services as feedback_services
from tests.assessments.conftest import NOV, at
from tests.factories import accept_complaint

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 10)


def breach(traveller, hall, who, day):
    """A complaint whose 2 h first-contact clock the owner lets pass: one sla_breach line."""
    traveller.move_to(at(day, 10))
    complaint = accept_complaint(hall, actor=who)
    traveller.move_to(at(day, 12, 30))
    complaint = complaint_services.complaint_resolve(
        complaint=complaint, resolution="已解决", customer_confirmed=True, actor=who
    )
    complaint_services.complaint_follow_up(complaint=complaint, satisfaction=5, actor=who)


@pytest.fixture
def month(traveller, hall, clerk, clerk2, clerk3, manager):
    """clerk1: two breaches, one voided on appeal, and a praise; clerk2: a justified complaint; clerk3: nothing."""
    breach(traveller, hall, clerk, DAY)
    breach(traveller, hall, clerk, DAY + dt.timedelta(days=1))
    feedback_services.feedback_receive(
        hall=hall, kind="praise", customer_name="陈阿姨", phone="13800003333", text="很耐心", staff=clerk
    )
    complaint = accept_complaint(hall, actor=clerk)
    complaint_services.complaint_resolve(
        complaint=complaint,
        resolution="核实属实",
        customer_confirmed=True,
        justified=True,
        justified_against=clerk2,
        actor=clerk,
    )
    [sheet] = [sheet for sheet in selectors.sheets_of(hall, NOV) if sheet.staff == clerk]
    line = selectors.live_lines(sheet)[0]["key"]
    services.sheet_appeal(sheet=sheet, line=line, reason="客户未接", actor=clerk)
    services.sheet_decide(sheet=sheet, accept=True, note="属实", actor=manager)


def workbook(api, hall):
    response = api.get("/api/assessments/export.xlsx", {"hall": hall.pk, "month": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content)).active


def test_the_headers_are_the_sources_chinese_labels_and_the_header_row_is_frozen(month, api_as, hall, manager):
    sheet = workbook(api_as(manager), hall)

    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert header[:2] == ("工作人员", "基础分") and header[-2:] == ("得分", "状态")
    assert set(header[2:-2]) == {
        "巡场不合格项",
        "暗访不合格项",
        "有效投诉",
        "超时未办结",
        "值守事项未按时完成",
        "排班缺勤",
        "表扬",
        "回访满意度",
        "评价器满意度",
    }
    assert len(header) == len(SOURCES) + 4
    assert not set(SOURCES) & set(header)
    assert sheet.freeze_panes == "B2"
    assert all(cell.font.bold for cell in sheet[1])


def test_it_has_one_row_per_person_with_the_numbers_of_their_sheet(month, api_as, hall, manager):
    api = api_as(manager)
    sheets = {row["staff"]["name"]: row for row in api.get("/api/assessments/", {"month": "2026-11"}).json()}
    sheet = workbook(api, hall)

    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert sorted(row[0] for row in body) == sorted(sheets)
    label = dict(zip(header, range(len(header)), strict=True))
    for row in body:
        expected = sheets[row[0]]
        assert (row[label["基础分"]], row[label["得分"]], row[label["状态"]]) == (
            expected["base"],
            expected["score"],
            "未月结",
        )
        by_source = {}
        for line in expected["deductions"] + expected["bonuses"]:
            if not line["voided"]:
                sign = -1 if line in expected["deductions"] else 1
                by_source[line["source"]] = by_source.get(line["source"], 0) + sign * line["points"]
        for source, registered in SOURCES.items():
            value = row[label[str(registered.label)]]
            assert isinstance(value, int | float)
            assert value == by_source.get(source, 0)
        assert row[label["基础分"]] + sum(by_source.values()) == row[label["得分"]]


def test_the_numbers_are_those_of_the_month(month, api_as, hall, clerk, clerk2, clerk3, manager):
    sheet = workbook(api_as(manager), hall)

    rows = list(sheet.iter_rows(values_only=True))
    cell = {(row[0], name): value for row in rows[1:] for name, value in zip(rows[0], row, strict=True)}
    assert (cell[clerk.name, "超时未办结"], cell[clerk.name, "表扬"], cell[clerk.name, "得分"]) == (-1, 2, 101)
    assert (cell[clerk2.name, "有效投诉"], cell[clerk2.name, "得分"]) == (-5, 95)
    assert cell[clerk3.name, "得分"] == 100


def test_a_closed_month_gives_its_stored_numbers_whatever_the_rules_say_later(
    month, traveller, api_as, hall, clerk, manager
):
    traveller.move_to(at(dt.date(2026, 12, 2), 9))
    api = api_as(manager)
    assert api.post("/api/assessments/close/", {"hall": hall.pk, "month": "2026-11"}, format="json").status_code == 201
    closed = next(
        row for row in api.get("/api/assessments/", {"month": "2026-11"}).json() if row["staff"]["id"] == clerk.pk
    )
    services.rules_set(hall=hall, changes=[services.RuleChange("praise", Decimal(9))], actor=manager)

    sheet = workbook(api, hall)

    rows = list(sheet.iter_rows(values_only=True))
    cell = {(row[0], name): value for row in rows[1:] for name, value in zip(rows[0], row, strict=True)}
    assert (cell[clerk.name, "表扬"], cell[clerk.name, "状态"]) == (2, "已月结")
    assert cell[clerk.name, "得分"] == closed["score"]


def test_only_the_hall_manager_downloads_it(month, api_as, hall, clerk):
    response = api_as(clerk).get("/api/assessments/export.xlsx", {"hall": hall.pk, "month": "2026-11"})
    assert response.status_code == 404
