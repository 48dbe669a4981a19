import datetime as dt

import pytest

from hall.models import Role
from staff import services
from staff.models import Duty
from tests.factories import UserFactory
from tests.threads import run_threads

DAY = dt.date(2026, 3, 3)


@pytest.mark.django_db(transaction=True)
def test_two_generations_of_the_same_day_at_once_create_each_duty_once(hall):
    manager = UserFactory(hall=hall, username="manager", roles=[Role.HALL_MANAGER])
    a, b = (UserFactory(hall=hall, username=name) for name in ("a", "b"))
    for n in range(5):
        services.chore_create(hall=hall, name=f"chore {n}", a=a, b=b, schedule=f"daily 0{n}:30", actor=manager)
    errors = run_threads(2, lambda _: services.duties_generate(hall=hall, date=DAY))

    assert errors == []
    assert Duty.objects.filter(hall=hall, date=DAY).count() == 5
