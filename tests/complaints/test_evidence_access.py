import re

import pytest
from django.urls import reverse

from complaints import services
from tests.factories import accept_complaint
from tests.files import PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(hall, clerk):
    complaint = accept_complaint(hall, actor=clerk)
    evidence = [upload("meter.jpg"), upload("bill.pdf", PDF, "application/pdf")]
    return services.complaint_investigate(complaint=complaint, note="已联系客户", evidence=evidence, actor=clerk)


@pytest.fixture
def photo(complaint):
    return complaint.evidence.get(content_type="image/jpeg")


@pytest.fixture
def bill(complaint):
    return complaint.evidence.get(content_type="application/pdf")


def evidence_url(complaint, evidence_id: int) -> str:
    return reverse("complaint-evidence", args=[complaint.pk, evidence_id])


def test_it_gives_the_hall_s_clerk_the_file_with_its_stored_type(client_as, clerk, complaint, bill):
    response = client_as(clerk).get(evidence_url(complaint, bill.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert (response["X-Content-Type-Options"], response["Cache-Control"]) == ("nosniff", "private, no-store")


def test_it_gives_the_hall_s_complaint_handler_a_photo(client_as, handler, complaint, photo):
    response = client_as(handler).get(evidence_url(complaint, photo.pk))

    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")


def test_it_refuses_a_clerk_of_another_hall(client_as, north_clerk, complaint, photo):
    assert client_as(north_clerk).get(evidence_url(complaint, photo.pk)).status_code == 404


def test_it_refuses_a_role_that_may_not_open_complaints(client_as, worker, complaint, photo):
    assert client_as(worker).get(evidence_url(complaint, photo.pk)).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client, complaint, photo):
    response = client.get(evidence_url(complaint, photo.pk))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_answers_404_for_unknown_evidence(client_as, clerk, complaint, photo):
    assert client_as(clerk).get(evidence_url(complaint, photo.pk + 1000)).status_code == 404


def test_it_answers_404_for_evidence_of_another_complaint(client_as, hall, clerk, complaint, photo):
    other = accept_complaint(hall, actor=clerk, phone="13900139000")

    assert client_as(clerk).get(evidence_url(other, photo.pk)).status_code == 404


def test_it_stores_evidence_under_names_nobody_can_guess(photo, bill):
    assert re.fullmatch(r"complaints/\d{4}/\d{2}/[A-Za-z0-9_-]{22}\.jpg", photo.file.name)
    assert re.fullmatch(r"complaints/\d{4}/\d{2}/[A-Za-z0-9_-]{22}\.pdf", bill.file.name)


def test_the_api_links_the_evidence_to_the_protected_page(api_as, clerk, complaint, photo, bill):
    body = api_as(clerk).get(f"/api/complaints/{complaint.pk}/").json()

    assert body["evidence"] == [f"http://testserver{evidence_url(complaint, item.pk)}" for item in (photo, bill)]


def test_the_detail_page_links_the_evidence_to_the_protected_page(client_as, clerk, complaint, photo, bill):
    page = client_as(clerk).get(reverse("complaint-detail", args=[complaint.pk])).content.decode()

    assert f'src="{evidence_url(complaint, photo.pk)}"' in page
    assert f'href="{evidence_url(complaint, bill.pk)}"' in page
    assert "/media/" not in page
