import pytest
from django.test import Client

from hall.models import Role
from tests.factories import BusinessTypeFactory, CounterFactory, HallFactory, UserFactory


@pytest.fixture
def client_as(request):
    """client_as(user) → a Django test client logged in as that user; in a module that sets PAGE_LANGUAGE
    (e.g. "en", to assert the English msgids) it asks for the pages in that language."""
    language = getattr(request.module, "PAGE_LANGUAGE", None)

    def make(user):
        client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
        client.force_login(user)
        return client

    return make


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
