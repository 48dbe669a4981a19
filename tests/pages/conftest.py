import pytest

from hall.models import Role
from tests.factories import BusinessTypeFactory, CounterFactory, HallFactory, UserFactory


@pytest.fixture
def hall_manager(hall):
    return UserFactory(hall=hall, username="hall_manager", roles=[Role.HALL_MANAGER])


@pytest.fixture
def other_hall(db):
    return HallFactory(code="other", name="其他营业厅")


@pytest.fixture
def other_clerk(other_hall):
    return UserFactory(hall=other_hall, username="other_clerk", roles=[Role.CLERK])


@pytest.fixture
def other_counter(other_hall, other_clerk):
    business_type = BusinessTypeFactory(hall=other_hall, code="A")
    return CounterFactory(hall=other_hall, number=1, clerk=other_clerk, serves=[business_type])


@pytest.fixture
def admin_user(db):
    return UserFactory(hall=None, username="root", roles=[], is_superuser=True, is_staff=True)
