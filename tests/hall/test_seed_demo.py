import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from hall.models import BusinessType, Counter, CounterService, Hall, User

DEMO_ACCOUNTS = {
    "manager": ["hall_manager"],
    "duty": ["duty_manager"],
    **{f"clerk{n}": ["clerk"] for n in range(1, 7)},
    **{f"worker{n}": ["repair_worker"] for n in range(1, 4)},
    "handler1": ["complaint_handler"],
    "handler2": ["complaint_handler"],
}
NORTH_ACCOUNTS = {
    "north_manager": ["hall_manager"],
    "north_clerk1": ["clerk"],
    "north_clerk2": ["clerk"],
    "north_worker1": ["repair_worker"],
}
TYPES = {"A": "缴费", "B": "业扩报装", "C": "变更过户", "D": "故障报修", "E": "投诉咨询"}


@pytest.fixture
def seeded(db):
    seed()
    return Hall.objects.get(code="demo"), Hall.objects.get(code="north")


def seed(**options):
    call_command("seed_demo", stdout=io.StringIO(), **options)


def counts():
    return {model.__name__: model.objects.count() for model in (Hall, User, BusinessType, Counter, CounterService)} | {
        "memberships": User.groups.through.objects.count()
    }


def login(username, password="demo12345"):
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, (username, response.content)
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_seeding_twice_gives_the_same_data(seeded):
    before = counts()
    seed()
    assert counts() == before


def test_it_creates_the_two_halls_with_their_business_types(seeded):
    for hall in seeded:
        assert dict(hall.business_types.values_list("code", "name")) == TYPES


def test_the_demo_hall_has_counters_1_to_6_and_counter_6_serves_every_type(seeded):
    demo, _ = seeded
    assert list(demo.counters.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    six = demo.counters.get(number=6)
    assert sorted(six.business_types.values_list("code", flat=True)) == list("ABCDE")
    for counter in demo.counters.all():
        assert counter.business_types.exists()


def test_the_north_hall_has_counters_1_to_3(seeded):
    _, north = seeded
    assert list(north.counters.values_list("number", flat=True)) == [1, 2, 3]


def test_every_demo_account_belongs_to_its_hall_with_its_role(seeded):
    demo, north = seeded
    for accounts, hall in ((DEMO_ACCOUNTS, demo), (NORTH_ACCOUNTS, north)):
        for username, roles in accounts.items():
            user = User.objects.get(username=username)
            assert user.hall == hall, username
            assert set(roles) <= set(user.roles), username
            assert user.check_password("demo12345"), username


def test_admin_is_a_superuser(seeded):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("demo12345")


def test_a_given_password_is_used_for_every_account(seeded):
    seed(password="another-pass")
    assert User.objects.get(username="clerk3").check_password("another-pass")
    assert User.objects.get(username="north_worker1").check_password("another-pass")


def test_seeding_again_repairs_a_changed_account(seeded):
    User.objects.filter(username="clerk2").update(is_active=False)
    seed()
    assert User.objects.get(username="clerk2").is_active


def test_north_users_cannot_see_the_demo_hall(seeded):
    demo, north = seeded
    client = login("north_manager")

    assert [row["code"] for row in client.get("/api/halls/").json()["results"]] == ["north"]
    assert client.get(f"/api/halls/{demo.pk}/").status_code == 403
    assert client.get(f"/api/counters/?hall={demo.pk}").status_code == 403
    staff = {row["username"] for row in client.get("/api/staff/").json()["results"]}
    assert staff == set(NORTH_ACCOUNTS)
    demo_counter = demo.counters.get(number=1)
    assert login("north_clerk1").post(f"/api/counters/{demo_counter.pk}/open/").status_code == 403


def test_a_demo_clerk_can_work_the_queue_after_seeding(seeded):
    demo, _ = seeded
    counter = demo.counters.get(number=2)
    client = login("clerk2")

    assert client.post(f"/api/counters/{counter.pk}/open/").status_code == 200
    issued = APIClient().post("/api/tickets/", {"hall": demo.pk, "business_type": "B"}, format="json")
    assert issued.status_code == 201
    called = client.post(f"/api/counters/{counter.pk}/call-next/")
    assert called.status_code == 200
    assert called.json()["number"] == "B001"
