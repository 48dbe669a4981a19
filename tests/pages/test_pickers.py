"""Every person picker lists only the hall's people who can do the job, by name and role; the services and the
API refuse anyone else."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from hall.errors import ApplicationError
from hall.models import Role
from staff import handover_services
from staff import services as staff_services
from staff.models import Handover
from tests.factories import UserFactory, accept_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(hall, other_hall):
    """The hall's people of every kind, and some who never belong in a picker of the hall."""
    crew = {
        "clerk": UserFactory(hall=hall, username="zhang", name="张三", roles=[Role.CLERK]),
        "duty": UserFactory(hall=hall, username="li", name="李四", roles=[Role.DUTY_MANAGER]),
        "manager": UserFactory(hall=hall, username="wang", name="王五", roles=[Role.HALL_MANAGER]),
        "handler": UserFactory(hall=hall, username="zhao", name="赵六", roles=[Role.COMPLAINT_HANDLER]),
        "worker": UserFactory(hall=hall, username="qian", name="钱七", roles=[Role.REPAIR_WORKER]),
        "gone": UserFactory(hall=hall, username="sun", name="孙八", roles=[Role.CLERK], is_active=False),
        "admin": UserFactory(hall=hall, username="admin", name="管理员", roles=[], is_superuser=True),
        "root": UserFactory(hall=None, username="root", name="超级管理员", roles=[], is_superuser=True),
        "stranger": UserFactory(hall=other_hall, username="zhou", name="周九", roles=[Role.CLERK]),
    }
    for administrator in (crew["admin"], crew["root"]):
        administrator.groups.clear()  # the factory gives a role to whoever is given none
    return crew


DESK_LABELS = ["张三（营业员）", "李四（值班经理）", "王五（营业厅经理）", "赵六（投诉处理人）"]
NEVER = ["孙八", "管理员", "超级管理员", "周九"]


def options(html: str, name: str) -> list[str]:
    """The labels of the options of the first <select name=…> of the page, without the empty choice."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    found = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select.group(1))
    return [label for value, label in found if value]


def page(client_as, user, url) -> str:
    response = client_as(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


# Pages


@pytest.mark.parametrize("name", ["a", "b"])
def test_the_chore_choosers_list_the_halls_chore_people_by_name_and_role(client_as, crew, name):
    html = page(client_as, crew["manager"], reverse("chore-list"))

    assert options(html, name) == DESK_LABELS


def test_a_chores_a_who_cannot_do_chores_shows_as_such_and_is_not_offered_to_others(client_as, hall, crew):
    chore = staff_services.chore_create(hall=hall, name="开门", a=crew["clerk"], b=crew["duty"], schedule="closing")
    chore.a = crew["worker"]
    chore.save(update_fields=["a"])

    html = page(client_as, crew["manager"], reverse("chore-list"))

    row = re.search(rf'<select id="a-{chore.pk}".*?</select>', html, re.S).group(0)
    assert options(row, "a") == [*DESK_LABELS, "钱七 (不能担任此项)"]
    assert re.search(r'<option value="\d+" selected>钱七', row)


def test_the_complaint_desk_filters_by_the_halls_desk_people_only(client_as, crew):
    html = page(client_as, crew["clerk"], reverse("complaint-desk") + "?view=hall")

    assert options(html, "owner") == DESK_LABELS


def test_a_complaint_is_handed_over_only_to_the_halls_desk_people(client_as, hall, crew):
    complaint = accept_complaint(hall, actor=crew["clerk"])

    html = page(client_as, crew["clerk"], reverse("complaint-detail", args=[complaint.pk]))

    assert sorted(options(html, "to")) == sorted(DESK_LABELS[1:])


def test_the_handover_receivers_are_the_halls_people_but_the_author(client_as, crew):
    html = page(client_as, crew["clerk"], reverse("handover-list"))

    assert options(html, "incoming") == DESK_LABELS[1:]


def test_the_leave_picker_of_the_hall_manager_lists_everyone_with_a_role(client_as, crew):
    html = page(client_as, crew["manager"], reverse("leave-list"))

    assert options(html, "staff") == [*DESK_LABELS[:2], "赵六（投诉处理人）", "钱七（抢修人员）"]


def test_the_duty_manager_choosers_of_the_roster_list_the_halls_managers(client_as, crew):
    html = page(client_as, crew["manager"], reverse("roster-week"))

    assert options(html, "manager") == ["李四（值班经理）", "王五（营业厅经理）"]


def test_no_picker_lists_an_administrator_an_inactive_person_or_another_halls(client_as, hall, crew):
    complaint = accept_complaint(hall, actor=crew["clerk"])
    urls = [reverse(name) for name in ("chore-list", "handover-list", "roster-week", "leave-list")]
    urls += [reverse("complaint-desk") + "?view=hall", reverse("complaint-detail", args=[complaint.pk])]

    for url in urls:
        html = page(client_as, crew["manager"], url)
        labels = re.findall(r"<option[^>]*>([^<]*)</option>", html)
        assert not [label for label in labels if label.split("（")[0].split(" (")[0] in NEVER], url


# The services and the API refuse anyone else


@pytest.mark.parametrize("who", ["worker", "gone", "admin", "stranger"])
def test_the_api_refuses_a_chore_whose_a_cannot_do_chores(api_as, hall, crew, who):
    body = {"hall": hall.pk, "name": "开门", "a": crew[who].pk, "b": crew["duty"].pk, "schedule": "closing"}

    response = api_as(crew["manager"]).post("/api/chores/", body, format="json")

    assert response.status_code == 400
    assert "a" in response.data
    assert not hall.chores.exists()


def test_the_api_refuses_to_make_a_repair_worker_b(api_as, hall, crew):
    chore = staff_services.chore_create(hall=hall, name="开门", a=crew["clerk"], b=crew["duty"], schedule="closing")

    response = api_as(crew["manager"]).post(
        f"/api/chores/{chore.pk}/assign/", {"a": crew["clerk"].pk, "b": crew["worker"].pk}, format="json"
    )

    assert response.status_code == 400
    assert "b" in response.data
    chore.refresh_from_db()
    assert chore.b_id == crew["duty"].pk


def test_the_chore_service_refuses_a_repair_worker(hall, crew):
    with pytest.raises(ApplicationError):
        staff_services.chore_create(hall=hall, name="开门", a=crew["worker"], b=crew["duty"], schedule="closing")


@pytest.mark.parametrize("who", ["worker", "admin"])
def test_the_api_refuses_a_handover_to_someone_who_does_not_work_the_hall(api_as, crew, who):
    body = {"shift_end": "2026-03-02T17:30:00+08:00", "incoming": crew[who].pk}

    response = api_as(crew["clerk"]).post("/api/handovers/", body, format="json")

    assert response.status_code == 400
    assert "incoming" in response.data
    assert not Handover.objects.exists()


def test_the_handover_service_refuses_an_inactive_person(hall, crew):
    with pytest.raises(ApplicationError):
        handover_services.handover_create(
            hall=hall, author=crew["clerk"], shift_end=timezone.now(), incoming=crew["gone"]
        )


@pytest.mark.parametrize("who", ["worker", "admin"])
def test_the_api_refuses_to_hand_a_complaint_over_to_someone_off_the_desk(api_as, hall, crew, who):
    complaint = accept_complaint(hall, actor=crew["clerk"])

    response = api_as(crew["clerk"]).post(
        f"/api/complaints/{complaint.pk}/hand-over/", {"to": crew[who].pk, "reason": "转交"}, format="json"
    )

    assert response.status_code == 400
    assert "to" in response.data
    complaint.refresh_from_db()
    assert complaint.owner_id == crew["clerk"].pk


def test_the_complaint_service_refuses_a_repair_worker_as_owner(hall, crew):
    complaint = accept_complaint(hall, actor=crew["clerk"])

    with pytest.raises(ApplicationError):
        complaint_services.complaint_hand_over(
            complaint=complaint, to=crew["worker"], reason="转交", actor=crew["clerk"]
        )
