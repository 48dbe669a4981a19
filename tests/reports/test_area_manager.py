"""An area manager (区域经理) reads the reports of the halls they oversee, and takes no step in them."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from hall.models import Hall, Role, User
from hall.permissions import can_see_hall, visible_halls, works_in_hall
from tests.factories import HallFactory, UserFactory, accept_complaint, issue, register_repair
from tests.reports.conftest import at

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)


@pytest.fixture
def west(db):
    return HallFactory(code="west", name="西区营业厅")


@pytest.fixture
def area(hall, north):
    user = UserFactory(hall=None, username="area", roles=[Role.AREA_MANAGER])
    user.areas.set([hall, north])
    return user


@pytest.fixture
def overseer(hall, north, west):
    """The hall manager of the west hall who is also the area manager of demo and north: the person a mix-up of
    reading and acting would let act in the halls they only oversee."""
    user = UserFactory(hall=west, username="west_manager", roles=[Role.HALL_MANAGER, Role.AREA_MANAGER])
    user.areas.set([hall, north])
    return user


@pytest.fixture
def history(hall, types, north, north_types, west):
    with time_machine.travel(at(DAY, 9), tick=False):
        issue(hall, types["A"])
        issue(hall, types["B"])
        issue(north, north_types["A"])


def kpis(client, hall_param, group_by="total"):
    with time_machine.travel(at(DAY + dt.timedelta(days=3), 12), tick=False):
        return client.get(f"/api/reports/kpis/?hall={hall_param}&from=2026-11-01&to=2026-11-03&group_by={group_by}")


def test_the_halls_an_area_manager_sees(area, overseer, hall, north, west):
    assert set(visible_halls(area)) == {hall, north}
    assert set(visible_halls(overseer)) == {hall, north, west}
    assert can_see_hall(area, north.pk) and not can_see_hall(area, west.pk)
    assert not works_in_hall(overseer, hall.pk) and works_in_hall(overseer, west.pk)


def test_halls_overseen_count_only_with_the_role(hall, north):
    manager = UserFactory(hall=hall, username="m", roles=[Role.HALL_MANAGER])
    manager.areas.set([north])
    assert set(visible_halls(manager)) == {hall}


def test_an_area_manager_reads_the_reports_of_the_halls_overseen(api_as, area, hall, north, west, history):
    client = api_as(area)

    assert kpis(client, hall.pk).json()["rows"][0]["figures"]["issued"]["value"] == 2
    every = kpis(client, "all", "hall").json()
    assert [(row["label"], row["figures"]["issued"]["value"]) for row in every["rows"]] == [
        (hall.name, 2),
        (north.name, 1),
    ]
    assert kpis(client, west.pk).status_code == 400
    assert {row["id"] for row in client.get("/api/halls/").json()["results"]} == {hall.pk, north.pk}
    assert client.get(f"/api/halls/{north.pk}/").status_code == 200
    assert client.get(f"/api/halls/{west.pk}/").status_code == 404
    with time_machine.travel(at(DAY + dt.timedelta(days=3), 12), tick=False):
        assert client.get(f"/api/halls/{north.pk}/dashboard/").status_code == 200
        assert client.get(f"/api/halls/{west.pk}/dashboard/").status_code == 404
        assert client.get("/api/reports/kpis.xlsx?hall=all&from=2026-11-01&to=2026-11-03").status_code == 200
        assert client.get(f"/api/reports/monthly/?hall={north.pk}&month=2026-11").status_code == 200


def test_all_is_every_hall_whose_reports_the_caller_reads(api_as, overseer, manager, hall, north, west, history):
    keys = [row["key"] for row in kpis(api_as(overseer), "all", "hall").json()["rows"]]
    assert keys == sorted([str(hall.pk), str(north.pk), str(west.pk)], key=int)
    assert [row["key"] for row in kpis(api_as(manager), "all", "hall").json()["rows"]] == [str(hall.pk)]


def test_an_area_manager_takes_no_step_in_the_halls_overseen(api_as, area, overseer, hall, types, counter, clerk):
    ticket = issue(hall, types["A"])
    repair = register_repair(hall, actor=clerk)
    complaint = accept_complaint(hall, actor=clerk)
    reads = [
        f"/api/tickets/{ticket.pk}/",
        f"/api/tickets/{ticket.pk}/timeline/",
        f"/api/repairs/{repair.pk}/",
        f"/api/complaints/{complaint.pk}/",
        f"/api/tickets/?hall={hall.pk}",
        f"/api/repairs/?hall={hall.pk}",
        f"/api/complaints/?hall={hall.pk}",
        f"/api/counters/?hall={hall.pk}",
        f"/api/staff/?hall={hall.pk}",
        f"/api/duties/?hall={hall.pk}",
        f"/api/chores/?hall={hall.pk}",
    ]
    steps = [
        (f"/api/counters/{counter.pk}/close/", {}),
        (f"/api/counters/{counter.pk}/call-next/", {}),
        (f"/api/tickets/{ticket.pk}/cancel/", {}),
        (f"/api/repairs/{repair.pk}/diagnose/", {"advice": "换表"}),
        (f"/api/complaints/{complaint.pk}/investigate/", {"note": "查看"}),
        ("/api/duties/generate/", {"hall": hall.pk, "date": "2026-11-02"}),
        ("/api/chores/", {"hall": hall.pk, "name": "巡检", "a": clerk.pk, "b": clerk.pk, "schedule": "daily 09:00"}),
        ("/api/handovers/", {"hall": hall.pk, "shift_end": "2026-11-02T17:30:00+08:00", "note": "x"}),
    ]
    for user in (area, overseer):
        client = api_as(user)
        for path in reads:
            assert client.get(path).status_code in (403, 404), (user.username, path)
        for path, body in steps:
            assert client.post(path, body, format="json").status_code in (403, 404), (user.username, path)
    ticket.refresh_from_db(), counter.refresh_from_db(), repair.refresh_from_db(), complaint.refresh_from_db()
    assert (ticket.status, counter.status, repair.status, complaint.status) == (
        "waiting",
        "open",
        "registered",
        "accepted",
    )


def test_an_area_manager_sees_no_floor_page_of_the_halls_overseen(client_as, overseer, hall, west):
    client = client_as(overseer)
    assert client.get(f"/floor/?hall={hall.pk}").status_code == 404
    assert client.get(f"/floor/?hall={west.pk}").status_code == 200


def test_the_demo_has_an_area_manager_of_both_halls(db):
    call_command("seed_demo", stdout=io.StringIO())
    area = User.objects.get(username="area")

    assert area.roles == [Role.AREA_MANAGER] and area.hall is None
    assert set(area.areas.values_list("code", flat=True)) == {"demo", "north"}
    assert set(visible_halls(area)) == set(Hall.objects.filter(code__in=["demo", "north"]))
    assert area.check_password("demo12345")


def test_an_area_manager_lands_on_the_halls_side_by_side_and_opens_an_overseen_halls_dashboard(
    client_as, area, hall, north, west
):
    client = client_as(area)

    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/reports/halls/"
    ranking = client.get("/reports/halls/").content.decode()
    assert hall.name in ranking and north.name in ranking and west.name not in ranking
    assert 'href="/reports/halls/"' in client.get("/reports/halls/").content.decode()
    assert client.get(f"/reports/?hall={north.pk}").status_code == 200
    assert client.get(f"/reports/?hall={west.pk}").status_code == 404
    assert client.get("/floor/").status_code == 403
