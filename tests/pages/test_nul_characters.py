"""PostgreSQL text cannot hold a NUL character: a page asked with one answers 400 and changes nothing."""

import pytest
from django.urls import reverse

from complaints.models import Complaint
from hall.models import TimelineEvent
from repairs.models import RepairOrder, RepairStatus


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("repair-intake-history", {"phone": "138\x0000"}),
        ("repair-intake-history", {"address": "\x00"}),
        ("complaint-intake-history", {"phone": "138\x0000"}),
        ("repair-desk", {"q": "a\x00b"}),
        ("complaint-desk", {"q": "a\x00b"}),
    ],
)
def test_a_lookup_with_a_nul_character_answers_400(client_as, clerk, name, params):
    assert client_as(clerk).get(reverse(name), params).status_code == 400


def test_a_repair_step_with_a_nul_character_answers_400_and_changes_nothing(client_as, clerk, repair):
    events = TimelineEvent.objects.count()

    response = client_as(clerk).post(reverse("repair-action", args=[repair.pk, "diagnose"]), {"advice": "a\x00b"})

    assert response.status_code == 400
    repair.refresh_from_db()
    assert (repair.status, repair.advice) == (RepairStatus.REGISTERED, "")
    assert TimelineEvent.objects.count() == events


def test_a_repair_registered_with_a_nul_in_the_phone_answers_400(client_as, clerk):
    form = {"phone": "\x00", "customer_name": "张三", "address": "人民路 8 号", "fault": "outage", "urgency": "2"}

    response = client_as(clerk).post(reverse("repair-register"), {**form, "description": "停电"})

    assert response.status_code == 400
    assert not RepairOrder.objects.exists()


def test_a_complaint_accepted_with_a_nul_in_the_phone_answers_400(client_as, hall, handler):
    form = {"phone": "\x00", "customer_name": "李四", "category": "billing", "channel": "counter"}

    response = client_as(handler).post(reverse("complaint-accept"), {**form, "description": "电费高"})

    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_the_api_still_names_the_field_that_holds_a_nul(api_as, clerk, hall):
    body = f"hall={hall.pk}&customer_name=a%00b"

    response = api_as(clerk).post("/api/repairs/", body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert "customer_name" in response.json()
