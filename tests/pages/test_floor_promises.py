import datetime as dt

import pytest
from django.urls import reverse

from hall.sla import sla_sweep
from tests.factories import register_repair

pytestmark = pytest.mark.django_db


def test_the_floor_view_lists_overdue_and_at_risk_promises_most_urgent_first(clock, client_as, hall_manager, hall):
    late = register_repair(hall, urgency=1)
    clock.shift(dt.timedelta(hours=1))
    risky = register_repair(hall, urgency=2, phone="13900000001")
    calm = register_repair(hall, urgency=3, phone="13900000002")
    clock.shift(dt.timedelta(hours=3, minutes=1))
    sla_sweep()

    response = client_as(hall_manager).get(reverse("floor-live"))

    labels = [clock.what for clock in response.context["attention"]]
    assert [late.number in labels[0], risky.number in labels[1]] == [True, True]
    assert not any(calm.number in label for label in labels)
    html = response.content.decode()
    assert "sla-overdue" in html
    assert reverse("repair-detail", args=[late.pk]) in html


def test_the_floor_view_says_when_every_promise_is_on_track(client_as, hall_manager, hall):
    register_repair(hall, urgency=3)

    response = client_as(hall_manager).get(reverse("floor-live"))

    assert response.context["attention"] == []
