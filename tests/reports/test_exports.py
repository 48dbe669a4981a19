"""The kpis table as CSV and XLSX: the same numbers the JSON API gives, and the same answers to bad questions."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine

from reports import engine
from reports.models import Targets
from tests.factories import issue
from tests.reports.conftest import at

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)
QUERY = "hall={hall}&from=2026-11-02&to=2026-11-04&group_by={group_by}"


@pytest.fixture
def rated(monkeypatch):
    """Besides `issued`, a rate and a time, as the areas' figures are: value with numerator and denominator, and
    minutes over a count (null where there is nothing to count)."""

    queue = next(source for source in engine.SOURCES if source.name == "queue")

    def parts(halls, first, last):
        for hall_id, day, dimension, key, part in queue.parts(halls, first, last):
            if part.get("issued"):
                yield hall_id, day, dimension, key, {"probe_ok": part["issued"] - 1, "probe_seconds": 95}

    def share(p):
        return engine.rate(p.get("probe_ok", 0), p.get("issued", 0))

    def minutes(p):
        return engine.mean_minutes(p.get("probe_seconds", 0), p.get("issued", 0))

    source = engine.Source(
        name="probe",
        parts=parts,
        figures={"customer_satisfaction": share, "wait_avg": minutes},
    )
    monkeypatch.setattr(engine, "SOURCES", [*engine.SOURCES, source])


@pytest.fixture
def history(hall, types, rated):
    for moment, code in (
        (at(DAY, 9), "A"),
        (at(DAY, 10), "A"),
        (at(DAY, 11), "B"),
        (at(DAY + dt.timedelta(1), 9), "B"),
    ):
        with time_machine.travel(moment, tick=False):
            issue(hall, types[code])
    Targets.objects.create(hall=hall, customer_satisfaction="0.800")


def get(client, path, accept="application/json"):
    """As a browser asks for it (a download from a page accepts HTML first)."""
    with time_machine.travel(at(DAY + dt.timedelta(days=5), 12), tick=False):
        return client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans", HTTP_ACCEPT=accept)


@pytest.mark.parametrize("group_by", ["day", "business_type", "total"])
def test_the_workbook_holds_the_numbers_the_api_gives(api_as, manager, hall, history, group_by):
    client = api_as(manager)
    query = QUERY.format(hall=hall.pk, group_by=group_by)
    answer = get(client, f"/api/reports/kpis/?{query}").json()
    response = get(client, f"/api/reports/kpis.xlsx?{query}", accept="text/html,*/*")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert sheet.freeze_panes == "B2"
    assert header[:2] == ("分组", "取号数")
    column = {name: header.index(label) for name, label in (("issued", "取号数"), ("satisfaction", "客户满意度"))}
    column["wait"] = header.index("平均等候（分钟）")
    assert [row[0] for row in rows[1:-1]] == [row["label"] for row in answer["rows"]]
    for line, row in zip(rows[1:-1], answer["rows"], strict=True):
        figures = row["figures"]
        assert line[column["issued"]] == figures["issued"]["value"]
        assert line[column["satisfaction"]] == figures["customer_satisfaction"]["value"]
        assert line[column["satisfaction"] + 1 : column["satisfaction"] + 3] == (
            figures["customer_satisfaction"]["numerator"],
            figures["customer_satisfaction"]["denominator"],
        )
        assert line[column["wait"]] == figures["wait_avg"]["value"]
    assert rows[-1][0] == "目标" and rows[-1][column["satisfaction"]] == 0.8
    line = 2
    assert sheet.cell(line, column["satisfaction"] + 1).number_format == "0.0%"
    assert sheet.cell(line, column["wait"] + 1).number_format == "0.0"
    targets = {row[0]: row[1:] for row in book["目标"].iter_rows(min_row=2, values_only=True)}
    assert targets["客户满意度"] == (0.8, "不低于")
    assert targets["投诉率"] == (0.02, "不高于")


def test_a_figure_that_misses_its_target_is_red_and_a_rate_over_nothing_is_empty(api_as, manager, hall, history):
    query = QUERY.format(hall=hall.pk, group_by="day")
    book = openpyxl.load_workbook(io.BytesIO(get(api_as(manager), f"/api/reports/kpis.xlsx?{query}").content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    satisfaction = header.index("客户满意度") + 1
    # Nov 2: 2 of 3 (66.7 %, under 80 %); Nov 3: 0 of 1; Nov 4: nothing issued.
    assert [sheet.cell(line, 1).value for line in (2, 3, 4)] == ["11-02", "11-03", "11-04"]
    assert sheet.cell(2, satisfaction).font.color.rgb == "FFC00000"
    assert sheet.cell(4, satisfaction).value is None
    assert sheet.cell(4, satisfaction).font.color.rgb != "FFC00000"
    assert sheet.cell(3, satisfaction).font.color.rgb == "FFC00000"  # 0 of 1


def test_the_csv_decodes_as_utf8_with_a_bom_and_holds_the_apis_numbers(api_as, manager, hall, history):
    client = api_as(manager)
    query = QUERY.format(hall=hall.pk, group_by="day")
    answer = get(client, f"/api/reports/kpis/?{query}").json()
    response = get(client, f"/api/reports/kpis.csv?{query}")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["分组键"] for row in rows[:-1]] == [row["key"] for row in answer["rows"]]
    for line, row in zip(rows[:-1], answer["rows"], strict=True):
        assert int(line["取号数"]) == row["figures"]["issued"]["value"]
        value = row["figures"]["customer_satisfaction"]["value"]
        assert (float(line["客户满意度"]) if line["客户满意度"] else None) == value
        assert line["分组"] == row["label"]
    assert rows[-1]["分组"] == "目标" and float(rows[-1]["客户满意度"]) == 0.8


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "query",
    [
        "hall=1.5&from=2026-11-01&to=2026-11-02",
        "hall={north}&from=2026-11-01&to=2026-11-02",
        "hall={hall}&from=2026-11-03&to=2026-11-02",
        "hall={hall}&from=2020-01-01&to=2026-11-02",
        "hall={hall}&from=2026-11-01&to=2026-11-02&group_by=minute",
        "hall={hall}&to=2026-11-02",
    ],
)
def test_bad_questions_answer_400_json_like_the_table(api_as, manager, hall, north, suffix, query):
    path = f"/api/reports/kpis.{suffix}?" + query.format(hall=hall.pk, north=north.pk)
    response = api_as(manager).get(path, HTTP_ACCEPT="text/html")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_clerk_may_not_download_reports(clerk_api, hall, suffix):
    response = clerk_api.get(f"/api/reports/kpis.{suffix}?hall={hall.pk}&from=2026-11-01&to=2026-11-02")
    assert response.status_code == 403
