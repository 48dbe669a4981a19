import re

import pytest
from django.urls import reverse

from repairs import services
from tests.factories import register_repair
from tests.files import JPEG, PNG, upload

pytestmark = pytest.mark.django_db


def completed_with(hall, clerk, worker, *uploads):
    repair = register_repair(hall, actor=clerk)
    repair = services.repair_dispatch(repair=repair, worker=worker, actor=clerk)
    repair = services.repair_arrive(repair=repair, actor=worker)
    return services.repair_complete(repair=repair, notes="更换熔断器", photos=list(uploads), actor=worker)


@pytest.fixture
def repair(hall, clerk, worker):
    return completed_with(hall, clerk, worker, upload("fuse.png", PNG, "image/png"))


@pytest.fixture
def photo(repair):
    return repair.photos.get()


def photo_url(repair, photo_id: int) -> str:
    return reverse("repair-photo", args=[repair.pk, photo_id])


def test_it_gives_the_hall_s_clerk_the_photo_with_its_type(client_as, clerk, repair, photo):
    response = client_as(clerk).get(photo_url(repair, photo.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert (response["X-Content-Type-Options"], response["Cache-Control"]) == ("nosniff", "private, no-store")


def test_it_reads_the_type_from_the_bytes_not_the_name(client_as, hall, clerk, worker):
    repair = completed_with(hall, clerk, worker, upload("fuse.png", JPEG, "image/png"))

    response = client_as(clerk).get(photo_url(repair, repair.photos.get().pk))

    assert response["Content-Type"] == "image/jpeg"


def test_it_gives_the_repair_worker_of_the_hall_the_photo(client_as, worker, repair, photo):
    assert client_as(worker).get(photo_url(repair, photo.pk)).status_code == 200


def test_it_refuses_a_clerk_of_another_hall(client_as, north_clerk, repair, photo):
    assert client_as(north_clerk).get(photo_url(repair, photo.pk)).status_code == 404


def test_it_refuses_a_role_that_may_not_open_repairs(client_as, handler, repair, photo):
    assert client_as(handler).get(photo_url(repair, photo.pk)).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client, repair, photo):
    response = client.get(photo_url(repair, photo.pk))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_answers_404_for_an_unknown_photo(client_as, clerk, repair, photo):
    assert client_as(clerk).get(photo_url(repair, photo.pk + 1000)).status_code == 404


def test_it_answers_404_for_a_photo_of_another_repair(client_as, hall, clerk, worker, repair, photo):
    other = register_repair(hall, actor=clerk, phone="13900139000", address="解放路 1 号")

    assert client_as(clerk).get(photo_url(other, photo.pk)).status_code == 404


def test_it_stores_photos_under_names_nobody_can_guess(repair, photo):
    assert re.fullmatch(r"repairs/\d{4}/\d{2}/[A-Za-z0-9_-]{22}\.png", photo.image.name)
    assert "fuse" not in photo.image.name


def test_the_api_links_the_photos_to_the_protected_page(api_as, clerk, repair, photo):
    body = api_as(clerk).get(f"/api/repairs/{repair.pk}/").json()

    assert body["photos"] == [f"http://testserver{photo_url(repair, photo.pk)}"]


def test_the_detail_page_links_the_photos_to_the_protected_page(client_as, clerk, repair, photo):
    page = client_as(clerk).get(reverse("repair-detail", args=[repair.pk])).content.decode()

    assert f'src="{photo_url(repair, photo.pk)}"' in page
    assert photo.image.url not in page
