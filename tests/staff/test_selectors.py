import datetime as dt

import pytest

from hall.models import DutyManagerDay, User
from staff import roster_services, selectors
from staff.dates import week_days

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 3)
WEEK = week_days("2026-W10")


def ask_leave(person, start=DAY, end=DAY):
    return roster_services.leave_request(staff=person, start=start, end=end, actor=person)


def test_it_gives_each_days_duty_manager_as_the_user(hall, people):
    DutyManagerDay.objects.create(hall=hall, date=DAY, manager=people["duty"])

    week = selectors.roster_week(hall, WEEK)

    assert week["duty_managers"][1] == people["duty"]
    assert week["duty_managers"][0] is None


def test_it_leaves_administrators_without_a_staff_role_out_of_the_rows(hall, people):
    User.objects.create_superuser("root", password="pw12345678", hall=hall)

    week = selectors.roster_week(hall, WEEK)

    assert [row["person"].username for row in week["rows"]] == ["a", "b", "duty", "manager"]


def test_it_marks_the_days_on_which_someone_is_rostered(hall, people):
    roster_services.shift_create(hall=hall, staff=people["a"], date=DAY, start=dt.time(8), end=dt.time(17))

    week = selectors.roster_week(hall, WEEK)

    assert week["rostered"] == [False, True, False, False, False, False, False]


def test_it_previews_the_chores_an_approval_would_leave_uncovered(clock, hall, people, chore):
    roster_services.leave_approve(leave=ask_leave(people["b"]), actor=people["manager"])

    assert selectors.uncovered_if_approved(ask_leave(people["a"])) == [{"chore": chore, "date": DAY}]


def test_it_previews_nothing_when_the_backup_works(clock, hall, people, chore):
    assert selectors.uncovered_if_approved(ask_leave(people["a"])) == []


def test_it_previews_nothing_for_someone_without_chores(clock, hall, people, chore):
    assert selectors.uncovered_if_approved(ask_leave(people["duty"])) == []
