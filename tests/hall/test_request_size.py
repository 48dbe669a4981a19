import json

import pytest

from tests.files import upload
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def assert_too_large(response):
    assert response.status_code == 413, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "too_large"
    assert Ticket.objects.count() == 0


def test_a_json_body_over_the_limit_is_refused_with_413_before_it_is_read(api, hall, types):
    body = json.dumps({"hall": hall.pk, "business_type": "A", "phone": "1" * 3_000_000})
    assert_too_large(api.post("/api/tickets/", body, content_type="application/json"))


def test_the_limit_is_djangos_upload_memory_size(api, hall, types, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"hall": hall.pk, "business_type": "A", "note": "x" * 1000}
    assert_too_large(api.post("/api/tickets/", body, format="json"))


def test_an_upload_over_its_whole_limit_is_refused_with_413(api, hall, types, settings):
    settings.MAX_UPLOAD_BYTES = 5000
    body = {"hall": hall.pk, "business_type": "A", "photo": upload(content=b"\xff\xd8\xff" + b"0" * 6000)}
    assert_too_large(api.post("/api/tickets/", body, format="multipart"))


def test_an_upload_whose_fields_are_over_the_limit_is_refused_with_413(api, hall, types, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"hall": hall.pk, "business_type": "A", "phone": "1" * 2000}
    assert_too_large(api.post("/api/tickets/", body, format="multipart"))


def test_a_body_within_the_limit_is_answered_as_before(api, hall, types, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post("/api/tickets/", {"hall": hall.pk, "business_type": "A"}, format="json")
    assert response.status_code == 201, response.content
