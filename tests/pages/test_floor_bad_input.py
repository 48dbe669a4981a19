import pytest

from hall.models import Role
from tests.factories import HallFactory, UserFactory


@pytest.mark.parametrize("value", ["²", "x", "-1"])
def test_it_answers_a_bad_hall_choice_on_the_floor_view_without_an_error(client, db, value):
    hall = HallFactory()
    manager = UserFactory(hall=hall, roles=[Role.DUTY_MANAGER])
    client.force_login(manager)

    response = client.get("/floor/", {"hall": value})

    assert response.status_code == 200
