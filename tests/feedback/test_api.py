"""The API: bad input 400 with field messages, another hall's record 404, roles 403, the public limit, evidence
checked by its content."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from feedback.models import Feedback, MysteryVisit
from feedback.policies import PUBLIC_FEEDBACK_PER_MINUTE
from tests.factories import UserFactory
from tests.feedback.helpers import M4A, MP3, make_template
from tests.files import JPEG, PDF, upload

pytestmark = pytest.mark.django_db


def body(hall_, **fields):
    return {
        "hall": hall_.pk,
        "kind": "suggestion",
        "customer_name": "王女士",
        "phone": "13800001111",
        "text": "建议",
        **fields,
    }


def test_a_customer_without_a_login_sends_a_suggestion_and_gets_little_back(clock, api, hall, duty):
    answer = api.post("/api/feedback/", body(hall), format="json", REMOTE_ADDR="10.0.0.1")

    assert answer.status_code == 201
    assert set(answer.json()) == {"id", "reference", "kind", "created_at", "reply_due"}
    assert Feedback.objects.get().channel == "web"


def test_praise_without_a_person_or_with_another_halls_is_a_400(clock, api, hall, north_clerk):
    # Each from its own address: refused requests count against the limit too.
    for n, staff in enumerate((None, north_clerk.pk, "x", 1.5)):
        fields = {"kind": "praise"} if staff is None else {"kind": "praise", "staff": staff}
        answer = api.post("/api/feedback/", body(hall, **fields), format="json", REMOTE_ADDR=f"10.0.1.{n}")
        assert answer.status_code == 400
        assert "staff" in answer.json()
    for n, bad in enumerate(({"kind": "gripe"}, {"phone": "call me"}, {"hall": 999999}, {"text": ""})):
        answer = api.post("/api/feedback/", body(hall, **bad), format="json", REMOTE_ADDR=f"10.0.2.{n}")
        assert answer.status_code == 400
        assert set(bad) <= set(answer.json())
    assert not Feedback.objects.exists()


def test_the_public_api_is_rate_limited_per_address(clock, api, hall, duty):
    codes = [
        api.post(
            "/api/feedback/", body(hall, phone=f"1380000{n:04d}"), format="json", REMOTE_ADDR="10.0.0.9"
        ).status_code
        for n in range(PUBLIC_FEEDBACK_PER_MINUTE + 1)
    ]

    assert codes == [201] * PUBLIC_FEEDBACK_PER_MINUTE + [429]
    assert Feedback.objects.count() == PUBLIC_FEEDBACK_PER_MINUTE


def test_staff_list_filters_and_reply(clock, api_as, hall, duty, clerk, manager):
    clerk_api = api_as(clerk)
    taken = clerk_api.post("/api/feedback/", body(hall), format="json")
    assert taken.status_code == 201
    assert taken.json()["channel"] == "counter"
    praise = clerk_api.post("/api/feedback/", body(hall, kind="praise", staff=clerk.pk), format="json").json()

    assert [row["id"] for row in clerk_api.get("/api/feedback/?kind=praise").json()["results"]] == [praise["id"]]
    assert [row["id"] for row in clerk_api.get("/api/feedback/?unanswered=true").json()["results"]] == [
        taken.json()["id"]
    ]
    assert clerk_api.get("/api/feedback/?kind=gripe").status_code == 400

    pk = taken.json()["id"]
    assert clerk_api.post(f"/api/feedback/{pk}/reply/", {"text": "好"}, format="json").status_code == 403
    manager_api = api_as(manager)
    assert manager_api.post(f"/api/feedback/{pk}/reply/", {"text": ""}, format="json").status_code == 400
    replied = manager_api.post(f"/api/feedback/{pk}/reply/", {"text": "已答复"}, format="json")
    assert replied.status_code == 200
    assert replied.json()["reply"] == "已答复"
    assert manager_api.post(f"/api/feedback/{pk}/reply/", {"text": "again"}, format="json").status_code == 400
    assert clerk_api.get("/api/feedback/?unanswered=true").json()["results"] == []
    actions = [row["action"] for row in clerk_api.get(f"/api/feedback/{pk}/timeline/").json()]
    assert actions == ["receive", "reply"]


def test_another_halls_feedback_is_404_and_the_list_is_not_for_customers(clock, api, api_as, hall, duty, north):
    pk = api.post("/api/feedback/", body(hall), format="json").json()["id"]
    north_manager = api_as(UserFactory(hall=north, username="north_manager", roles=["hall_manager"]))

    assert north_manager.get(f"/api/feedback/{pk}/").status_code == 404
    assert north_manager.post(f"/api/feedback/{pk}/reply/", {"text": "x"}, format="json").status_code == 404
    assert north_manager.get(f"/api/feedback/{pk + 1000}/").status_code == 404
    assert north_manager.get("/api/feedback/").json()["results"] == []
    assert north_manager.post("/api/feedback/", body(hall), format="json").status_code == 404
    assert api.get("/api/feedback/").status_code in (401, 403)


def visit_body(hall, items, **fields):
    results = [
        {"item": items[0].pk, "result": "pass", "note": ""},
        {"item": items[1].pk, "result": "fail", "note": "无工牌", "staff": fields.pop("staff", None)},
    ]
    visited = (timezone.now() - dt.timedelta(hours=2)).isoformat()
    data = {"hall": hall.pk, "visited_at": visited, "visitor": "某测评公司", "template": items[0].template_id}
    return {**data, "results": json.dumps(results), **fields}


def test_a_manager_records_a_visit_with_photo_and_recording(clock, api_as, client_as, hall, manager, clerk):
    _, items = make_template(hall)
    data = visit_body(hall, items, staff=clerk.pk)
    data["evidence"] = [upload("a.jpg", JPEG), upload("b.mp3", MP3, "audio/mpeg"), upload("c.m4a", M4A, "audio/mp4")]

    answer = api_as(manager).post("/api/mystery-visits/", data, format="multipart")

    assert answer.status_code == 201, answer.json()
    visit = answer.json()
    assert visit["has_evidence"] and visit["deductible"] and visit["warning"] == ""
    assert [e["content_type"] for e in visit["evidence"]] == ["image/jpeg", "audio/mpeg", "audio/mp4"]
    assert [(r["result"], r["staff"]) for r in visit["results"]] == [("pass", None), ("fail", clerk.pk)]
    evidence = client_as(manager).get(visit["evidence"][0]["url"])
    assert evidence.status_code == 200
    assert evidence["Content-Type"] == "image/jpeg"


def test_a_visit_without_evidence_says_it_cannot_deduct(clock, api_as, hall, manager):
    _, items = make_template(hall)

    visit = api_as(manager).post("/api/mystery-visits/", visit_body(hall, items), format="multipart").json()

    assert visit["has_evidence"] is False and visit["deductible"] is False
    assert visit["warning"]
    assert api_as(manager).get(f"/api/mystery-visits/{visit['id']}/").json()["warning"] == visit["warning"]


def test_evidence_is_checked_by_its_content(clock, api_as, hall, manager):
    _, items = make_template(hall)
    data = visit_body(hall, items, evidence=[upload("talk.mp3", PDF, "audio/mpeg")])

    answer = api_as(manager).post("/api/mystery-visits/", data, format="multipart")

    assert answer.status_code == 400
    assert "evidence" in answer.json()
    assert not MysteryVisit.objects.exists()


def test_bad_visits_are_400_with_the_field_named(clock, api_as, hall, manager, north_clerk):
    _, items = make_template(hall)
    _, others = make_template(hall, "另一个")
    manager_api = api_as(manager)
    cases = {
        "results": visit_body(hall, items, results="not json"),
        "template": visit_body(hall, items, template=999999),
        "visited_at": visit_body(hall, items, visited_at="yesterday"),
        "visitor": visit_body(hall, items, visitor=""),
    }
    for field, data in cases.items():
        answer = manager_api.post("/api/mystery-visits/", data, format="multipart")
        assert answer.status_code == 400, field
        assert field in answer.json(), field
    foreign = visit_body(hall, items, results=json.dumps([{"item": others[0].pk, "result": "fail"}]))
    assert "results" in manager_api.post("/api/mystery-visits/", foreign, format="multipart").json()
    stranger = visit_body(hall, items, staff=north_clerk.pk)
    assert "results" in manager_api.post("/api/mystery-visits/", stranger, format="multipart").json()
    twice = visit_body(hall, items, results=json.dumps([{"item": items[0].pk, "result": "fail"}] * 2))
    assert "results" in manager_api.post("/api/mystery-visits/", twice, format="multipart").json()
    as_json = manager_api.post(
        "/api/mystery-visits/",
        {**visit_body(hall, items), "results": [{"item": items[0].pk, "result": "pass"}]},
        format="json",
    )
    assert as_json.status_code == 201
    assert MysteryVisit.objects.count() == 1


def test_visits_are_for_managers_of_their_own_hall(clock, api_as, hall, manager, clerk, north):
    _, items = make_template(hall)
    pk = api_as(manager).post("/api/mystery-visits/", visit_body(hall, items), format="multipart").json()["id"]
    north_manager = api_as(UserFactory(hall=north, username="north_manager", roles=["hall_manager"]))

    assert api_as(clerk).get("/api/mystery-visits/").status_code == 403
    assert api_as(clerk).post("/api/mystery-visits/", visit_body(hall, items), format="multipart").status_code == 403
    assert north_manager.get(f"/api/mystery-visits/{pk}/").status_code == 404
    assert north_manager.post("/api/mystery-visits/", visit_body(hall, items), format="multipart").status_code == 404
    assert north_manager.get("/api/mystery-visits/").json()["results"] == []
    assert api_as(manager).get("/api/mystery-visits/").json()["results"][0]["id"] == pk
