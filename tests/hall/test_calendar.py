import datetime as dt
import zoneinfo

import pytest

from hall.calendar import add_working_days, is_working_day, load_holidays, working_days_between
from hall.models import CalendarDay, Notification
from tests.factories import UserFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _calendar():
    load_holidays(year=2026)


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_it_ends_a_friday_evening_acceptance_on_monday_night():
    assert add_working_days(at(2026, 11, 20, 18, 0), 1, SHANGHAI) == at(2026, 11, 23, 23, 59, 59)


def test_it_skips_the_national_day_week_and_counts_the_make_up_saturday():
    assert add_working_days(at(2026, 9, 30, 10, 0), 1, SHANGHAI) == at(2026, 10, 8, 23, 59, 59)
    assert add_working_days(at(2026, 9, 30, 10, 0), 3, SHANGHAI) == at(2026, 10, 10, 23, 59, 59)
    assert is_working_day(dt.date(2026, 10, 10))
    assert not is_working_day(dt.date(2026, 10, 5))


def test_it_counts_from_the_next_day_when_accepted_at_23_59():
    assert add_working_days(at(2026, 11, 23, 23, 59), 1, SHANGHAI) == at(2026, 11, 24, 23, 59, 59)


def test_it_counts_working_days_between_two_dates():
    assert working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 10)) == 3
    assert working_days_between(dt.date(2026, 10, 10), dt.date(2026, 10, 1)) == 0


def test_it_falls_back_to_monday_to_friday_and_notifies_superusers_once():
    admin = UserFactory(is_superuser=True)
    CalendarDay.objects.filter(date__year=2027).delete()
    assert add_working_days(at(2027, 1, 1, 9, 0), 1, SHANGHAI) == at(2027, 1, 4, 23, 59, 59)
    assert is_working_day(dt.date(2027, 1, 5))
    assert Notification.objects.filter(kind="calendar_year_missing", recipient=admin).count() == 1


def test_it_takes_an_edited_day_into_account_at_once():
    assert is_working_day(dt.date(2026, 11, 23))
    CalendarDay.objects.create(date=dt.date(2026, 11, 23), kind="holiday", name="test")
    assert not is_working_day(dt.date(2026, 11, 23))


def test_it_loads_holidays_idempotently_and_keeps_an_edited_row():
    CalendarDay.objects.filter(date=dt.date(2026, 10, 1)).update(name="edited")
    assert load_holidays(year=2026) == 0
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 1)).name == "edited"
