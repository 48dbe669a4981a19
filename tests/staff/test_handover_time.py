"""A handover is recorded when it is really handed over; the shift's planned end is shown beside it."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from hall.models import Notification
from staff.models import Handover

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
HANDED_AT = dt.datetime(2026, 3, 2, 15, 20, tzinfo=SHANGHAI)
SHIFT_END = "2026-03-02T17:30:00+08:00"


@pytest.fixture
def handed_over(clock, api_as, people):
    """Anna hands over to Bert at 15:20 although her shift is planned to end at 17:30."""
    clock.move_to(HANDED_AT)
    response = api_as(people["a"]).post(
        "/api/handovers/", {"shift_end": SHIFT_END, "note": "无", "incoming": people["b"].pk}, format="json"
    )
    assert response.status_code == 201, response.data
    return response


def test_the_handover_is_recorded_at_the_moment_it_was_made(handed_over):
    handover = Handover.objects.get()

    assert handover.created_at == HANDED_AT
    assert handover.shift_end == dt.datetime.fromisoformat(SHIFT_END)


def test_the_api_tells_when_it_was_handed_over_beside_the_planned_shift_end(handed_over):
    data = handed_over.data

    assert dt.datetime.fromisoformat(data["handed_over_at"]) == HANDED_AT
    assert dt.datetime.fromisoformat(data["shift_end"]) == dt.datetime.fromisoformat(SHIFT_END)
    assert dt.datetime.fromisoformat(data["created_at"]) == HANDED_AT


def test_the_handover_list_shows_the_real_time_with_the_planned_shift_end(handed_over, client_as, people):
    response = client_as(people["b"]).get(reverse("handover-list"))

    html = response.content.decode()
    assert "03-02 15:20 交班（班次至 17:30）" in html
    assert "17:30 交班" not in html


def test_the_person_taking_over_is_told_the_real_time_and_the_planned_shift_end(handed_over, people):
    [subject] = Notification.objects.filter(recipient=people["b"], kind="handover").values_list("subject", flat=True)

    assert subject == "a 已于 15:20 向您交班（班次至 17:30）"


def test_a_shift_end_on_another_day_is_shown_with_its_day(clock, api_as, client_as, people):
    clock.move_to(HANDED_AT)
    body = {"shift_end": "2026-03-03T01:00:00+08:00", "incoming": people["b"].pk}
    assert api_as(people["a"]).post("/api/handovers/", body, format="json").status_code == 201

    html = client_as(people["b"]).get(reverse("handover-list")).content.decode()

    assert "03-02 15:20 交班（班次至 03-03 01:00）" in html
