import pytest

from hall.models import Role
from staff import services
from tests.factories import person


@pytest.fixture
def people(hall):
    """The hall manager, a duty manager and the clerks A and B, each named as their username."""
    return {
        "manager": person(hall, "manager", Role.HALL_MANAGER, name="manager"),
        "duty": person(hall, "duty", Role.DUTY_MANAGER, name="duty"),
        "a": person(hall, "a", name="a"),
        "b": person(hall, "b", name="b"),
    }


@pytest.fixture
def chore(hall, people):
    """A daily 08:00 chore with A doing it and B covering, created by the hall manager."""
    return services.chore_create(
        hall=hall, name="开启排队机", a=people["a"], b=people["b"], schedule="daily 08:00", actor=people["manager"]
    )
