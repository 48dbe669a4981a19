"""A complaint's resolution records whether it was justified and against whom: the service, the API and the form."""

import pytest
from django.urls import reverse

from complaints.models import Complaint
from hall.models import Role, TimelineEvent
from tests.factories import accept_complaint, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk2(hall):
    return person(hall, "clerk2")


def resolve(api, complaint, **extra):
    return api.post(
        f"/api/complaints/{complaint.pk}/resolve/", {"resolution": "核实属实，已道歉", **extra}, format="json"
    )


def test_the_resolve_api_records_a_justified_complaint_against_a_member_of_staff(hall, clerk, clerk2, clerk_api):
    complaint = accept_complaint(hall, actor=clerk)

    response = resolve(clerk_api, complaint, justified=True, justified_against=clerk2.pk)

    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert complaint.justified is True and complaint.justified_against == clerk2
    event = TimelineEvent.objects.get(object_id=complaint.pk, action="resolve")
    assert event.data == {"justified": True, "justified_against": clerk2.pk}


def test_without_the_new_fields_a_resolution_says_nothing_of_them(hall, clerk, clerk_api):
    complaint = accept_complaint(hall, actor=clerk)

    assert resolve(clerk_api, complaint).status_code == 200

    complaint.refresh_from_db()
    assert complaint.justified is None and complaint.justified_against is None


def test_a_complaint_not_justified_or_against_someone_else_is_refused_with_the_fields_message(
    hall, clerk, clerk2, clerk_api, north_clerk
):
    complaint = accept_complaint(hall, actor=clerk)
    worker = person(hall, "worker9", Role.REPAIR_WORKER)

    for extra in (
        {"justified": False, "justified_against": clerk2.pk},
        {"justified": True, "justified_against": north_clerk.pk},
        {"justified": True, "justified_against": worker.pk},
        {"justified": True, "justified_against": "x"},
    ):
        response = resolve(clerk_api, complaint, **extra)
        assert response.status_code == 400, extra
        assert "justified_against" in response.json()
    complaint.refresh_from_db()
    assert complaint.resolved_at is None


def test_the_resolve_form_offers_and_records_the_justified_choice(hall, clerk, clerk2, client_as):
    complaint = accept_complaint(hall, actor=clerk)
    client = client_as(clerk)
    html = client.get(reverse("complaint-detail", args=[complaint.pk])).content.decode()
    assert 'name="justified"' in html and f'value="{clerk2.pk}"' in html

    client.post(
        reverse("complaint-action", args=[complaint.pk, "resolve"]),
        {"resolution": "属实", "justified": "yes", "justified_against": clerk2.pk},
    )

    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.status == "resolved"
    assert complaint.justified is True and complaint.justified_against == clerk2
