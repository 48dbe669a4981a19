"""Duty reasons and handover open items are stored as codes and read in each reader's language."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from hall.models import Role
from staff import handover_services, roster_services, services
from staff.ical import calendar_for
from staff.models import Duty, Handover
from tests.factories import person

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)  # the clock fixture's day


@pytest.fixture
def people(hall):
    return {
        "manager": person(hall, "manager", Role.HALL_MANAGER, name="manager"),
        "a": person(hall, "anna", name="anna"),
        "b": person(hall, "bert", name="bert"),
    }


@pytest.fixture
def covered(clock, hall, people):
    """Today's duty, covered by B while A is on leave, generated while English was the active language."""
    services.chore_create(hall=hall, name="开启排队机", a=people["a"], b=people["b"], schedule="daily 10:00")
    with translation.override("en"):
        leave = roster_services.leave_request(staff=people["a"], start=TODAY, end=TODAY)
        roster_services.leave_approve(leave=leave, actor=people["manager"])
        [duty] = services.duties_generate(hall=hall, date=TODAY)
    return duty


def reader(person, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(person)
    return client


def test_a_reason_is_stored_as_a_code_whatever_language_generated_it(covered):
    covered.refresh_from_db()

    assert (covered.why, covered.reason) == ({"code": "covers", "a": "anna", "b": "bert", "away": "on_leave"}, "")


def test_the_reason_reads_in_the_readers_language_on_the_board_the_api_and_the_calendar(covered, people):
    board = reader(people["b"], "zh-hans").get(reverse("duty-board")).content.decode()
    [row] = reader(people["b"], "en").get("/api/duties/").json()["results"]
    with translation.override("en"):
        calendar = calendar_for(people["b"]).decode()

    assert "anna 请假，由 bert 顶岗" in board
    assert (row["reason"], row["why"]["code"]) == ("anna is on leave; bert covers", "covers")
    assert "anna is on leave\\; bert covers" in calendar


def test_a_handovers_open_items_are_stored_as_codes_and_read_in_the_readers_language(covered, hall, people):
    with translation.override("en"):
        handover = handover_services.handover_create(
            hall=hall, author=people["a"], shift_end=timezone.now(), extra_items=[{"kind": "note", "label": "钥匙"}]
        )

    assert Handover.objects.get().open_items == [
        {"kind": "duty", "chore": "开启排队机"},
        {"kind": "note", "label": "钥匙"},
    ]
    page = reader(people["b"], "zh-hans").get(reverse("handover-list")).content.decode()
    assert "事项未完成：开启排队机" in page
    items = reader(people["b"], "en").get(f"/api/handovers/{handover.pk}/").json()["open_items"]
    assert [item["label"] for item in items] == ["Duty not done: 开启排队机", "钥匙"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_maps_stored_english_and_chinese_texts_back_to_codes_and_keeps_the_rest(covered, people):
    handover = handover_services.handover_create(hall=covered.hall, author=people["a"], shift_end=timezone.now())
    stored = {
        "anna is on leave; bert covers": {"code": "covers", "a": "anna", "b": "bert", "away": "on_leave"},
        "anna 未排班，由 bert 顶岗": {"code": "covers", "a": "anna", "b": "bert", "away": "not_rostered"},
        "anna 和 bert 均不在岗": {"code": "both_away", "a": "anna", "b": "bert"},
        "我自己写的": {},
    }
    items = [
        {"kind": "tickets", "label": "3 waiting for A"},
        {"kind": "repair", "label": "报修工单 R20260302-001 已超时", "link": "/repairs/1/"},
        {"kind": "duty", "label": "Duty not done: 开启排队机"},
        {"kind": "note", "label": "Repair R1 overdue"},
    ]
    executor = MigrationExecutor(connection)
    executor.migrate([("staff", "0002_leave_cancelled")])
    old = executor.loader.project_state([("staff", "0002_leave_cancelled")]).apps
    assert old.get_model("staff", "Duty").objects.get(pk=covered.pk).reason == "anna 请假，由 bert 顶岗"
    duties = []
    for text in stored:
        duty = old.get_model("staff", "Duty").objects.get(pk=covered.pk)
        duty.pk, duty.date, duty.reason = None, TODAY + dt.timedelta(days=len(duties) + 1), text
        duty.save()
        duties.append(duty.pk)
    old.get_model("staff", "Handover").objects.filter(pk=handover.pk).update(open_items=items)

    call_command("migrate", "staff", verbosity=0)

    assert [(duty.why, duty.reason) for duty in Duty.objects.filter(pk__in=duties).order_by("date")] == [
        (why, "" if why else text) for text, why in stored.items()
    ]
    assert Handover.objects.get().open_items == [
        {"kind": "tickets", "count": 3, "code": "A"},
        {"kind": "repair", "number": "R20260302-001", "link": "/repairs/1/"},
        {"kind": "duty", "chore": "开启排队机"},
        {"kind": "note", "label": "Repair R1 overdue"},
    ]
