"""A customer without a login may send PUBLIC_COMPLAINTS_PER_MINUTE complaints a minute from one address, by the
public form and the API together, and cannot pick that address with X-Forwarded-For."""

import pytest
from django.urls import reverse

from complaints.models import Complaint
from complaints.policies import PUBLIC_COMPLAINTS_PER_MINUTE
from tests.factories import COMPLAINT

pytestmark = pytest.mark.django_db

LIMIT = PUBLIC_COMPLAINTS_PER_MINUTE


def by_api(api, hall, n, **headers):
    body = {"hall": hall.pk, **COMPLAINT, "channel": "web", "phone": f"1390000{n:04d}"}
    return api.post("/api/complaints/", body, format="json", **headers).status_code


def by_form(client, hall, n, **headers):
    data = {**COMPLAINT, "phone": f"1390000{n:04d}"}
    return client.post(reverse("complaint-public-form", args=[hall.code]), data, **headers).status_code


def test_the_api_allows_a_customer_as_many_complaints_a_minute_as_the_form(clock, api, hall, duty):
    codes = [by_api(api, hall, n, REMOTE_ADDR="10.0.0.1") for n in range(LIMIT + 1)]

    assert codes == [201] * LIMIT + [429]
    assert Complaint.objects.count() == LIMIT


def test_the_api_and_the_form_share_one_count(clock, api, client, hall, duty):
    assert [by_form(client, hall, n, REMOTE_ADDR="10.0.0.1") for n in range(LIMIT - 1)] == [302] * (LIMIT - 1)

    assert by_api(api, hall, 90, REMOTE_ADDR="10.0.0.1") == 201
    assert by_api(api, hall, 91, REMOTE_ADDR="10.0.0.1") == 429
    assert by_form(client, hall, 92, REMOTE_ADDR="10.0.0.1") == 429
    assert Complaint.objects.count() == LIMIT


def test_a_new_x_forwarded_for_each_time_does_not_escape_the_api_limit(clock, api, hall, duty):
    codes = [
        by_api(api, hall, n, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(LIMIT + 3)
    ]

    assert codes == [201] * LIMIT + [429] * 3
    assert Complaint.objects.count() == LIMIT


def test_a_new_x_forwarded_for_each_time_does_not_escape_the_form_limit(clock, client, hall, duty):
    codes = [
        by_form(client, hall, n, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        for n in range(LIMIT + 3)
    ]

    assert codes == [302] * LIMIT + [429] * 3
    assert Complaint.objects.count() == LIMIT


def test_behind_a_trusted_proxy_each_customer_has_their_own_count(clock, api, client, hall, duty, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    first = [by_api(api, hall, n, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.7") for n in range(LIMIT + 1)]
    second = by_form(client, hall, 50, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert first == [201] * LIMIT + [429]
    assert second == 302


def test_behind_a_trusted_proxy_what_the_customer_wrote_left_of_their_address_is_ignored(
    clock, api, hall, duty, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]

    codes = [
        by_api(api, hall, n, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7")
        for n in range(LIMIT + 1)
    ]

    assert codes == [201] * LIMIT + [429]
