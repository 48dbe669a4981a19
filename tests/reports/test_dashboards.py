"""How the report pages judge and write a figure: against its target, "—" over nothing, the urgency qualifiers."""

import pytest

from reports import engine
from reports.dashboards import headlines, qualifier_label
from reports.templatetags.report_figures import format_figure

TARGETS = {"response_timeliness": 0.95, "customer_satisfaction": 0.9, "complaint_rate": 0.02}


def states(**figures):
    return {card["name"]: card["state"] for card in headlines(figures, None, TARGETS)}


def test_a_figure_exactly_at_its_target_meets_it_from_either_side():
    assert states(
        response_timeliness=engine.rate(19, 20),
        customer_satisfaction=engine.rate(9, 10),
        complaint_rate=engine.rate(1, 50),
    ) == {"response_timeliness": "ok", "customer_satisfaction": "ok", "complaint_rate": "ok"}


def test_a_figure_on_the_wrong_side_of_its_target_misses_it_and_one_over_nothing_is_neither():
    assert states(
        response_timeliness=engine.rate(18, 20),
        customer_satisfaction=engine.rate(0, 0),
        complaint_rate=engine.rate(2, 50),
    ) == {"response_timeliness": "bad", "customer_satisfaction": "none", "complaint_rate": "bad"}
    assert states() == dict.fromkeys(TARGETS, "none")


@pytest.mark.parametrize(
    ("figure", "text"),
    [
        (engine.rate(19, 20), "95.0%"),
        (engine.rate(2, 3), "66.7%"),
        (engine.rate(0, 0), "—"),
        (engine.mean_minutes(750, 2), "6.3"),
        ({"value": -2.25, "count": 4}, "-2.3"),
        ({"value": 0.15, "count": 1}, "0.2"),
        (engine.rate(1901, 2000), "95.1%"),
        (engine.mean_minutes(0, 0), "—"),
        (engine.count(12), "12"),
        ({"value": 2.25}, "2.3"),
        (None, "—"),
    ],
)
def test_a_figure_is_written_as_the_pages_write_it(figure, text):
    assert format_figure(figure) == text


def test_arrivals_per_open_day_are_a_number_not_a_share():
    assert format_figure(engine.rate(7, 2), name="arrivals") == "3.5"


@pytest.mark.parametrize(
    ("qualifier", "label"),
    [("urgency_1", "Urgency 1"), ("u3", "Urgency 3"), ("key_customer", "Key customers"), ("other", "other")],
)
def test_the_qualifiers_of_response_timeliness_are_named(qualifier, label, settings):
    from django.utils import translation

    with translation.override("en"):
        assert qualifier_label(qualifier) == label
