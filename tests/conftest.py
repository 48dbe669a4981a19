import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from hall.models import Role
from tests.factories import BusinessTypeFactory, CounterFactory, HallFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield


@pytest.fixture
def hall(db):
    return HallFactory(code="demo", name="示范营业厅")


@pytest.fixture
def types(hall):
    return {code: BusinessTypeFactory(hall=hall, code=code) for code in "ABCDE"}


@pytest.fixture
def clerk(hall):
    return UserFactory(hall=hall, username="clerk1", roles=[Role.CLERK])


@pytest.fixture
def counter(hall, types, clerk):
    return CounterFactory(hall=hall, number=1, clerk=clerk, serves=[types["A"], types["B"]])


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def clerk_api(clerk):
    client = APIClient()
    client.force_authenticate(clerk)
    return client
