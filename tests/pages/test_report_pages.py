"""The managers' report pages: who may open them, the headline figures against their targets, the period picker,
the charts' data on the page, the big screen and the halls side by side."""

import datetime as dt
import json
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from hall.models import Role
from reports import engine
from reports.models import Targets
from tests.factories import HallFactory, UserFactory, issue, serve

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Wednesday, 10:00 in the hall.
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def headline_figures(monkeypatch):
    """Fixed headline rates in place of the records behind them: the page shows whatever the engine answers (the
    figures themselves are tested in tests/reports)."""
    stand_in = engine.Source(
        name="headlines",
        parts=lambda halls, first, last: iter(()),
        figures={
            "response_timeliness": lambda parts: engine.rate(19, 20),
            "customer_satisfaction": lambda parts: engine.rate(8, 10),
            "complaint_rate": lambda parts: engine.rate(0, 0),
        },
    )
    monkeypatch.setattr(engine, "SOURCES", [*engine.SOURCES, stand_in])


def page_data(response) -> dict:
    match = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the page carries its charts' data"
    return json.loads(match.group(1))


def headline(response, name) -> str:
    match = re.search(
        rf'<article class="headline[^"]*" data-headline="{name}" data-state="(\w+)">(.*?)</article>',
        response.content.decode(),
        re.S,
    )
    assert match, name
    return match.group(1), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(2))).strip()


# Who lands where, and who may open the pages


def test_a_hall_manager_lands_on_the_reports_and_a_duty_manager_on_the_floor(client_as, manager, duty):
    assert client_as(manager).get(reverse("home")).url == reverse("reports")
    assert client_as(duty).get(reverse("home")).url == reverse("floor")


def test_the_menu_of_both_managers_links_the_floor_and_the_reports(client_as, manager, duty, clerk):
    for user in (manager, duty):
        page = client_as(user).get(reverse("notifications")).content.decode()
        assert f'href="{reverse("reports")}"' in page and f'href="{reverse("floor")}"' in page
    assert f'href="{reverse("reports")}"' not in client_as(clerk).get(reverse("notifications")).content.decode()


@pytest.mark.parametrize("name", ["reports", "reports-wall", "reports-wall-live", "reports-halls"])
def test_a_clerk_gets_the_refused_page(client_as, clerk, name):
    response = client_as(clerk).get(reverse(name))
    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]


@pytest.mark.parametrize("name", ["reports", "reports-wall", "reports-halls"])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_duty_manager_reads_the_reports_of_the_hall(client_as, duty, hall):
    response = client_as(duty).get(reverse("reports"))
    assert response.status_code == 200
    assert response.context["hall"] == hall


@pytest.mark.parametrize("name", ["reports", "reports-wall", "reports-wall-live"])
def test_another_halls_reports_are_missing_like_a_hall_that_does_not_exist(client_as, manager, north, name):
    client = client_as(manager)
    assert client.get(reverse(name), {"hall": north.pk}).status_code == 404
    assert client.get(reverse(name), {"hall": 999999}).status_code == 404


def test_an_administrator_without_a_hall_starts_from_the_halls_and_opens_any_of_them(client_as, admin_user, north):
    client = client_as(admin_user)
    assert client.get(reverse("reports")).url == reverse("reports-halls")
    response = client.get(reverse("reports"), {"hall": north.pk})
    assert response.status_code == 200
    assert response.context["hall"] == north


# The headline figures


def test_the_headline_figures_are_shown_against_the_halls_targets(client_as, manager, hall, headline_figures):
    Targets.objects.create(hall=hall, customer_satisfaction="0.750")
    response = client_as(manager).get(reverse("reports"))

    assert response.status_code == 200
    state, text = headline(response, "response_timeliness")
    assert state == "ok"
    assert "95.0%" in text and "≥ 95.0%" in text and "19 / 20" in text and "达标" in text
    state, text = headline(response, "customer_satisfaction")
    assert state == "ok" and "80.0%" in text and "≥ 75.0%" in text
    state, text = headline(response, "complaint_rate")
    assert state == "none" and "—" in text and "≤ 2.0%" in text


def test_a_headline_figure_below_its_target_is_red(client_as, manager, headline_figures):
    state, text = headline(client_as(manager).get(reverse("reports")), "customer_satisfaction")
    assert state == "bad"
    assert "80.0%" in text and "≥ 90.0%" in text and "未达标" in text


def test_a_headline_figure_over_nothing_is_a_dash(client_as, manager):
    response = client_as(manager).get(reverse("reports"))
    for name in ("response_timeliness", "customer_satisfaction", "complaint_rate"):
        state, text = headline(response, name)
        assert state == "none" and text.startswith(f"{text.split()[0]} —"), text


# The period picker


def test_today_is_shown_by_default_and_compared_with_yesterday(client_as, manager):
    response = client_as(manager).get(reverse("reports"))
    chosen = response.context["period"]
    assert (chosen.first, chosen.last, chosen.previous_first) == (NOW.date(), NOW.date(), dt.date(2026, 12, 1))
    assert "2026-12-02 至 2026-12-02，对比 2026-12-01 至 2026-12-01" in response.content.decode()


def test_switching_the_period_changes_the_days_the_figures_are_over(client_as, manager, hall, types):
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        issue(hall, types["A"])
        issue(hall, types["B"])
    issue(hall, types["A"])
    client = client_as(manager)

    today = page_data(client.get(reverse("reports")))
    yesterday = client.get(reverse("reports"), {"period": "yesterday"})
    week = client.get(reverse("reports"), {"period": "this_week"})

    def issued(data):
        return sum(row["figures"].get("issued", {}).get("value", 0) for row in data["groups"]["hour"])

    assert issued(today) == 1
    assert issued(page_data(yesterday)) == 2
    assert issued(page_data(week)) == 3
    assert [row["label"] for row in page_data(week)["groups"]["day"]] == ["11-30", "12-01", "12-02"]
    page = yesterday.content.decode()
    assert 'class="chip chip-on" href="?hall=' in page and 'data-period="yesterday"' in page


def test_a_custom_period_is_shown_and_a_bad_one_answers_400_saying_why(client_as, manager):
    client = client_as(manager)
    response = client.get(reverse("reports"), {"period": "custom", "from": "2026-11-01", "to": "2026-11-07"})
    assert response.status_code == 200
    assert (response.context["period"].first, response.context["period"].previous_first) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 10, 25),
    )

    response = client.get(reverse("reports"), {"period": "custom", "from": "2026-11-07", "to": "2026-11-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "时段的结束早于开始" in page
    assert 'id="report-data"' not in page

    response = client.get(reverse("reports"), {"period": "custom", "from": "2026-13-01", "to": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"from", "to"}


# The charts and the tables


def test_the_charts_data_is_on_the_page_with_links_to_the_exports(client_as, manager, hall, types):
    issue(hall, types["A"])
    response = client_as(manager).get(reverse("reports"), {"period": "this_week"})
    data = page_data(response)

    charts = {chart["id"]: chart for chart in data["charts"]}
    assert {
        "arrivals_by_hour",
        "arrivals_week",
        "waits_per_day",
        "timeliness_per_day",
        "complaint_rate_per_day",
        "satisfaction_per_clerk",
    } <= set(charts)
    assert charts["timeliness_per_day"]["target"]["value"] == 0.95
    # Every hour from opening (08:30) to closing (17:30), those without tickets empty.
    hours = {row["label"]: row["figures"] for row in data["groups"]["hour"]}
    assert list(hours) == [f"{hour:02d}:00" for hour in range(8, 18)]
    assert hours["10:00"]["issued"] == {"value": 1}
    assert hours["09:00"] == {}
    page = response.content.decode()
    query = f"hall={hall.pk}&amp;from=2026-11-30&amp;to=2026-12-02&amp;group_by=day"
    assert f'href="/api/reports/kpis.csv?{query}"' in page
    assert f'href="/api/reports/kpis.xlsx?{query}"' in page
    assert page.count('data-table-toggle="') == len(data["charts"])
    # No inline script: ECharts and the page's own file are served from the project.
    assert re.findall(r"<script(?! id=\"report-data\")[^>]*>", page) == [
        '<script src="/static/vendor/htmx-2.0.8.min.js" defer>',
        '<script src="/static/vendor/echarts/echarts.min.js" defer>',
        '<script src="/static/js/reports.js" defer>',
    ]


def test_the_clerk_and_counter_tables_show_each_row_and_a_dash_for_figures_not_computed(
    client_as, manager, monkeypatch, clerk
):
    def parts(halls, first, last):
        for hall in halls:
            yield hall.pk, first, "clerk", str(clerk.pk), {"stand_in_served": 12}

    stand_in = engine.Source(
        name="clerks", parts=parts, figures={"served": lambda parts: engine.count(parts.get("stand_in_served", 0))}
    )
    monkeypatch.setattr(engine, "SOURCES", [*engine.SOURCES, stand_in])

    page = client_as(manager).get(reverse("reports")).content.decode()

    row = re.search(rf'<tr data-key="{clerk.pk}">(.*?)</tr>', page, re.S).group(1)
    assert clerk.display_name in row
    assert '<td class="number" data-figure="served">12</td>' in row
    assert '<td class="number" data-figure="service_avg">—</td>' in row


# The big screen


def test_the_big_screen_shows_today_and_asks_for_itself_again_every_minute(client_as, manager, hall, types):
    issue(hall, types["A"])
    client = client_as(manager)
    response = client.get(reverse("reports-wall"))
    page = response.content.decode()

    assert response.status_code == 200
    assert 'hx-trigger="every 60s"' in page
    assert f'hx-get="{reverse("reports-wall-live")}?hall={hall.pk}"' in page
    assert 'class="topbar"' not in page
    assert re.search(r'<dd data-total="issued">1</dd>', page)
    hours = {row["key"]: row["figures"] for row in page_data(response)["groups"]["hour"]}
    assert hours["10"]["issued"] == {"value": 1}

    live = client.get(reverse("reports-wall-live")).content.decode()
    assert live.startswith('<div id="wall-live"') and "<html" not in live


# The halls side by side


@pytest.fixture
def three_halls(hall, types, north):
    south = HallFactory(code="south", name="南区营业厅")
    Targets.objects.create(hall=north, response_timeliness="0.990")
    return hall, north, south


def ranked(response) -> list[str]:
    return re.findall(r'<tr data-hall="([\w-]+)">', response.content.decode())


def test_an_administrator_ranks_every_hall_by_a_headline_figure(client_as, admin_user, three_halls, monkeypatch):
    hall, north, south = three_halls
    values = {hall.pk: (18, 20), north.pk: (97, 100), south.pk: (0, 0)}

    def parts(halls, first, last):
        for each in halls:
            yield (
                each.pk,
                first,
                "total",
                "",
                {"stand_in_on_time": values[each.pk][0], "stand_in_due": values[each.pk][1]},
            )

    stand_in = engine.Source(
        name="timeliness",
        parts=parts,
        figures={"response_timeliness": lambda p: engine.rate(p.get("stand_in_on_time", 0), p.get("stand_in_due", 0))},
    )
    monkeypatch.setattr(engine, "SOURCES", [*engine.SOURCES, stand_in])
    client = client_as(admin_user)

    response = client.get(reverse("reports-halls"), {"sort": "response_timeliness"})
    assert response.status_code == 200
    assert ranked(response) == ["north", "demo", "south"]
    page = response.content.decode()
    # Each hall against its own target: north's 97 % misses its 99 %, demo's 90 % misses 95 %.
    assert page.count('figure-bad" data-figure="response_timeliness">') == 2
    assert f'href="{reverse("reports")}?hall={north.pk}&amp;period=this_week"' not in page
    assert f'href="{reverse("reports")}?hall={north.pk}"' in page

    turned = client.get(reverse("reports-halls"), {"sort": "-response_timeliness", "period": "this_week"})
    assert ranked(turned) == ["demo", "north", "south"]
    assert f'href="{reverse("reports")}?hall={north.pk}&amp;period=this_week"' in turned.content.decode()

    assert ranked(client.get(reverse("reports-halls"), {"sort": "nonsense"})) == ["north", "demo", "south"]


def test_a_hall_manager_sees_only_their_own_hall_in_the_ranking(client_as, manager, three_halls):
    response = client_as(manager).get(reverse("reports-halls"))
    assert response.status_code == 200
    assert ranked(response) == ["demo"]


def test_a_duty_manager_may_not_rank_the_halls(client_as, duty):
    assert client_as(duty).get(reverse("reports-halls")).status_code == 403


def test_the_ranking_refuses_a_bad_period_with_400(client_as, admin_user, hall):
    response = client_as(admin_user).get(reverse("reports-halls"), {"period": "custom", "from": "2026-12-05"})
    assert response.status_code == 400
    assert "to" in response.context["form"].errors


def test_a_manager_of_no_hall_finds_no_reports(client_as, db):
    nobody = UserFactory(hall=None, username="lost", roles=[Role.HALL_MANAGER])
    assert client_as(nobody).get(reverse("reports"), {"hall": "1"}).status_code == 404


def test_an_administrators_home_links_each_halls_reports(client_as, admin_user, hall, north):
    page = client_as(admin_user).get(reverse("home")).content.decode()
    for each in (hall, north):
        assert f'href="{reverse("reports")}?hall={each.pk}"' in page


def test_the_tables_and_charts_show_the_queues_own_figures(client_as, manager, hall, types, counter, clerk):
    issue(hall, types["A"])
    issue(hall, types["B"])
    serve(counter, clerk)

    response = client_as(manager).get(reverse("reports"))
    page = response.content.decode()
    data = page_data(response)

    row = re.search(rf'<tr data-key="{clerk.pk}">(.*?)</tr>', page, re.S).group(1)
    assert '<td class="number" data-figure="served">1</td>' in row
    counter_row = re.search(rf'<tr data-key="{counter.pk}">(.*?)</tr>', page, re.S).group(1)
    assert '<td class="number" data-figure="served">1</td>' in counter_row
    # Two tickets at 10:00 on the one open Wednesday.
    [cell] = [row for row in data["groups"]["weekday_hour"] if row["key"] == "3-10"]
    assert cell["figures"]["arrivals"]["value"] == 2
    assert page_data(response)["groups"]["day"][0]["figures"]["wait_avg"]["count"] == 1
