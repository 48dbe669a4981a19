import datetime as dt
import zoneinfo

import pytest
import time_machine

from hall.models import Role
from tests.factories import person

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOV = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def traveller():
    with time_machine.travel(at(dt.date(2026, 11, 10), 7), tick=False) as traveller:
        yield traveller


@pytest.fixture
def clerk2(hall):
    return person(hall, "clerk2")


@pytest.fixture
def clerk3(hall):
    return person(hall, "clerk3")


@pytest.fixture
def manager(hall):
    return person(hall, "manager", Role.HALL_MANAGER)
