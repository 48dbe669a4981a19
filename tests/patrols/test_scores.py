"""The patrol scores per day and per category, with the items failed again: the selector, the API and the page."""

import datetime as dt

import pytest
from django.utils import translation

from hall.errors import ApplicationError
from patrols import selectors, services
from tests.factories import UserFactory
from tests.schema import api_schema, type_errors

pytestmark = pytest.mark.django_db
PAGE_LANGUAGE = "en"
MONDAY = dt.date(2026, 3, 2)  # the clock fixture's day


def patrol(template, actor, failed=(), finish=True):
    walked = services.patrol_start(hall=template.hall, template=template, actor=actor)
    for item in selectors.patrol_items(walked):
        result = "fail" if item.text in failed else "pass"
        services.patrol_check(patrol=walked, item=item, result=result, actor=actor)
    return services.patrol_finish(patrol=walked, actor=actor) if finish else walked


@pytest.fixture
def walked(hall, template, duty, clock):
    """Monday: two patrols (the floor failed in one); Wednesday: the floor and the queue failed; Thursday: one left
    unfinished; the floor failed again 20 days later."""
    patrol(template, duty, failed={"地面整洁"})
    clock.shift(dt.timedelta(hours=6))
    patrol(template, duty)
    clock.shift(dt.timedelta(days=2))
    patrol(template, duty, failed={"地面整洁", "排队有序"})
    clock.shift(dt.timedelta(days=1))
    patrol(template, duty, failed={"地面整洁"}, finish=False)
    clock.shift(dt.timedelta(days=20))
    patrol(template, duty, failed={"地面整洁"})
    return hall


def by_category(row):
    return {c["category"]: (c["score"], c["max_score"]) for c in row["categories"]}


def test_the_scores_add_up_per_day_and_per_category_over_finished_patrols(walked):
    days = selectors.daily_scores(walked, MONDAY, MONDAY + dt.timedelta(days=6))

    assert [(d["date"], d["patrols"], d["score"], d["max_score"]) for d in days] == [
        (MONDAY, 2, 15, 20),
        (MONDAY + dt.timedelta(days=2), 1, 2, 10),
    ]
    assert by_category(days[0]) == {"environment": (5, 10), "order": (6, 6), "staff": (4, 4)}
    assert by_category(days[1]) == {"environment": (0, 5), "order": (0, 3), "staff": (2, 2)}


def test_an_item_failed_in_two_patrols_within_14_days_is_flagged_among_the_failed_items(walked):
    week = selectors.failing_items(walked, MONDAY, MONDAY + dt.timedelta(days=6))
    assert [(row["text"], row["failures"], row["repeated"]) for row in week] == [
        ("地面整洁", 2, True),
        ("排队有序", 1, False),
    ]

    later = selectors.failing_items(walked, MONDAY + dt.timedelta(days=3), MONDAY + dt.timedelta(days=30))
    assert [(row["text"], row["failures"], row["repeated"]) for row in later] == [("地面整洁", 1, False)]


def test_the_period_is_the_last_30_days_by_default_and_at_most_a_year(hall, clock):
    with translation.override("en"):
        assert selectors.score_period(hall) == (MONDAY - dt.timedelta(days=29), MONDAY)
        assert selectors.score_period(hall, MONDAY) == (MONDAY, MONDAY + dt.timedelta(days=29))
        assert selectors.score_period(hall, None, MONDAY) == (MONDAY - dt.timedelta(days=29), MONDAY)
        with pytest.raises(ApplicationError, match="comes after"):
            selectors.score_period(hall, MONDAY, MONDAY - dt.timedelta(days=1))
        with pytest.raises(ApplicationError, match="at most 366 days"):
            selectors.score_period(hall, MONDAY - dt.timedelta(days=366), MONDAY)


# The API


def test_the_api_answers_the_days_categories_and_failed_items_of_the_period(api_as, walked, duty):
    response = api_as(duty).get("/api/patrols/scores/?from=2026-03-01&to=2026-03-07")

    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"], body["patrols"], body["score"], body["max_score"]) == (
        "2026-03-01",
        "2026-03-07",
        3,
        17,
        30,
    )
    assert [(d["date"], d["score"]) for d in body["days"]] == [("2026-03-02", 15), ("2026-03-04", 2)]
    assert by_category(body) == {"environment": (5, 15), "order": (6, 9), "staff": (6, 6)}
    assert [(row["text"], row["repeated"]) for row in body["failing_items"]] == [
        ("地面整洁", True),
        ("排队有序", False),
    ]
    schema = api_schema()
    assert type_errors(schema, "ScoresOutput", body) == []
    assert type_errors(schema, "DayScoreOutput", body["days"][0]) == []
    assert type_errors(schema, "FailingItemOutput", body["failing_items"][0]) == []


def test_the_api_reads_the_last_30_days_by_default(api_as, walked, manager):
    body = api_as(manager).get("/api/patrols/scores/").json()

    # The clock is now 23 days after the first Monday: every patrol is within the last 30 days.
    assert (body["from"], body["to"], body["patrols"]) == ("2026-02-24", "2026-03-25", 4)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2026-03-07&to=2026-03-01", "from"),
        ("from=2025-01-01&to=2026-03-01", "from"),
        ("hall=x", "hall"),
    ],
)
def test_bad_dates_answer_400(api_as, hall, duty, clock, query, field):
    response = api_as(duty).get(f"/api/patrols/scores/?{query}")

    assert response.status_code == 400 and field in response.json(), response.json()


def test_the_scores_are_for_the_halls_managers(api_as, walked, clerk, north):
    assert api_as(clerk).get("/api/patrols/scores/").status_code == 403
    north_duty = UserFactory(hall=north, username="north_duty", roles=["duty_manager"])
    client = api_as(north_duty)
    assert client.get(f"/api/patrols/scores/?hall={walked.pk}").status_code == 404
    assert client.get("/api/patrols/scores/?from=2026-03-01&to=2026-03-07").json()["patrols"] == 0


def test_an_admin_names_the_hall(api_as, walked):
    admin = UserFactory(username="root", hall=None, is_superuser=True, is_staff=True)

    assert "hall" in api_as(admin).get("/api/patrols/scores/").json()
    assert api_as(admin).get(f"/api/patrols/scores/?hall={walked.pk}").json()["patrols"] == 4


# The page


def test_the_scores_page_shows_the_days_categories_and_the_items_failed_again(client_as, walked, duty):
    page = client_as(duty).get("/patrol/scores/?from=2026-03-01&to=2026-03-07")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="day-2026-03-02"' in html and 'id="day-2026-03-04"' in html and "15/20" in html
    assert "Service environment" in html and "5/15" in html
    assert html.count("failing-repeated") == 1 and "Failed again" in html and "排队有序" in html


def test_the_patrol_home_links_the_scores_and_a_bad_date_answers_400(client_as, hall, duty, clerk, clock):
    page = client_as(duty)
    assert "/patrol/scores/" in page.get("/patrol/").content.decode()
    refused = page.get("/patrol/scores/?from=2026-02-30")
    assert refused.status_code == 400 and "is not a date" in refused.content.decode()
    assert client_as(clerk).get("/patrol/scores/").status_code == 403
