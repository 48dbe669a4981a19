import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from playwright.sync_api import expect

from hall.models import Hall
from tests.browser.conftest import htmx_ready, log_in, seed
from tests.browser.test_content_security_policy import violations, watched
from tests.factories import issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(settings.RUN_DIR) / "screens"

# The option ECharts drew a chart with: each series' values, null where a figure is missing.
SERIES_DATA = """(id) => {
  const chart = echarts.getInstanceByDom(document.querySelector(`[data-chart="${id}"]`));
  if (!chart) return null;
  return chart.getOption().series.map((series) => series.data.map((point) => point.value));
}"""
# Whether a chart's canvas holds anything: its pixels against a blank canvas of the same size.
CANVAS_DRAWN = """(id) => {
  const canvas = document.querySelector(`[data-chart="${id}"] canvas`);
  if (!canvas || !canvas.width) return false;
  const blank = document.createElement("canvas");
  blank.width = canvas.width;
  blank.height = canvas.height;
  return canvas.toDataURL() !== blank.toDataURL();
}"""


def screen(page, name):
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')].every((e) => e.dataset.rendered === 'true')"
    )
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)
    page.screenshot(path=str(SCREENS / f"{name}_first_screen.png"))


def history(hall) -> dict:
    """Tickets on each day of last week (a few hours apart) and two this morning; returns the counts."""
    today = hall.today()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    types = list(hall.business_types.order_by("code"))
    last_week = at_nine = 0
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        for hour in (9, 10, 10, 11, 14, 15, 15, 15)[: 4 + offset % 5]:
            moment = dt.datetime.combine(day, dt.time(hour, 5 * offset), tzinfo=hall.tz)
            with time_machine.travel(moment):
                issue(hall, types[(hour + offset) % len(types)])
            last_week += 1
            at_nine += hour == 9
    for business_type in types[:2]:
        issue(hall, business_type)
    return {"last_week": last_week, "at_nine": at_nine, "today": 2}


def wait_drawn(page, chart_id):
    page.wait_for_function(f"(id) => ({SERIES_DATA})(id) !== null", arg=chart_id)


def total(series) -> int:
    return sum(value or 0 for value in series)


def test_the_manager_reads_the_dashboard_switches_the_period_and_sees_the_charts(live_server, new_page):
    seed()
    hall = Hall.objects.get(code="demo")
    counts = history(hall)
    url = live_server.url

    page = watched(new_page(1366, 768))
    log_in(page, url, "manager")
    expect(page).to_have_url(f"{url}/reports/")
    expect(page.locator("[data-headline='response_timeliness']")).to_be_visible()

    # Today: the arrivals by hour are drawn from the two tickets of this morning.
    wait_drawn(page, "arrivals_by_hour")
    assert total(page.evaluate(SERIES_DATA, "arrivals_by_hour")[0]) == counts["today"]
    assert page.evaluate(CANVAS_DRAWN, "arrivals_by_hour")

    # Last week: every ticket of it, by hour and by day.
    page.click("[data-period='last_week']")
    expect(page).to_have_url(f"{url}/reports/?hall={hall.pk}&period=last_week")
    htmx_ready(page)
    wait_drawn(page, "arrivals_by_hour")
    assert total(page.evaluate(SERIES_DATA, "arrivals_by_hour")[0]) == counts["last_week"]
    assert len(page.evaluate(SERIES_DATA, "waits_per_day")[0]) == 7
    assert page.evaluate(CANVAS_DRAWN, "arrivals_by_hour")
    assert page.evaluate(CANVAS_DRAWN, "waits_per_day")
    expect(page.locator("[data-period='last_week']")).to_have_class("chip chip-on")

    # The table toggle shows the chart's numbers instead of the chart, and back.
    card = page.locator("#chart-arrivals_by_hour")
    card.locator("[data-table-toggle]").click()
    expect(card.locator("[data-chart-table] table")).to_be_visible()
    expect(card.locator("[data-chart]")).to_be_hidden()
    nine = card.locator("[data-chart-table] tbody tr", has_text="09:00")
    expect(nine.locator("td").first).to_have_text(str(counts["at_nine"]))
    card.locator("[data-table-toggle]").click()
    expect(card.locator("[data-chart]")).to_be_visible()

    # A tooltip, written without inline styles, appears on hovering a bar.
    page.locator("[data-chart='arrivals_by_hour']").scroll_into_view_if_needed()
    box = page.locator("[data-chart='arrivals_by_hour']").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("[data-chart='arrivals_by_hour'] .tip-head")).to_be_visible()

    # A custom period from the picker.
    first = hall.today() - dt.timedelta(days=hall.today().weekday() + 7)
    page.fill("input[name='from']", f"{first:%Y-%m-%d}")
    page.fill("input[name='to']", f"{first + dt.timedelta(days=1):%Y-%m-%d}")
    page.click(".period-custom button[type='submit']")
    page.wait_for_url(lambda address: "period=custom" in address)
    wait_drawn(page, "waits_per_day")
    assert len(page.evaluate(SERIES_DATA, "waits_per_day")[0]) == 2

    page.goto(f"{url}/reports/?period=last_week")
    wait_drawn(page, "arrivals_by_hour")
    page.evaluate("document.fonts.ready")
    screen(page, "reports_dashboard_1366")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert violations(page) == []


def test_the_big_screen_draws_today_and_renews_itself(live_server, new_page):
    seed()
    hall = Hall.objects.get(code="demo")
    history(hall)

    page = watched(new_page(1920, 1080))
    log_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/reports/wall/")
    htmx_ready(page)
    wait_drawn(page, "wall_arrivals")
    assert total(page.evaluate(SERIES_DATA, "wall_arrivals")[0]) == 2
    assert page.evaluate(CANVAS_DRAWN, "wall_arrivals")
    # Everything on one screen, nothing to scroll.
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080

    # The minute's renewal, asked for now: the new copy is drawn like the first.
    issue(hall, hall.business_types.get(code="A"))
    page.evaluate(
        "() => htmx.ajax('GET', document.querySelector('#wall-live').getAttribute('hx-get'), "
        "{target: '#wall-live', swap: 'outerHTML'})"
    )
    expect(page.locator("[data-total='issued']")).to_have_text("3")
    page.wait_for_function(
        f"(id) => {{ const data = ({SERIES_DATA})(id); return data && data[0].reduce((a, b) => a + b, 0) === 3; }}",
        arg="wall_arrivals",
    )
    assert page.evaluate(CANVAS_DRAWN, "wall_arrivals")
    screen(page, "reports_wall_1920")
    assert violations(page) == []


def test_the_administrator_ranks_the_halls(live_server, new_page):
    seed()
    history(Hall.objects.get(code="demo"))
    page = watched(new_page(1366, 768))
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/reports/halls/?period=last_week")
    expect(page.locator("tr[data-hall]")).to_have_count(2)
    page.click("[data-sort='complaint_rate']")
    expect(page.locator("th.sorted [data-sort='complaint_rate']")).to_be_visible()
    page.locator("tr[data-hall='demo'] th a").click()
    page.wait_for_url(lambda address: "/reports/?hall=" in address and "period=last_week" in address)
    wait_drawn(page, "arrivals_by_hour")
    page.goto(f"{live_server.url}/reports/halls/?period=last_week")
    screen(page, "reports_halls_1366")
    assert violations(page) == []
