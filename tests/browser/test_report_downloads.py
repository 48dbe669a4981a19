"""The manager downloads a table of the dashboard as XLSX: the file holds the figures the API gives for the same
query, and the link asks for the period and the hall the page shows."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import expect

from hall.models import Hall, User
from repairs import services as repairs
from reports.labels import figure_label
from tests.browser.conftest import htmx_ready, log_in, seed
from tests.browser.test_report_pages import SERIES_DATA, screen, wait_drawn
from tickets import services as tickets
from tickets.models import Counter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOURS = """(id) => echarts.getInstanceByDom(document.querySelector(`[data-chart="${id}"]`)).getOption().xAxis[0].data"""


def yesterdays_work(hall) -> dt.date:
    """Yesterday at counter 1, open 09:00–17:00: two tickets served and rated 5 and 2; an outage repaired and called
    back; a customer at 17:10, when no counter was open any more."""
    day = hall.today() - dt.timedelta(days=1)
    clerk = User.objects.get(username="clerk1")
    worker = User.objects.get(username="worker1")
    counter = Counter.objects.get(hall=hall, number=1)
    business_type = hall.business_types.get(code="A")

    def at(hour, minute):
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=hall.tz)

    with time_machine.travel(at(9, 0), tick=False) as clock:
        tickets.counter_open(counter=counter, actor=clerk)
        issued = []
        for minute in (5, 8):
            clock.move_to(at(9, minute))
            issued.append(tickets.ticket_issue(hall=hall, business_type=business_type))
        for (start, end), score in zip(((15, 25), (30, 42)), (5, 2), strict=True):
            clock.move_to(at(9, start))
            ticket = tickets.ticket_call_next(counter=counter, actor=clerk)
            tickets.ticket_start(ticket=ticket, actor=clerk)
            clock.move_to(at(9, end))
            tickets.ticket_finish(ticket=ticket, actor=clerk)
            tickets.ticket_rate(ticket=ticket, score=score)
        clock.move_to(at(10, 0))
        repair = repairs.repair_register(
            hall=hall,
            customer_name="张三",
            phone="13800000001",
            address="人民路1号",
            fault="outage",
            description="停电",
            urgency=2,
            actor=clerk,
        )
        repair = repairs.repair_dispatch(repair=repair, worker=worker, actor=clerk)
        clock.move_to(at(10, 40))
        repair = repairs.repair_arrive(repair=repair, actor=worker)
        clock.move_to(at(11, 30))
        repair = repairs.repair_complete(repair=repair, notes="已修复", actor=worker)
        clock.move_to(at(15, 0))
        repairs.repair_callback(repair=repair, satisfaction=5, actor=clerk)
        clock.move_to(at(17, 0))
        tickets.counter_close(counter=counter, actor=clerk)
        clock.move_to(at(17, 10))
        tickets.ticket_issue(hall=hall, business_type=business_type)
    return day


def downloaded_xlsx(page, link):
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        return openpyxl.load_workbook(file)


def sheet_rows(book) -> dict[str, dict]:
    """The first sheet as {group label: {header: value}}, without the targets' row."""
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in rows[1:-1]}


def assert_same_figures(sheet: dict, api: dict, names) -> None:
    assert set(sheet) == {row["label"] for row in api["rows"]}
    with translation.override("zh-hans"):
        for row in api["rows"]:
            for name in names:
                assert sheet[row["label"]][figure_label(name)] == row["figures"][name]["value"], (row["key"], name)


def test_the_manager_downloads_a_table_with_the_figures_of_the_api(live_server, new_page):
    seed()
    hall = Hall.objects.get(code="demo")
    yesterday = yesterdays_work(hall)
    url = live_server.url

    page = new_page(1366, 768)
    log_in(page, url, "manager")
    expect(page).to_have_url(f"{url}/reports/")
    page.click("[data-period='yesterday']")
    expect(page).to_have_url(f"{url}/reports/?hall={hall.pk}&period=yesterday")
    htmx_ready(page)

    # One counter open each hour from 9 to 17 over yesterday's arrivals; the customer at 17:10 found none open.
    wait_drawn(page, "arrivals_by_hour")
    hours = page.evaluate(HOURS, "arrivals_by_hour")
    counters_open = dict(zip(hours, page.evaluate(SERIES_DATA, "arrivals_by_hour")[2], strict=True))
    assert [counters_open[f"{hour:02d}:00"] for hour in range(9, 18)] == [1.0] * 8 + [0.0]
    card = page.locator("#chart-arrivals_week")
    card.locator("[data-table-toggle]").click()
    short = card.locator("[data-chart-table] td[data-short]")
    expect(short).to_have_count(3)  # one cell, in its three rows: arrivals, counters open, arrivals per counter
    expect(short.nth(0)).to_have_text("1 ▲")
    expect(short.nth(1)).to_have_text("0 ▲")
    expect(short.nth(2)).to_have_text("— ▲")
    card.locator("[data-table-toggle]").click()
    marks = page.evaluate(SERIES_DATA, "arrivals_week")[1]
    assert len(marks) == 1
    screen(page, "reports_capacity_1366")

    # The totals' download (under a chart over the period's totals) asks for the period and hall shown.
    link = page.locator("#chart-complaint_clocks [data-export='xlsx']")
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert query == {
        "hall": [str(hall.pk)],
        "from": [yesterday.isoformat()],
        "to": [yesterday.isoformat()],
        "group_by": ["total"],
    }
    api = page.request.get(f"{url}/api/reports/kpis/", params={k: v[0] for k, v in query.items()}).json()
    totals = api["rows"][0]["figures"]
    assert (totals["served"]["value"], totals["wait_avg"]["value"]) == (2, (10 + 22) / 2)
    assert totals["pad_satisfaction"]["value"] == 0.5
    assert totals["repairs_registered"]["value"] == 1
    assert totals["issued"]["value"] == 3
    sheet = sheet_rows(downloaded_xlsx(page, link))
    figures = ("served", "wait_avg", "service_avg", "pad_satisfaction", "repairs_registered", "customer_satisfaction")
    assert_same_figures(sheet, api, figures)

    # The clerks' table: the same figures as the API per clerk, and as the page writes them.
    table = page.locator("#table-clerk")
    link = table.locator("[data-export='xlsx']")
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert (query["hall"], query["from"], query["to"], query["group_by"]) == (
        [str(hall.pk)],
        [yesterday.isoformat()],
        [yesterday.isoformat()],
        ["clerk"],
    )
    api = page.request.get(f"{url}/api/reports/kpis/", params={k: v[0] for k, v in query.items()}).json()
    assert [row["figures"]["served"]["value"] for row in api["rows"]] == [2]
    assert_same_figures(sheet_rows(downloaded_xlsx(page, link)), api, ("served", "service_avg", "pad_satisfaction"))
    expect(table.locator("tbody tr td[data-figure='served']")).to_have_text("2")
