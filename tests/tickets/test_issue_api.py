import pytest

from hall.models import BusinessType
from tickets import selectors


def issue_code(api, hall, code="A"):
    return api.post("/api/tickets/", {"hall": hall.pk, "business_type": code}, format="json").status_code


@pytest.fixture
def later(monkeypatch):
    """later(seconds) moves this process's monotonic clock on."""
    from time import monotonic

    def move(seconds):
        monkeypatch.setattr(selectors, "monotonic", lambda: monotonic() + seconds)

    return move


# The copy of halls and business types each process keeps for issuing


def test_a_business_type_deactivated_here_is_refused_at_once(api, hall, types):
    assert issue_code(api, hall) == 201
    types["A"].is_active = False
    types["A"].save()

    assert issue_code(api, hall) == 400


def test_a_business_type_added_here_is_offered_at_once(api, hall, types):
    assert issue_code(api, hall) == 201
    BusinessType.objects.create(hall=hall, code="F", name="New")

    assert issue_code(api, hall, "F") == 201


def test_a_quota_changed_here_applies_at_once(api, hall, types):
    assert issue_code(api, hall) == 201
    types["A"].daily_quota = 1
    types["A"].save()

    assert issue_code(api, hall) == 409


def test_a_change_made_by_another_process_applies_within_seconds(api, hall, types, later):
    assert issue_code(api, hall) == 201
    BusinessType.objects.filter(pk=types["A"].pk).update(is_active=False)  # no signal reaches this process

    assert issue_code(api, hall) == 201
    later(selectors.ISSUING_REFERENCE_SECONDS + 1)
    assert issue_code(api, hall) == 400


def test_a_deleted_hall_is_unknown_at_once(api, north):
    assert "business_type" in api.post("/api/tickets/", {"hall": north.pk, "business_type": "A"}, format="json").json()
    pk = north.pk
    north.delete()

    response = api.post("/api/tickets/", {"hall": pk, "business_type": "A"}, format="json")

    assert response.status_code == 400
    assert "hall" in response.json()


@pytest.mark.parametrize("value", [10**30, "1e3", " ", "١"])
def test_odd_hall_ids_answer_400(api, hall, types, value):
    response = api.post("/api/tickets/", {"hall": value, "business_type": "A"}, format="json")

    assert response.status_code == 400
    assert "hall" in response.json()
