"""The person's own sheet at /assessment/ with its appeal form; every sheet of the hall at /assessments/ for the
hall manager, who decides the appeals there."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import Appeal
from complaints import services as complaint_services
from tests.assessments.conftest import at
from tests.factories import accept_complaint

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 10)


@pytest.fixture
def breached(traveller, hall, clerk):
    traveller.move_to(at(DAY, 10))
    complaint = accept_complaint(hall, actor=clerk)
    traveller.move_to(at(DAY, 12, 30))
    complaint = complaint_services.complaint_resolve(
        complaint=complaint, resolution="已解决", customer_confirmed=True, actor=clerk
    )
    complaint_services.complaint_follow_up(complaint=complaint, satisfaction=5, actor=clerk)
    return complaint


def test_the_person_sees_their_sheet_appeals_a_line_and_the_manager_accepts_it(
    breached, hall, clerk, clerk2, manager, client_as
):
    clerk_client = client_as(clerk)
    html = clerk_client.get(reverse("my-assessment")).content.decode()
    assert 'class="score">99<' in html
    assert f'href="/complaints/{breached.pk}/"' in html
    assert "clerk2" not in html

    from assessments import selectors

    [sheet] = [s for s in selectors.sheets_of(hall, dt.date(2026, 11, 1)) if s.staff == clerk]
    line = selectors.live_lines(sheet)[0]["key"]
    response = clerk_client.post(reverse("my-assessment"), {"sheet": sheet.pk, "line": line, "reason": "客户未接"})
    assert response.status_code == 302
    assert Appeal.objects.get().reason == "客户未接"

    manager_client = client_as(manager)
    html = manager_client.get(reverse("hall-assessments")).content.decode()
    assert "客户未接" in html and 'class="decide-form"' in html
    manager_client.post(reverse("hall-assessments"), {"sheet": sheet.pk, "line": line, "accept": "yes", "note": "属实"})

    html = clerk_client.get(reverse("my-assessment")).content.decode()
    assert 'class="score">100<' in html
    assert 'class="line voided"' in html and "属实" in html


def test_a_clerk_may_not_open_the_halls_sheets(breached, clerk, client_as):
    assert client_as(clerk).get(reverse("hall-assessments")).status_code == 403
