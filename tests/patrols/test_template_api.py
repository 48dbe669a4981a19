"""GET and PATCH /api/patrol-templates/<id>/."""

import pytest

from patrols.models import PatrolTemplate, TemplateItem
from patrols.services import patrol_check, patrol_finish, patrol_start, template_create
from tests.factories import UserFactory
from tests.patrols.conftest import ITEMS

pytestmark = pytest.mark.django_db


def url(template):
    return f"/api/patrol-templates/{template.pk}/"


def state(template):
    template.refresh_from_db()
    items = TemplateItem.objects.filter(template=template).order_by("pk")
    return template.name, template.is_active, [(i.pk, i.text, i.points, i.order, i.retired_at) for i in items]


def test_the_duty_manager_reads_a_template_with_its_items(api_as, template, duty):
    response = api_as(duty).get(url(template))

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["is_active"]) == ("日常巡场", True)
    assert [(i["text"], i["order"], i["names_staff"]) for i in body["items"]] == [
        ("地面整洁", 1, False),
        ("排队有序", 2, False),
        ("佩戴工牌", 3, True),
    ]


def test_the_hall_manager_renames_deactivates_and_replaces_the_items(api_as, template, items, manager):
    floor, badge = items["地面整洁"], items["佩戴工牌"]
    body = {
        "name": "每日巡场",
        "is_active": False,
        "items": [
            {"id": floor.pk, "order": 3},
            {"id": badge.pk, "text": "规范佩戴工牌", "names_staff": False, "order": 1},
            {"category": "supervisor", "text": "交接班记录完整", "standard": "逐项签字", "points": 4, "order": 2},
        ],
    }

    response = api_as(manager).patch(url(template), body, format="json")

    assert response.status_code == 200, response.json()
    answer = response.json()
    assert (answer["name"], answer["is_active"]) == ("每日巡场", False)
    assert [(i["text"], i["category"], i["points"], i["names_staff"], i["order"]) for i in answer["items"]] == [
        ("规范佩戴工牌", "staff", 2, False, 1),
        ("交接班记录完整", "supervisor", 4, False, 2),
        ("地面整洁", "environment", 5, False, 3),
    ]
    assert answer["items"][2]["id"] == floor.pk and answer["items"][0]["id"] != badge.pk
    template.refresh_from_db()
    assert (template.name, template.is_active) == ("每日巡场", False)
    assert TemplateItem.objects.filter(retired_at__isnull=False).count() == 2  # the badge's old wording, the queue


def test_a_finished_patrol_reads_the_same_over_the_api_after_an_edit(api_as, hall, template, items, duty, manager):
    patrol = patrol_start(hall=hall, template=template, actor=duty)
    for item in items.values():
        patrol_check(patrol=patrol, item=item, result="fail" if item.text == "排队有序" else "pass", actor=duty)
    patrol_finish(patrol=patrol, actor=duty)
    before = api_as(duty).get(f"/api/patrols/{patrol.pk}/").json()

    body = {"items": [{"id": items["佩戴工牌"].pk, "points": 9}, {"category": "order", "text": "新项"}]}
    assert api_as(manager).patch(url(template), body, format="json").status_code == 200

    assert api_as(duty).get(f"/api/patrols/{patrol.pk}/").json() == before
    assert (before["score"], before["max_score"]) == (7, 10)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"is_active": "maybe"}, "is_active"),
        ({"items": []}, "items"),
        ({"items": [{"category": "mood", "text": "微笑"}]}, "items"),
        ({"items": [{"category": "order", "text": ""}]}, "items"),
        ({"items": [{"category": "order"}]}, "items"),
        ({"items": [{"category": "order", "text": "x", "points": 0}]}, "items"),
        ({"items": [{"id": 1.5}]}, "items"),
        ({"items": "地面整洁"}, "items"),
        ({"hall": 1}, "hall"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_changes_nothing(api_as, template, items, manager, body, field):
    before = state(template)

    response = api_as(manager).patch(url(template), body, format="json")

    assert response.status_code == 400 and field in response.json(), response.json()
    assert state(template) == before


def test_a_refused_edit_says_why_and_changes_nothing(api_as, hall, template, items, manager):
    other = template_create(hall=hall, name="另一个", items=ITEMS, actor=manager)
    before = state(template)
    client = api_as(manager)
    floor = {"id": items["地面整洁"].pk}

    for body in (
        {"name": "另一个"},
        {"items": [floor, {"id": other.current_items()[0].pk}]},
        {"items": [floor, floor]},
        {"name": "新名字", "items": [floor, {"id": 10**9}]},
    ):
        response = client.patch(url(template), body, format="json")
        assert response.status_code == 400 and response.json()["detail"], body
    assert state(template) == before


def test_only_the_hall_manager_or_the_admin_may_change_a_template(api_as, hall, template, duty, clerk):
    before = state(template)
    for person in (duty, clerk):
        assert api_as(person).patch(url(template), {"name": "x"}, format="json").status_code == 403
    assert api_as(clerk).get(url(template)).status_code == 403
    assert state(template) == before

    admin = UserFactory(username="root", hall=None, is_superuser=True, is_staff=True)
    assert api_as(admin).patch(url(template), {"name": "总部标准"}, format="json").status_code == 200
    assert PatrolTemplate.objects.get().name == "总部标准"


def test_another_halls_template_answers_404(api_as, template, north):
    north_manager = UserFactory(hall=north, username="north_manager", roles=["hall_manager"])
    client = api_as(north_manager)

    assert client.get(url(template)).status_code == 404
    assert client.patch(url(template), {"name": "北区"}, format="json").status_code == 404
    assert PatrolTemplate.objects.get().name == "日常巡场"
