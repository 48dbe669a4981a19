import pytest

from patrols.models import Patrol, PatrolCheck, PatrolTemplate, Rectification
from patrols.services import patrol_start, template_create
from tests.factories import UserFactory
from tests.files import PDF, upload
from tests.patrols.conftest import ITEMS

pytestmark = pytest.mark.django_db


def walk_api(client, patrol_id, items, failed=(), staff=None):
    for item in items.values():
        body = {"result": "fail" if item.text in failed else "pass", "note": "x"}
        if staff is not None and item.text in failed and item.category == "staff":
            body["staff"] = staff.pk
        response = client.post(f"/api/patrols/{patrol_id}/items/{item.pk}/", body, format="json")
        assert response.status_code == 200, response.json()


def test_the_hall_manager_makes_templates_and_the_duty_manager_reads_them(api_as, hall, manager, duty, north):
    body = {"hall": hall.pk, "name": "晨检", "items": [dict(i, category=str(i["category"])) for i in ITEMS]}
    response = api_as(manager).post("/api/patrol-templates/", body, format="json")
    assert response.status_code == 201, response.json()
    assert [i["points"] for i in response.json()["items"]] == [5, 3, 2]
    assert api_as(duty).post("/api/patrol-templates/", body, format="json").status_code == 403
    listed = api_as(duty).get("/api/patrol-templates/").json()
    assert [t["name"] for t in listed["results"]] == ["晨检"]
    assert api_as(manager).post("/api/patrol-templates/", body, format="json").status_code == 400  # same name
    assert api_as(manager).post("/api/patrol-templates/", dict(body, hall=north.pk), format="json").status_code == 404


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"category": "mood", "text": "微笑"}],
        [{"category": "order", "text": ""}],
        [{"category": "order", "text": "x", "points": 0}],
    ],
)
def test_bad_templates_answer_400(api_as, hall, manager, items):
    response = api_as(manager).post(
        "/api/patrol-templates/", {"hall": hall.pk, "name": "x", "items": items}, format="json"
    )
    assert response.status_code == 400 and "items" in response.json()
    assert not PatrolTemplate.objects.exists()


def test_a_patrol_over_the_api_to_its_score_and_rectifications(api_as, hall, template, items, duty, clerk):
    client = api_as(duty)
    response = client.post("/api/patrols/", {"hall": hall.pk, "template": template.pk}, format="json")
    assert response.status_code == 201
    patrol_id = response.json()["id"]
    photo = client.post(
        f"/api/patrols/{patrol_id}/items/{items['地面整洁'].pk}/",
        {"result": "fail", "note": "有纸屑", "photo": upload()},
        format="multipart",
    )
    assert photo.status_code == 200 and PatrolCheck.objects.get().photo
    walk_api(client, patrol_id, items, failed={"地面整洁", "佩戴工牌"}, staff=clerk)
    finished = client.post(f"/api/patrols/{patrol_id}/finish/")
    assert finished.status_code == 200
    body = finished.json()
    assert (body["score"], body["max_score"]) == (3, 10)
    assert {r["text"] for r in body["rectifications"]} == {"地面整洁", "佩戴工牌"}
    assert {c["category"]: c["score"] for c in body["categories"]} == {"environment": 0, "order": 3, "staff": 0}

    mine = api_as(clerk).get("/api/rectifications/").json()["results"]
    assert [r["text"] for r in mine] == ["佩戴工牌"]
    assert len(client.get("/api/rectifications/?scope=all").json()["results"]) == 2
    rect = mine[0]["id"]
    done = api_as(clerk).post(
        f"/api/rectifications/{rect}/done/", {"note": "已戴", "photo": upload()}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert api_as(clerk).post(f"/api/rectifications/{rect}/verify/", {"accept": True}, format="json").status_code == 403
    rejected = client.post(f"/api/rectifications/{rect}/verify/", {"accept": False, "note": "没戴"}, format="json")
    assert rejected.json()["status"] == "open" and rejected.json()["reopened"] == 1


def test_bad_input_answers_400(api_as, hall, template, items, duty, worker):
    client = api_as(duty)
    assert client.post("/api/patrols/", {"hall": hall.pk, "template": "x"}, format="json").status_code == 400
    assert client.post("/api/patrols/", {"hall": hall.pk, "template": 10**9}, format="json").status_code == 400
    patrol = patrol_start(hall=hall, template=template, actor=duty)
    url = f"/api/patrols/{patrol.pk}/items/{items['佩戴工牌'].pk}/"
    for body in ({"result": "maybe"}, {"result": "fail", "note": "长" * 501}, {"result": "fail", "staff": worker.pk}):
        response = client.post(url, body, format="json")
        assert response.status_code == 400, body
    pdf = client.post(url, {"result": "fail", "photo": upload("x.jpg", PDF)}, format="multipart")
    assert pdf.status_code == 400 and "photo" in pdf.json()
    unfinished = client.post(f"/api/patrols/{patrol.pk}/finish/")
    assert unfinished.status_code == 400
    assert not PatrolCheck.objects.exists()


def test_a_clerk_may_not_start_a_patrol(api_as, hall, template, clerk):
    response = api_as(clerk).post("/api/patrols/", {"hall": hall.pk, "template": template.pk}, format="json")
    assert response.status_code == 403
    assert not Patrol.objects.exists()


def test_another_halls_patrol_and_rectification_answer_404(api_as, hall, template, items, duty, north):
    north_duty = UserFactory(hall=north, username="north_duty", roles=["duty_manager"])
    north_template = template_create(hall=north, name="北区", items=ITEMS)
    client = api_as(north_duty)
    patrol = patrol_start(hall=hall, template=template, actor=duty)
    assert client.get(f"/api/patrols/{patrol.pk}/").status_code == 404
    assert client.post(f"/api/patrols/{patrol.pk}/items/{items['地面整洁'].pk}/", {"result": "pass"}).status_code == 404
    assert client.post(f"/api/patrols/{patrol.pk}/finish/").status_code == 404
    assert client.post("/api/patrols/", {"hall": hall.pk, "template": template.pk}, format="json").status_code == 404
    # another hall's template in my hall's patrol
    mine = api_as(duty).post("/api/patrols/", {"hall": hall.pk, "template": north_template.pk}, format="json")
    assert mine.status_code == 400
    walk_api(api_as(duty), patrol.pk, items, failed={"地面整洁"})
    api_as(duty).post(f"/api/patrols/{patrol.pk}/finish/")
    rect = Rectification.objects.get()
    assert client.post(f"/api/rectifications/{rect.pk}/done/", {"note": "x"}).status_code == 404
    assert client.get("/api/rectifications/?scope=all").json()["results"] == []


def test_the_patrol_list_and_detail(api_as, hall, template, items, duty):
    patrol = patrol_start(hall=hall, template=template, actor=duty)
    listed = api_as(duty).get("/api/patrols/").json()["results"]
    assert [(p["id"], p["score"]) for p in listed] == [(patrol.pk, None)]
    detail = api_as(duty).get(f"/api/patrols/{patrol.pk}/").json()
    assert [i["text"] for i in detail["items"]] == ["地面整洁", "排队有序", "佩戴工牌"]
    assert all(i["result"] is None for i in detail["items"])
