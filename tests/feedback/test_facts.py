"""The assessment facts of this app: praise (a bonus) and failed mystery-visit items naming a person (a deduction,
only with evidence), each with the link to its record; nothing else."""

import datetime as dt

import pytest
from django.utils import timezone

from assessments.facts import BONUS, DEDUCTION, SOURCES
from feedback import services
from tests.feedback.helpers import make_template
from tests.files import PNG, upload

pytestmark = pytest.mark.django_db


def record_visit(hall, manager, items, results, evidence=(), at=None):
    return services.mystery_visit_record(
        hall=hall,
        template=items[0].template,
        visited_at=at or timezone.now() - dt.timedelta(hours=1),
        visitor="某测评公司",
        results=results,
        evidence=evidence,
        actor=manager,
    )


def facts(name, hall, day):
    return list(SOURCES[name].facts(hall, day.replace(day=1), day))


def test_the_sources_are_registered_with_their_kinds():
    assert SOURCES["praise"].kind == BONUS
    assert SOURCES["mystery_failed"].kind == DEDUCTION


def test_praise_yields_one_bonus_per_praise_of_the_month_linked_to_it(clock, hall, clerk, duty, client_as, manager):
    praise = services.feedback_receive(
        hall=hall, kind="praise", customer_name="陈阿姨", phone="13800003333", text="很耐心", staff=clerk
    )
    services.feedback_receive(hall=hall, kind="suggestion", customer_name="王女士", phone="13800001111", text="椅子")

    (fact,) = facts("praise", hall, hall.today())

    assert (fact.staff_id, fact.source, fact.link, fact.at, fact.amount) == (
        clerk.pk,
        "praise",
        praise.get_absolute_url(),
        praise.created_at,
        1,
    )
    assert "陈阿姨" in fact.record and fact.note == "很耐心"
    assert "很耐心" in client_as(manager).get(fact.link).content.decode()
    next_month = (hall.today().replace(day=1) + dt.timedelta(days=40)).replace(day=1)
    assert facts("praise", hall, next_month) == []


def test_failed_items_count_only_for_visits_with_evidence_and_a_named_person(clock, hall, manager, clerk, client_as):
    _, items = make_template(hall)
    with_evidence = record_visit(
        hall,
        manager,
        items,
        [
            {"item": items[0], "result": "fail", "note": "地面有水"},  # nobody named: the hall's, not a person's
            {"item": items[1], "result": "fail", "note": "无工牌", "staff": clerk},
        ],
        [upload("a.png", PNG, "image/png")],
    )
    record_visit(hall, manager, items, [{"item": items[1], "result": "fail", "note": "无工牌", "staff": clerk}])
    record_visit(
        hall,
        manager,
        items,
        [{"item": items[1], "result": "pass", "note": "", "staff": clerk}],
        [upload("b.png", PNG, "image/png")],
    )

    (fact,) = facts("mystery_failed", hall, hall.today())

    assert (fact.staff_id, fact.source, fact.link, fact.at, fact.note) == (
        clerk.pk,
        "mystery_failed",
        with_evidence.get_absolute_url(),
        with_evidence.visited_at,
        "无工牌",
    )
    assert "佩戴工牌" in fact.record and "某测评公司" in fact.record
    page = client_as(manager).get(fact.link).content.decode()
    assert "佩戴工牌" in page and "无工牌" in page
