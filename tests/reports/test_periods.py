"""The report pages' periods: each named period and the one it is compared with, and the picker's input."""

import datetime as dt

import pytest

from reports.periods import PeriodForm, period

# A Wednesday.
TODAY = dt.date(2026, 12, 2)


def days(chosen):
    return (chosen.first, chosen.last, chosen.previous_first, chosen.previous_last)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("today", ("2026-12-02", "2026-12-02", "2026-12-01", "2026-12-01")),
        ("yesterday", ("2026-12-01", "2026-12-01", "2026-11-30", "2026-11-30")),
        ("this_week", ("2026-11-30", "2026-12-02", "2026-11-23", "2026-11-25")),
        ("last_week", ("2026-11-23", "2026-11-29", "2026-11-16", "2026-11-22")),
        ("this_month", ("2026-12-01", "2026-12-02", "2026-11-01", "2026-11-02")),
        ("last_month", ("2026-11-01", "2026-11-30", "2026-10-01", "2026-10-31")),
    ],
)
def test_each_named_period_and_the_one_before_it(name, expected):
    assert days(period(name, TODAY)) == tuple(dt.date.fromisoformat(day) for day in expected)


def test_this_month_is_compared_with_as_many_days_of_a_shorter_month_as_it_has():
    chosen = period("this_month", dt.date(2026, 3, 31))
    assert days(chosen) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def test_last_month_in_january_is_december_and_is_compared_with_november():
    chosen = period("last_month", dt.date(2027, 1, 15))
    assert days(chosen) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31), dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def test_a_custom_period_is_compared_with_as_many_days_just_before_it():
    chosen = period("custom", TODAY, dt.date(2026, 11, 10), dt.date(2026, 11, 16))
    assert days(chosen) == (dt.date(2026, 11, 10), dt.date(2026, 11, 16), dt.date(2026, 11, 3), dt.date(2026, 11, 9))
    assert chosen.days == 7


def form(**query):
    return PeriodForm(query, today=TODAY)


def test_the_picker_shows_today_when_nothing_is_asked():
    picker = form()
    assert picker.is_valid()
    assert picker.chosen().name == "today"


def test_a_range_without_a_period_name_is_a_custom_period():
    picker = form(**{"from": "2026-11-01", "to": "2026-11-05"})
    assert picker.is_valid()
    assert (picker.chosen().first, picker.chosen().last) == (dt.date(2026, 11, 1), dt.date(2026, 11, 5))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "fortnight"}, "period"),
        ({"period": "custom"}, "from"),
        ({"period": "custom", "from": "2026-11-01"}, "to"),
        ({"period": "custom", "from": "2026-11-31", "to": "2026-12-01"}, "from"),
        ({"period": "custom", "from": "2026-11-05", "to": "2026-11-01"}, "to"),
        ({"period": "custom", "from": "2026-11-05", "to": "2026-12-03"}, "to"),
        ({"period": "custom", "from": "2024-11-01", "to": "2026-11-30"}, "to"),
        ({"period": "custom", "from": "0001-01-01", "to": "2026-11-30"}, "to"),
    ],
    ids=[
        "unknown",
        "no-start",
        "no-end",
        "no-such-day",
        "ends-before-start",
        "ends-after-today",
        "over-two-years",
        "year-1",
    ],
)
def test_the_picker_refuses_a_period_it_cannot_show_and_says_which_field(query, field):
    picker = form(**query)
    assert not picker.is_valid()
    assert field in picker.errors
