import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from assessments.facts import SOURCES
from hall.errors import ApplicationError, NotPermitted
from hall.models import Notification, SlaClock, TimelineEvent
from patrols import selectors, services
from patrols.models import Rectification, RectificationStatus
from staff import services as staff_services
from staff.models import Duty, DutyStatus
from tests.factories import UserFactory
from tests.files import PDF, upload

pytestmark = pytest.mark.django_db


def walk(patrol, items, actor, failed=(), staff=None):
    for text, item in items.items():
        result = "fail" if text in failed else "pass"
        services.patrol_check(
            patrol=patrol, item=item, result=result, note="见照片" if result == "fail" else "", staff=staff, actor=actor
        )


def test_a_patrol_scores_the_passed_points_and_opens_a_rectification_per_failed_item(
    hall, template, items, duty, clerk, clock
):
    patrol = services.patrol_start(hall=hall, template=template, actor=duty)
    services.patrol_check(patrol=patrol, item=items["地面整洁"], result="pass", photo=upload(), actor=duty)
    services.patrol_check(patrol=patrol, item=items["排队有序"], result="pass", actor=duty)
    services.patrol_check(patrol=patrol, item=items["佩戴工牌"], result="fail", note="未戴", staff=clerk, actor=duty)
    patrol = services.patrol_finish(patrol=patrol, actor=duty)

    assert (patrol.score, patrol.max_score) == (8, 10)
    scores = {c["category"]: (c["score"], c["max_score"]) for c in selectors.category_scores(patrol)}
    assert scores == {"environment": (5, 5), "order": (3, 3), "staff": (0, 2)}
    rectification = Rectification.objects.get()
    assert rectification.owner == clerk and rectification.status == RectificationStatus.OPEN
    # The end of the next working day: Monday 09:00 → Tuesday 23:59:59.
    assert rectification.due_at.astimezone(hall.tz).date() == dt.date(2026, 3, 3)
    assert SlaClock.objects.get(object_id=rectification.pk, name="fix").due_at == rectification.due_at
    assert Notification.objects.filter(recipient=clerk, kind="rectification_assigned").exists()
    assert list(
        TimelineEvent.objects.filter(object_id=patrol.pk, content_type__model="patrol").values_list("action", flat=True)
    ) == ["start", "check", "check", "check", "finish"]
    [day] = selectors.daily_scores(hall, dt.date(2026, 3, 2), dt.date(2026, 3, 2))
    assert (day["date"], day["patrols"], day["score"], day["max_score"]) == (dt.date(2026, 3, 2), 1, 8, 10)


def test_every_item_is_marked_before_the_patrol_finishes(hall, template, items, duty):
    patrol = services.patrol_start(hall=hall, template=template, actor=duty)
    services.patrol_check(patrol=patrol, item=items["地面整洁"], result="pass", actor=duty)
    with pytest.raises(ApplicationError, match="排队有序"):
        services.patrol_finish(patrol=patrol, actor=duty)


def test_a_clerk_may_not_patrol_and_a_finished_patrol_is_not_changed(hall, template, items, duty, clerk):
    with pytest.raises(NotPermitted):
        services.patrol_start(hall=hall, template=template, actor=clerk)
    patrol = services.patrol_start(hall=hall, template=template, actor=duty)
    walk(patrol, items, duty)
    services.patrol_finish(patrol=patrol, actor=duty)
    with pytest.raises(ApplicationError):
        services.patrol_check(patrol=patrol, item=items["地面整洁"], result="fail", actor=duty)


def test_a_photo_is_checked_by_its_content_and_the_person_must_be_hall_staff(
    hall, template, items, duty, worker, north_clerk
):
    patrol = services.patrol_start(hall=hall, template=template, actor=duty)
    with pytest.raises(ValidationError):
        services.patrol_check(
            patrol=patrol, item=items["地面整洁"], result="fail", photo=upload("x.jpg", PDF), actor=duty
        )
    for outsider in (worker, north_clerk):
        with pytest.raises(ApplicationError):
            services.patrol_check(patrol=patrol, item=items["佩戴工牌"], result="fail", staff=outsider, actor=duty)
    assert not patrol.checks.exists()


def test_without_a_person_the_patrol_chores_a_owns_it_and_the_duty_is_marked_done(
    hall, template, items, duty, manager, clock
):
    chore = staff_services.chore_create(hall=hall, name="巡场 10:00", a=duty, b=manager, schedule="daily 10:00")
    staff_services.duties_generate(hall=hall, date=dt.date(2026, 3, 2))
    walker = UserFactory(hall=hall, username="duty3", roles=["duty_manager"])
    patrol = services.patrol_start(hall=hall, template=template, actor=walker)
    walk(patrol, items, walker, failed={"地面整洁"})
    clock.shift(dt.timedelta(minutes=40))  # 09:40: counts for the 10:00 patrol
    services.patrol_finish(patrol=patrol, actor=walker)

    duty_row = Duty.objects.get(chore=chore)
    assert duty_row.status == DutyStatus.DONE and duty_row.done_by == walker
    assert Rectification.objects.get().owner == duty


def test_a_patrol_long_before_the_patrol_time_leaves_the_duty_open(hall, template, items, duty, manager, clock):
    chore = staff_services.chore_create(hall=hall, name="巡场 15:00", a=duty, b=manager, schedule="daily 15:00")
    staff_services.duties_generate(hall=hall, date=dt.date(2026, 3, 2))
    patrol = services.patrol_start(hall=hall, template=template, actor=duty)
    walk(patrol, items, duty)
    services.patrol_finish(patrol=patrol, actor=duty)
    assert Duty.objects.get(chore=chore).status == DutyStatus.OPEN


def test_a_fix_is_done_then_rejected_reopening_it_on_a_new_clock_then_accepted(
    hall, template, items, duty, clerk, clock
):
    patrol = services.patrol_start(hall=hall, template=template, actor=duty)
    walk(patrol, items, duty, failed={"佩戴工牌"}, staff=clerk)
    services.patrol_finish(patrol=patrol, actor=duty)
    rectification = Rectification.objects.get()
    first_due = rectification.due_at

    with pytest.raises(NotPermitted):
        services.rectification_verify(rectification=rectification, accept=True, actor=clerk)
    rectification = services.rectification_done(rectification=rectification, note="已佩戴", photo=upload(), actor=clerk)
    assert rectification.status == RectificationStatus.DONE
    assert not SlaClock.objects.filter(object_id=rectification.pk, name="fix", stopped_at__isnull=True).exists()
    with pytest.raises(NotPermitted):
        services.rectification_verify(rectification=rectification, accept=True, actor=clerk)

    clock.shift(dt.timedelta(days=1))
    rectification = services.rectification_verify(rectification=rectification, accept=False, note="仍未戴", actor=duty)
    assert rectification.status == RectificationStatus.OPEN and rectification.reopened == 1
    running = SlaClock.objects.get(object_id=rectification.pk, name="fix", stopped_at__isnull=True)
    assert running.due_at > first_due and rectification.due_at == running.due_at
    assert Notification.objects.filter(recipient=clerk, kind="rectification_reopened").exists()

    rectification = services.rectification_done(rectification=rectification, note="已整改", actor=clerk)
    rectification = services.rectification_verify(rectification=rectification, accept=True, actor=duty)
    assert rectification.status == RectificationStatus.VERIFIED and rectification.verified_by == duty
    actions = TimelineEvent.objects.filter(object_id=rectification.pk, content_type__model="rectification")
    assert list(actions.values_list("action", flat=True)) == ["open", "done", "reject", "done", "accept"]


def test_an_item_failed_in_two_patrols_within_14_days_is_flagged(hall, template, items, duty, clock):
    first = services.patrol_start(hall=hall, template=template, actor=duty)
    walk(first, items, duty, failed={"地面整洁"})
    services.patrol_finish(patrol=first, actor=duty)
    assert selectors.repeated_items(first) == set()

    clock.shift(dt.timedelta(days=3))
    second = services.patrol_start(hall=hall, template=template, actor=duty)
    walk(second, items, duty, failed={"地面整洁", "排队有序"})
    assert selectors.repeated_items(second) == {items["地面整洁"].pk}

    clock.shift(dt.timedelta(days=20))
    third = services.patrol_start(hall=hall, template=template, actor=duty)
    walk(third, items, duty, failed={"地面整洁"})
    assert selectors.repeated_items(third) == set()


def test_patrol_failed_facts_name_the_person_with_the_record(hall, template, items, duty, clerk, clock):
    patrol = services.patrol_start(hall=hall, template=template, actor=duty)
    walk(patrol, items, duty, failed={"佩戴工牌"}, staff=clerk)
    services.patrol_finish(patrol=patrol, actor=duty)
    unnamed = services.patrol_start(hall=hall, template=template, actor=duty)
    walk(unnamed, items, duty, failed={"地面整洁"})
    services.patrol_finish(patrol=unnamed, actor=duty)

    facts = list(SOURCES["patrol_failed"].facts(hall, dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
    assert len(facts) == 1
    fact = facts[0]
    assert (fact.staff_id, fact.source, fact.note) == (clerk.pk, "patrol_failed", "见照片")
    assert fact.record == "巡场 03-02 09:00：佩戴工牌" and fact.link == f"/patrol/{patrol.pk}/"
    assert SOURCES["patrol_failed"].kind == "deduction"
    assert list(SOURCES["patrol_failed"].facts(hall, dt.date(2026, 4, 1), dt.date(2026, 4, 30))) == []


def test_only_the_hall_manager_makes_templates(hall, duty):
    with pytest.raises(NotPermitted):
        services.template_create(hall=hall, name="x", items=[{"category": "order", "text": "t"}], actor=duty)
