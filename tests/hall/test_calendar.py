import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hall.calendar import add_working_days, is_working_day, load_holidays, working_days_between, year_is_known
from hall.models import CalendarDay, Notification
from hall.services import MISSING_YEAR_KIND
from hall.tasks import warn_missing_calendar_years
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


def test_it_falls_back_to_monday_to_friday_in_a_year_without_entries():
    CalendarDay.objects.filter(date__year=2027).delete()
    assert add_working_days(at(2027, 1, 1, 9, 0), 1, SHANGHAI) == at(2027, 1, 4, 23, 59, 59)
    assert is_working_day(dt.date(2027, 1, 5))
    assert not is_working_day(dt.date(2027, 1, 9))


def test_reading_the_calendar_of_a_year_without_entries_writes_nothing():
    UserFactory(is_superuser=True)
    CalendarDay.objects.filter(date__year=2027).delete()

    with CaptureQueriesContext(connection) as queries:
        add_working_days(at(2027, 1, 1, 9, 0), 15, SHANGHAI)
        working_days_between(dt.date(2027, 1, 1), dt.date(2027, 3, 1))
        assert not year_is_known(2027)

    assert [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")] == []
    assert not Notification.objects.exists()


def test_the_daily_task_tells_each_active_superuser_once_of_a_year_without_entries(clock):
    admin = UserFactory(username="admin", is_superuser=True)
    UserFactory(username="gone", is_superuser=True, is_active=False)
    UserFactory(username="clerk")
    CalendarDay.objects.filter(date__year=2026).delete()

    assert warn_missing_calendar_years() == 1
    assert warn_missing_calendar_years() == 0

    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.channel) == (admin, MISSING_YEAR_KIND, "in_app")
    assert notice.link == "/admin/hall/calendarday/?date__year=2026"
    assert "2026" in notice.subject


def test_the_daily_task_tells_a_superuser_who_joined_after_the_first_notice(clock):
    first = UserFactory(username="admin", is_superuser=True)
    CalendarDay.objects.filter(date__year=2026).delete()
    warn_missing_calendar_years()
    second = UserFactory(username="admin2", is_superuser=True)

    assert warn_missing_calendar_years() == 1

    assert sorted(Notification.objects.values_list("recipient", flat=True)) == [first.pk, second.pk]


def test_the_daily_task_says_nothing_while_this_year_is_entered_and_the_next_is_far(clock):
    UserFactory(is_superuser=True)

    assert warn_missing_calendar_years() == 0
    assert not Notification.objects.exists()


def test_the_daily_task_asks_for_next_years_holidays_two_months_ahead(clock):
    UserFactory(is_superuser=True)
    CalendarDay.objects.filter(date__year=2027).delete()
    clock.move_to(dt.datetime(2026, 11, 1, 8, 0, tzinfo=SHANGHAI))
    assert warn_missing_calendar_years() == 0

    clock.move_to(dt.datetime(2026, 11, 2, 8, 0, tzinfo=SHANGHAI))
    assert warn_missing_calendar_years() == 1

    assert Notification.objects.get().link == "/admin/hall/calendarday/?date__year=2027"


def test_the_daily_task_expires_before_its_next_run():
    periodic = settings.CELERY_BEAT_SCHEDULE["warn-missing-calendar-years"]

    assert periodic["task"] == warn_missing_calendar_years.name
    assert periodic["options"]["expires"] < 24 * 60 * 60


def test_it_takes_an_edited_day_into_account_at_once():
    assert is_working_day(dt.date(2026, 11, 23))
    CalendarDay.objects.create(date=dt.date(2026, 11, 23), kind="holiday", name="test")
    assert not is_working_day(dt.date(2026, 11, 23))


def test_it_loads_holidays_idempotently_and_keeps_an_edited_row():
    CalendarDay.objects.filter(date=dt.date(2026, 10, 1)).update(name="edited")
    assert load_holidays(year=2026) == 0
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 1)).name == "edited"
