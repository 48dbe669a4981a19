import datetime as dt
import threading

import pytest
from django.db import connection

from hall.models import Role
from staff import services
from staff.models import Duty
from tests.factories import UserFactory

DAY = dt.date(2026, 3, 3)


@pytest.mark.django_db(transaction=True)
def test_two_generations_of_the_same_day_at_once_create_each_duty_once(hall):
    manager = UserFactory(hall=hall, username="manager", roles=[Role.HALL_MANAGER])
    a, b = (UserFactory(hall=hall, username=name) for name in ("a", "b"))
    for n in range(5):
        services.chore_create(hall=hall, name=f"chore {n}", a=a, b=b, schedule=f"daily 0{n}:30", actor=manager)
    barrier = threading.Barrier(2)
    errors = []

    def generate():
        try:
            barrier.wait(timeout=10)
            services.duties_generate(hall=hall, date=DAY)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=generate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Duty.objects.filter(hall=hall, date=DAY).count() == 5
