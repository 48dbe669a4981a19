"""Editing a patrol template: what changes, what is refused, and the patrols and visits that used it staying as
they were."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from feedback import services as feedback_services
from hall.errors import ApplicationError, NotPermitted
from hall.models import TimelineEvent
from patrols import selectors, services
from patrols.models import PatrolTemplate, TemplateItem
from tests.patrols.conftest import ITEMS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are matched by their English words."""
    with translation.override("en"):
        yield


def rows(template):
    """The template's items as an edit takes them, each with its id."""
    return [
        {"id": item.pk, **{field: getattr(item, field) for field in services.ITEM_CONTENT}}
        for item in template.current_items()
    ]


def current(template):
    return [(item.text, item.points, item.order) for item in template.current_items()]


def walk(patrol, actor, failed=()):
    for item in selectors.patrol_items(patrol):
        result = "fail" if item.text in failed else "pass"
        services.patrol_check(patrol=patrol, item=item, result=result, actor=actor)


def test_an_edit_keeps_unchanged_items_retires_changed_and_removed_ones_and_adds_new_ones(template, items, manager):
    floor, queue, badge = rows(template)

    services.template_update(
        template=template,
        name="每日巡场",
        items=[
            badge,
            dict(floor, points=8),
            {"category": "supervisor", "text": "值班经理在岗", "standard": "高峰在大堂", "points": 4},
        ],
        actor=manager,
    )

    template.refresh_from_db()
    assert template.name == "每日巡场"
    assert current(template) == [("佩戴工牌", 2, 1), ("地面整洁", 8, 2), ("值班经理在岗", 4, 3)]
    kept, changed, added = template.current_items()
    assert kept.pk == items["佩戴工牌"].pk
    assert changed.pk != items["地面整洁"].pk and added.names_staff is False
    for old in (items["地面整洁"], items["排队有序"]):
        old.refresh_from_db()
        assert old.retired_at is not None
    assert (old.text, old.points) == ("排队有序", 3)  # a retired item is never altered
    event = TimelineEvent.objects.filter(content_type__model="patroltemplate", action="update").get()
    assert event.data["name"] == ["日常巡场", "每日巡场"]
    assert set(event.data["retired"]) == {items["地面整洁"].pk, items["排队有序"].pk}
    assert event.data["moved"] == [kept.pk] and len(event.data["added"]) == 2


def test_a_staff_item_names_the_person_unless_it_says_otherwise(hall, manager):
    template = services.template_create(
        hall=hall,
        name="晨检",
        items=[
            {"category": "staff", "text": "佩戴工牌"},
            {"category": "staff", "text": "工位整洁", "names_staff": False},
            {"category": "order", "text": "引导员在岗", "names_staff": True},
        ],
        actor=manager,
    )

    assert [item.names_staff for item in template.current_items()] == [True, False, True]


def test_a_finished_patrol_reads_and_scores_the_same_after_its_template_changes(
    hall, template, items, duty, manager, clock
):
    patrol = services.patrol_start(hall=hall, template=template, actor=duty)
    walk(patrol, duty, failed={"排队有序"})
    patrol = services.patrol_finish(patrol=patrol, actor=duty)
    before = (selectors.walk(patrol), selectors.category_scores(patrol), patrol.score, patrol.max_score)

    floor, queue, badge = rows(template)
    services.template_update(
        template=template,
        items=[
            dict(badge, text="规范佩戴工牌", points=10),
            dict(floor, category="supervisor"),
            {"category": "order", "text": "新项"},
        ],
        actor=manager,
    )

    patrol.refresh_from_db()
    after = (selectors.walk(patrol), selectors.category_scores(patrol), patrol.score, patrol.max_score)
    assert after == before
    assert [item.text for item in selectors.patrol_items(patrol)] == ["地面整洁", "排队有序", "佩戴工牌"]
    assert [c["max_score"] for c in selectors.category_scores(patrol)] == [5, 3, 2]
    assert patrol.checks.get(result="fail").rectification.check_result.item.text == "排队有序"


def test_a_patrol_walked_while_its_template_changes_finishes_on_the_checklist_it_started_with(
    hall, template, items, duty, manager
):
    patrol = services.patrol_start(hall=hall, template=template, actor=duty)
    floor, queue, badge = rows(template)
    services.template_update(template=template, items=[floor, {"category": "order", "text": "新项"}], actor=manager)

    walk(patrol, duty)
    patrol = services.patrol_finish(patrol=patrol, actor=duty)

    assert (patrol.score, patrol.max_score) == (10, 10)
    fresh = services.patrol_start(hall=hall, template=template, actor=duty)
    assert [item.text for item in selectors.patrol_items(fresh)] == ["地面整洁", "新项"]
    with pytest.raises(ApplicationError):
        services.patrol_check(patrol=fresh, item=items["排队有序"], result="pass", actor=duty)


def test_an_item_kept_through_an_edit_keeps_its_repeated_failures(hall, template, items, duty, manager, clock):
    first = services.patrol_start(hall=hall, template=template, actor=duty)
    walk(first, duty, failed={"地面整洁"})
    services.patrol_finish(patrol=first, actor=duty)
    floor, queue, badge = rows(template)
    services.template_update(template=template, items=[badge, floor], actor=manager)

    clock.shift(dt.timedelta(days=2))
    second = services.patrol_start(hall=hall, template=template, actor=duty)
    walk(second, duty, failed={"地面整洁"})

    assert selectors.repeated_items(second) == {items["地面整洁"].pk}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"items": []}, "at least one item"),
        ({"items": [{"category": "mood", "text": "微笑"}]}, "not one of the four"),
        ({"items": [{"category": "order", "text": "  "}]}, "needs a category and a text"),
        ({"items": [{"text": "无类别"}]}, "needs a category and a text"),
        ({"items": [{"category": "order", "text": "x", "points": 0}]}, "points go from 1"),
        ({"items": [{"category": "order", "text": "长" * 201}]}, "too long"),
        ({"items": [{"category": "order", "text": "x"}] * 101}, "at most 100 items"),
        ({"name": " "}, "needs a name"),
        ({"name": "另一个"}, "already has a template"),
    ],
)
def test_a_refused_edit_changes_nothing(hall, template, items, manager, change, message):
    services.template_create(hall=hall, name="另一个", items=ITEMS, actor=manager)
    before = current(template)

    with pytest.raises(ApplicationError, match=message):
        services.template_update(template=template, actor=manager, **change)

    template.refresh_from_db()
    assert template.name == "日常巡场" and current(template) == before
    assert not TemplateItem.objects.filter(retired_at__isnull=False).exists()


def test_an_item_of_another_template_or_given_twice_is_refused(hall, template, items, manager):
    other = services.template_create(hall=hall, name="另一个", items=ITEMS, actor=manager)
    floor = rows(template)[0]
    foreign = rows(other)[0]

    with pytest.raises(ApplicationError, match="not one of this template's items"):
        services.template_update(template=template, items=[floor, foreign], actor=manager)
    with pytest.raises(ApplicationError, match="given twice"):
        services.template_update(template=template, items=[floor, floor], actor=manager)
    assert not TemplateItem.objects.filter(retired_at__isnull=False).exists()


def test_a_retired_item_can_be_named_no_more(hall, template, items, manager):
    floor, queue, badge = rows(template)
    services.template_update(template=template, items=[floor, badge], actor=manager)

    with pytest.raises(ApplicationError, match="not one of this template's items"):
        services.template_update(template=template, items=[floor, queue], actor=manager)


def test_only_the_hall_manager_edits_a_template(template, duty, clerk):
    for person in (duty, clerk):
        with pytest.raises(NotPermitted):
            services.template_update(template=template, name="x", actor=person)
    template.refresh_from_db()
    assert template.name == "日常巡场"


def test_a_deactivated_template_starts_no_patrol_and_leaves_the_list(hall, template, duty, manager):
    template = services.template_update(template=template, is_active=False, actor=manager)

    with pytest.raises(ApplicationError):
        services.patrol_start(hall=hall, template=template, actor=duty)
    assert list(selectors.templates_of(hall)) == []
    assert list(selectors.templates_of(hall, active_only=False)) == [template]
    services.template_update(template=template, is_active=True, actor=manager)
    assert PatrolTemplate.objects.get().is_active


def test_an_edit_that_changes_nothing_writes_no_event(template, manager):
    services.template_update(template=template, name="日常巡场", items=rows(template), actor=manager)

    assert not TemplateItem.objects.filter(retired_at__isnull=False).exists()
    assert not TimelineEvent.objects.filter(content_type__model="patroltemplate", action="update").exists()


def test_a_mystery_visit_is_held_to_the_current_items_only(hall, template, items, manager, clock):
    floor, queue, badge = rows(template)
    services.template_update(template=template, items=[floor, badge], actor=manager)
    fields = {"hall": hall, "template": template, "visitor": "某测评公司", "actor": manager}
    fields["visited_at"] = timezone.now() - dt.timedelta(hours=1)
    items["排队有序"].refresh_from_db()

    with pytest.raises(ApplicationError):
        feedback_services.mystery_visit_record(
            results=[{"item": items["排队有序"], "result": "fail", "note": ""}], **fields
        )
    visit = feedback_services.mystery_visit_record(
        results=[{"item": items["地面整洁"], "result": "pass", "note": ""}], **fields
    )
    assert visit.results.get().item == items["地面整洁"]
