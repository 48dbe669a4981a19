"""The hall manager's template pages: /patrol/templates/ and the editor."""

import re

import pytest

from patrols import selectors
from patrols.models import Patrol, PatrolTemplate, TemplateItem
from patrols.services import patrol_check, patrol_finish, patrol_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PAGE_LANGUAGE = "en"
HTMX = {"HTTP_HX_REQUEST": "true"}


def posted(template, rows, op="save", name=None, active=True):
    """The editor's form as a browser posts it: the name, the rows in their order, the button pressed."""
    data = {
        "name": template.name if name is None else name,
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": str(len(rows)),
        "op": op,
    }
    if active:
        data["is_active"] = "on"
    for n, row in enumerate(rows):
        for key, value in row.items():
            if key == "names_staff":
                if value:
                    data[f"items-{n}-names_staff"] = "on"
            else:
                data[f"items-{n}-{key}"] = "" if value is None else str(value)
    return data


def rows_of(template):
    return [
        {
            "id": item.pk,
            "category": item.category,
            "text": item.text,
            "standard": item.standard,
            "points": item.points,
            "names_staff": item.names_staff,
        }
        for item in template.current_items()
    ]


def page_of(client, patrol):
    """The patrol's page without its CSRF token, which is masked afresh for every answer."""
    html = client.get(f"/patrol/{patrol.pk}/").content.decode()
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def texts_in(html):
    return re.findall(r'name="items-\d+-text"[^>]*value="([^"]*)"', html)


def test_the_hall_manager_finds_the_templates_from_the_patrol_page(client_as, template, manager, duty):
    page = client_as(manager)
    assert "/patrol/templates/" in page.get("/patrol/").content.decode()
    listed = page.get("/patrol/templates/").content.decode()
    assert "日常巡场" in listed and f"/patrol/templates/{template.pk}/" in listed and "3 items" in listed
    editor = page.get(f"/patrol/templates/{template.pk}/").content.decode()
    assert texts_in(editor) == ["地面整洁", "排队有序", "佩戴工牌"]
    assert "/patrol/templates/" not in client_as(duty).get("/patrol/").content.decode()


def test_the_hall_manager_edits_the_items_and_saves_them(client_as, template, items, manager):
    page = client_as(manager)
    floor, queue, badge = rows_of(template)
    rows = [dict(badge, text="规范佩戴工牌"), floor, dict(queue, points=4, names_staff=True)]
    rows.append({"category": "supervisor", "text": "交接班记录完整", "standard": "", "points": 3})

    saved = page.post(f"/patrol/templates/{template.pk}/", posted(template, rows, name="每日巡场"))

    assert saved.status_code == 302 and saved["Location"] == f"/patrol/templates/{template.pk}/"
    template.refresh_from_db()
    assert template.name == "每日巡场"
    current = [(i.text, i.category, i.points, i.names_staff) for i in template.current_items()]
    assert current == [
        ("规范佩戴工牌", "staff", 2, True),
        ("地面整洁", "environment", 5, False),
        ("排队有序", "order", 4, True),
        ("交接班记录完整", "supervisor", 3, False),
    ]
    assert template.current_items()[1].pk == items["地面整洁"].pk
    assert "Template 每日巡场 saved." in page.get(saved["Location"]).content.decode()


def test_rows_are_added_moved_and_removed_on_the_page_before_anything_is_saved(client_as, template, manager):
    page = client_as(manager)
    url = f"/patrol/templates/{template.pk}/"
    rows = rows_of(template)

    added = page.post(url, posted(template, rows, op="add"), **HTMX).content.decode()
    assert texts_in(added) == ["地面整洁", "排队有序", "佩戴工牌", ""]
    assert 'name="items-TOTAL_FORMS" value="4"' in added and "<html" not in added
    moved = page.post(url, posted(template, rows, op="up-2"), **HTMX).content.decode()
    assert texts_in(moved) == ["地面整洁", "佩戴工牌", "排队有序"]
    down = page.post(url, posted(template, rows, op="down-0", name="改名中"), **HTMX).content.decode()
    assert texts_in(down) == ["排队有序", "地面整洁", "佩戴工牌"] and 'value="改名中"' in down
    removed = page.post(url, posted(template, rows, op="remove-1"), **HTMX).content.decode()
    assert texts_in(removed) == ["地面整洁", "佩戴工牌"]

    assert [i.text for i in PatrolTemplate.objects.get().current_items()] == ["地面整洁", "排队有序", "佩戴工牌"]
    assert not TemplateItem.objects.filter(retired_at__isnull=False).exists()


def test_a_bad_row_is_shown_with_its_error_and_nothing_is_saved(client_as, template, manager):
    page = client_as(manager)
    rows = rows_of(template)
    rows[1]["text"] = ""
    rows[2]["points"] = 0

    refused = page.post(f"/patrol/templates/{template.pk}/", posted(template, rows, name="新名字"))

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Nothing was saved" in html and html.count('class="field-error"') == 2
    assert 'value="新名字"' in html
    template.refresh_from_db()
    assert template.name == "日常巡场" and not TemplateItem.objects.filter(retired_at__isnull=False).exists()


def test_a_refusal_of_the_service_is_shown_and_nothing_is_saved(client_as, hall, template, manager):
    page = client_as(manager)
    PatrolTemplate.objects.create(hall=hall, name="另一个")
    url = f"/patrol/templates/{template.pk}/"
    rows = rows_of(template)[:2]

    taken = page.post(url, posted(template, rows, name="另一个"), **HTMX)
    empty = page.post(url, posted(template, [], name="空的"), **HTMX)

    assert taken.status_code == 200 and "already has a template of that name" in taken.content.decode()
    assert "at least one item" in empty.content.decode()
    template.refresh_from_db()
    assert template.name == "日常巡场" and len(template.current_items()) == 3


def test_a_saved_edit_leaves_the_finished_patrol_page_as_it_was(client_as, hall, template, items, duty, manager):
    patrol = patrol_start(hall=hall, template=template, actor=duty)
    for item in items.values():
        patrol_check(patrol=patrol, item=item, result="fail" if item.text == "地面整洁" else "pass", actor=duty)
    patrol_finish(patrol=patrol, actor=duty)
    before = page_of(client_as(duty), patrol)

    floor, queue, badge = rows_of(template)
    rows = [dict(floor, text="大厅地面整洁", points=9), badge]
    client_as(manager).post(f"/patrol/templates/{template.pk}/", posted(template, rows), **HTMX)

    assert len(PatrolTemplate.objects.get().current_items()) == 2
    after = page_of(client_as(duty), patrol)
    assert after == before and "5 / 10" in after and "大厅地面整洁" not in after


def test_the_hall_manager_makes_a_new_template_on_the_page(client_as, hall, manager):
    page = client_as(manager)
    assert texts_in(page.get("/patrol/templates/new/").content.decode()) == [""]
    rows = [{"category": "order", "text": "叫号正常", "standard": "", "points": 5}]
    new = PatrolTemplate(name="晨检")

    created = page.post("/patrol/templates/new/", posted(new, rows), **HTMX)

    template = PatrolTemplate.objects.get(name="晨检")
    assert created["HX-Redirect"] == f"/patrol/templates/{template.pk}/"
    assert [i.text for i in template.current_items()] == ["叫号正常"] and template.hall == hall


def test_a_duty_manager_or_a_clerk_gets_403_and_changes_nothing(client_as, template, duty, clerk):
    rows = rows_of(template)
    for person in (duty, clerk):
        page = client_as(person)
        assert page.get("/patrol/templates/").status_code == 403
        assert page.get(f"/patrol/templates/{template.pk}/").status_code == 403
        assert page.post(f"/patrol/templates/{template.pk}/", posted(template, rows, name="x")).status_code == 403
        assert page.post("/patrol/templates/new/", posted(template, rows, name="y")).status_code == 403
    assert list(PatrolTemplate.objects.values_list("name", flat=True)) == ["日常巡场"]


def test_another_halls_template_is_404(client_as, template, north):
    north_manager = UserFactory(hall=north, username="north_manager", roles=["hall_manager"])
    assert client_as(north_manager).get(f"/patrol/templates/{template.pk}/").status_code == 404


def test_the_staff_picker_follows_the_item_not_its_category(client_as, hall, template, items, duty, manager):
    floor, queue, badge = rows_of(template)
    rows = [dict(floor, names_staff=True), queue, dict(badge, names_staff=False)]
    client_as(manager).post(f"/patrol/templates/{template.pk}/", posted(template, rows))
    patrol = patrol_start(hall=hall, template=PatrolTemplate.objects.get(), actor=duty)

    html = client_as(duty).get(f"/patrol/{patrol.pk}/").content.decode()

    cards = dict(re.findall(r'id="item-(\d+)">(.*?)</article>', html, re.S))
    pickers = {item.text for item in selectors.patrol_items(patrol) if 'name="staff"' in cards[str(item.pk)]}
    assert pickers == {"地面整洁"}
    assert Patrol.objects.count() == 1
