import datetime as dt

import pytest

from hall.errors import ApplicationError
from staff import roster_services, services
from staff.models import DutyRole

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 3)


def leave(person, manager, start=DAY, end=DAY):
    request = roster_services.leave_request(staff=person, start=start, end=end, reason="事假", actor=person)
    return roster_services.leave_approve(leave=request, actor=manager)


def test_a_works_so_a_is_responsible(clock, hall, chore, people):
    [duty] = services.duties_generate(hall=hall, date=DAY)

    assert (duty.responsible, duty.role) == (people["a"], DutyRole.A)


def test_a_on_leave_gives_the_duty_to_b_who_is_told(clock, hall, chore, people):
    leave(people["a"], people["manager"])

    [duty] = services.duties_generate(hall=hall, date=DAY)

    assert (duty.responsible, duty.role) == (people["b"], DutyRole.B)
    assert duty.why == {"code": "covers", "a": str(people["a"]), "b": str(people["b"]), "away": "on_leave"}
    assert people["b"].notifications.filter(kind="duty_cover").exists()


def test_a_and_b_away_gives_the_duty_to_the_duty_manager_and_approval_warns(clock, hall, chore, people):
    leave(people["a"], people["manager"])
    _leave, warnings = leave(people["b"], people["manager"])

    [duty] = services.duties_generate(hall=hall, date=DAY)

    assert warnings == [{"chore": chore, "date": DAY}]
    assert (duty.responsible, duty.role) == (people["duty"], DutyRole.DUTY)


def test_approving_a_leave_re_decides_generated_duties(clock, hall, chore, people):
    [duty] = services.duties_generate(hall=hall, date=DAY)

    leave(people["a"], people["manager"])

    duty.refresh_from_db()
    assert duty.responsible == people["b"]


def test_an_overlapping_shift_is_refused(clock, hall, people):
    roster_services.shift_create(hall=hall, staff=people["a"], date=DAY, start=dt.time(8), end=dt.time(12))

    with pytest.raises(ApplicationError):
        roster_services.shift_create(hall=hall, staff=people["a"], date=DAY, start=dt.time(11), end=dt.time(17))


def test_someone_not_rostered_on_a_rostered_day_is_away(clock, hall, chore, people):
    roster_services.shift_create(hall=hall, staff=people["b"], date=DAY, start=dt.time(8), end=dt.time(17))

    [duty] = services.duties_generate(hall=hall, date=DAY)

    assert duty.responsible == people["b"]
    assert duty.why["away"] == "not_rostered"


def test_a_and_b_and_the_days_duty_manager_away_gives_the_duty_to_another_manager(clock, hall, chore, people):
    roster_services.roster_set_duty_manager(hall=hall, date=DAY, manager=people["duty"], actor=people["manager"])
    for person in ("a", "b", "duty"):
        leave(people[person], people["manager"])

    [duty] = services.duties_generate(hall=hall, date=DAY)

    assert (duty.responsible, duty.role) == (people["manager"], DutyRole.DUTY)
