import pytest

from patrols.models import Patrol, PatrolCheck, Rectification, RectificationStatus
from tests.files import JPEG, PDF, upload

pytestmark = pytest.mark.django_db
PAGE_LANGUAGE = "en"


def test_the_duty_manager_starts_and_walks_a_patrol_on_the_pages(client_as, hall, template, items, duty, clerk):
    page = client_as(duty)
    home = page.get("/patrol/")
    assert home.status_code == 200 and "日常巡场" in home.content.decode()
    started = page.post("/patrol/", {"template": template.pk})
    patrol = Patrol.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/patrol/{patrol.pk}/"
    walk = page.get(f"/patrol/{patrol.pk}/").content.decode()
    assert "Finish the patrol" in walk and str(clerk) in walk  # the staff picker

    badge = items["佩戴工牌"]
    row = page.post(
        f"/patrol/{patrol.pk}/items/{badge.pk}/",
        {"result": "fail", "note": "未戴工牌", "staff": clerk.pk, "photo": upload()},
        HTTP_HX_REQUEST="true",
    )
    assert row.status_code == 200 and "未戴工牌" in row.content.decode() and "item-fail" in row.content.decode()
    check = PatrolCheck.objects.get()
    assert b"".join(page.get(f"/patrol/{patrol.pk}/photos/{check.pk}/").streaming_content) == JPEG

    refused = page.post(
        f"/patrol/{patrol.pk}/items/{badge.pk}/",
        {"result": "fail", "photo": upload("a.jpg", PDF)},
        HTTP_HX_REQUEST="true",
    )
    assert "not a photo" in refused.content.decode()
    for item in items.values():
        if item != badge:
            page.post(f"/patrol/{patrol.pk}/items/{item.pk}/", {"result": "pass"})
    page.post(f"/patrol/{patrol.pk}/finish/")
    result = page.get(f"/patrol/{patrol.pk}/").content.decode()
    assert "8 / 10" in result and "Finish the patrol" not in result


def test_a_clerk_sees_no_patrol_page_but_fixes_their_rectification(client_as, hall, template, items, duty, clerk):
    assert client_as(clerk).get("/patrol/").status_code == 403
    from patrols import services

    patrol = services.patrol_start(hall=hall, template=template, actor=duty)
    for item in items.values():
        result = "fail" if item.text == "佩戴工牌" else "pass"
        services.patrol_check(
            patrol=patrol, item=item, result=result, staff=clerk if result == "fail" else None, actor=duty
        )
    services.patrol_finish(patrol=patrol, actor=duty)
    rect = Rectification.objects.get()

    page = client_as(clerk)
    listed = page.get("/rectifications/").content.decode()
    assert "佩戴工牌" in listed and "What was done" in listed and "Accept" not in listed
    page.post(f"/rectifications/{rect.pk}/done/", {"note": "已佩戴", "photo": upload()})
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.DONE
    assert b"".join(page.get(f"/rectifications/{rect.pk}/photo/").streaming_content) == JPEG

    manager_page = client_as(duty)
    assert "Accept" in manager_page.get("/rectifications/?scope=all").content.decode()
    manager_page.post(f"/rectifications/{rect.pk}/verify/", {"accept": "no", "note": "不合格"})
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.OPEN and rect.reopened == 1
    page.post(f"/rectifications/{rect.pk}/done/", {"note": "再次整改"})
    manager_page.post(f"/rectifications/{rect.pk}/verify/", {"accept": "yes"})
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.VERIFIED


def test_another_halls_patrol_page_is_404(client_as, hall, template, duty, north):
    from patrols import services
    from tests.factories import UserFactory

    patrol = services.patrol_start(hall=hall, template=template, actor=duty)
    north_duty = UserFactory(hall=north, username="north_duty", roles=["duty_manager"])
    assert client_as(north_duty).get(f"/patrol/{patrol.pk}/").status_code == 404
