"""What a clock is about is stored as its message and params, so its reminders and the floor say it in the
reader's language, whatever language was active when the clock started."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from hall import sla, texts
from hall.models import Notification
from hall.notifications import headline
from repairs import services as repair_services
from tests.factories import accept_complaint, register_repair

pytestmark = pytest.mark.django_db


def overdue_reminders(clock):
    with time_machine.travel(clock.due_at + dt.timedelta(minutes=1), tick=False):
        sla.sla_sweep()
    return Notification.objects.filter(kind="sla_breached").order_by("pk")


def test_a_repair_clock_started_in_english_reminds_a_chinese_reader_in_chinese(hall, clerk, duty):
    with translation.override("en"):
        repair = register_repair(hall, actor=clerk)
    clock = sla.clocks_of(repair).get(name=repair_services.RESPOND)

    reminder = overdue_reminders(clock).first()

    with translation.override("zh-hans"):
        assert f"报修工单 {repair.number}：到达现场" in headline(reminder)
    with translation.override("en"):
        assert f"Repair {repair.number}: on site" in headline(reminder)


def test_a_complaint_clock_names_its_step_in_the_readers_language(hall, clerk):
    with translation.override("zh-hans"):
        complaint = accept_complaint(hall, actor=clerk)
    clock = sla.clocks_of(complaint).get(name="first_contact")

    with translation.override("en"):
        assert clock.what == f"Complaint {complaint.number}: first contact"
    with translation.override("zh-hans"):
        assert clock.what == f"投诉 {complaint.number}：首次联系"


def test_a_stored_text_that_no_longer_takes_its_params_is_shown_as_stored():
    assert texts.shown("Duty %(chore)s on %(date)s", {}) == "Duty %(chore)s on %(date)s"
    assert texts.shown("a clock of before", {"number": "1"}) == "a clock of before"
    assert texts.shown("") == ""


def test_the_floor_shows_the_clock_in_the_readers_language(client_as, hall, clerk, duty):
    with translation.override("en"):
        repair = register_repair(hall, actor=clerk)
    clock = sla.clocks_of(repair).get(name=repair_services.RESPOND)

    with time_machine.travel(clock.due_at + dt.timedelta(minutes=1), tick=False):
        html = client_as(duty).get(reverse("floor-live"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert f"报修工单 {repair.number}：到达现场" in html
