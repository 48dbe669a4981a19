"""A duty has one time, 08:00; its grace period until 08:30, when the duty manager is told, is said beside it on the
duty board, the floor and in the reminders, all from the one grace rule of hall.sla."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from hall import sla
from hall.models import Notification
from repairs import services as repair_services
from staff import services
from tests.factories import register_repair

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 3, 3)  # a Tuesday
GRACE = "，08:30 未完成将提醒"


def at(hour, minute=0):
    return dt.datetime.combine(DAY, dt.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def traveller():
    with time_machine.travel(at(7), tick=False) as traveller:
        yield traveller


@pytest.fixture
def duty(traveller, hall, people):
    services.chore_create(hall=hall, name="开启排队叫号系统", a=people["a"], b=people["b"], schedule="daily 08:00")
    [duty] = services.duties_generate(hall=hall, date=DAY)
    return duty


def page(client_as, user, name, **query):
    response = client_as(user).get(reverse(name), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_duty_board_shows_the_duty_time_and_when_its_reminders_come(client_as, people, duty):
    html = page(client_as, people["a"], "duty-board", date=f"{DAY}")

    assert f'>08:00</time><span class="muted small duty-grace">{GRACE}</span>' in html


def test_the_duty_board_says_nothing_of_reminders_once_the_duty_is_done(traveller, client_as, people, duty):
    traveller.move_to(at(8, 5))
    services.duty_complete(duty=duty, actor=people["a"])

    html = page(client_as, people["a"], "duty-board", date=f"{DAY}")

    assert ">08:00</time>" in html
    assert "未完成将提醒" not in html


def test_the_floor_shows_an_overdue_duty_at_its_time_with_the_grace_beside_it(traveller, client_as, people, duty):
    traveller.move_to(at(8, 31))

    html = page(client_as, people["duty"], "floor-live")

    assert f'03-03 08:00<span class="muted small clock-grace">{GRACE}</span>' in html
    assert "03-03 08:30" not in html


def test_the_floor_shows_other_promises_at_their_deadline_without_a_grace(traveller, client_as, hall, people):
    repair = register_repair(hall, actor=people["a"])
    clock = sla.clocks_of(repair).get(name=repair_services.RESPOND)
    traveller.move_to(clock.due_at + dt.timedelta(minutes=1))

    html = page(client_as, people["duty"], "floor-live")

    assert f"{clock.due_at.astimezone(SHANGHAI):%m-%d %H:%M}</td>" in html
    assert "未完成将提醒" not in html


@pytest.mark.parametrize("moment", [(8, 15), (8, 23), (8, 30), (9, 0)])
def test_every_reminder_names_the_duty_time_and_the_end_of_its_grace(traveller, duty, moment):
    traveller.move_to(at(*moment))
    sla.sla_sweep()

    subjects = set(Notification.objects.filter(kind__startswith="sla_").values_list("subject", flat=True))
    assert subjects
    for subject in subjects:
        assert "3月3日 08:00" in subject
        assert "08:30" in subject
        assert "应于 3月3日 08:30" not in subject


def test_a_reminder_before_the_grace_ends_says_the_duty_manager_is_told_then(traveller, duty):
    traveller.move_to(at(8, 15))
    with translation.override("zh-hans"):
        sla.sla_sweep()

    [subject] = Notification.objects.filter(kind="sla_warned_half").values_list("subject", flat=True)
    assert (
        subject == "尚未完成：03-03 的事项「开启排队叫号系统」（应于 3月3日 08:00 完成，08:30 仍未完成将通知值班经理）"
    )
