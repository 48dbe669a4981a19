"""GET /api/notifications/ (?unread=true), POST …/<id>/read/ and …/read-all/."""

import pytest

from hall.models import Notification
from hall.notifications import notification_mark_read, notify

pytestmark = pytest.mark.django_db


def tell(user, number, **kwargs):
    [row] = notify(recipients=[user], hall_id=user.hall_id, kind="complaint_received", params={"number": number})
    return row


def test_it_lists_only_the_unread_ones_when_asked(api_as, clerk):
    read, unread = tell(clerk, "TS1"), tell(clerk, "TS2")
    notification_mark_read(notification=read)

    body = api_as(clerk).get("/api/notifications/?unread=true").json()

    assert [row["id"] for row in body["results"]] == [unread.pk]
    assert api_as(clerk).get("/api/notifications/?unread=false").json()["count"] == 2


def test_it_refuses_an_unread_filter_that_is_not_a_yes_or_no(api_as, clerk):
    response = api_as(clerk).get("/api/notifications/?unread=maybe")

    assert response.status_code == 400
    assert "unread" in response.json()


def test_it_lists_the_newest_first_with_the_text_in_the_readers_language(api_as, clerk, clock):
    tell(clerk, "TS1")
    clock.shift(60)
    tell(clerk, "TS2")

    results = api_as(clerk).get("/api/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]

    assert [row["text"] for row in results] == [
        "New complaint TS2 from the web form",
        "New complaint TS1 from the web form",
    ]
    assert results[0]["subject"] == "网上新投诉 TS2"
    assert (results[0]["params"], results[0]["thread"], results[0]["details"]) == ({"number": "TS2"}, "", "")


def test_read_all_marks_all_mine_read_and_says_how_many(api_as, clerk, manager):
    tell(clerk, "TS1")
    tell(clerk, "TS2")
    theirs = tell(manager, "TS3")

    response = api_as(clerk).post("/api/notifications/read-all/")

    assert response.status_code == 200
    assert response.json() == {"read": 2}
    assert not Notification.objects.filter(recipient=clerk, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_needs_a_signed_in_person(api):
    assert api.post("/api/notifications/read-all/").status_code in (401, 403)
