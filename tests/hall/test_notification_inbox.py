"""What a person reads: texts in their language, one line per SLA clock, the unread count and marking read."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import translation

from hall import sla
from hall.models import Notification, Role
from hall.notifications import (
    deliver_pending,
    details,
    headline,
    notification_mark_all_read,
    notification_mark_read,
    notify,
)
from hall.selectors import notification_lines, unread_notification_count
from tests.factories import UserFactory, register_repair

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SENT_TEXTS = []


class TextRecordingBackend:
    def send(self, notification):
        SENT_TEXTS.append((notification.subject, notification.body))


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def escalate(clock, hall, clerk, *moments):
    """An urgency-2 order registered at the clock's moment (09:00, due 13:00), swept at each moment."""
    repair = register_repair(hall, actor=clerk, urgency=2)
    for moment in moments:
        clock.move_to(moment)
        sla.sla_sweep()
    return repair


@pytest.fixture
def escalated(clock, hall, clerk, duty):
    """Half, three quarters and the deadline of one order reached: three reminders to the duty manager."""
    return escalate(clock, hall, clerk, at(2026, 3, 2, 11, 0), at(2026, 3, 2, 12, 0), at(2026, 3, 2, 13, 0))


def test_it_stores_a_code_and_its_params_and_the_text_in_the_halls_language(hall, clerk):
    with translation.override("en"):
        [row] = notify(recipients=[clerk], hall_id=hall.pk, kind="repair_reopened", params={"number": "BX001"})

    row.refresh_from_db()
    assert (row.kind, row.params) == ("repair_reopened", {"number": "BX001"})
    assert row.subject == "报修工单 BX001 已退回重办：客户不满意"


def test_it_shows_the_text_in_the_readers_language(hall, clerk):
    [row] = notify(recipients=[clerk], hall_id=hall.pk, kind="complaint_reopened", params={"number": "TS9"})

    with translation.override("en"):
        assert headline(row) == "Complaint TS9 is reopened"
    with translation.override("zh-hans"):
        assert headline(row) == "投诉 TS9 已退回重办"


def test_a_time_reads_as_month_day_and_hour_in_the_readers_language(hall, worker):
    params = {"number": "BX7", "address": "人民路 1 号", "due_at": at(2026, 3, 2, 13, 0)}
    [row] = notify(recipients=[worker], hall_id=hall.pk, kind="repair_dispatched", params=params)
    row.refresh_from_db()

    with translation.override("en"):
        assert headline(row) == "Repair BX7 at 人民路 1 号 is yours: be on site by Mar 2, 13:00"
    with translation.override("zh-hans"):
        assert headline(row) == "报修工单 BX7（人民路 1 号）已派给您，请于 3月2日 13:00 前到达现场"


def test_a_fixed_body_is_shown_in_the_readers_language_and_a_written_note_as_written(hall, clerk):
    [feed] = notify(recipients=[clerk], hall_id=hall.pk, kind="calendar_feed_rotated")
    [reopened] = notify(
        recipients=[clerk], hall_id=hall.pk, kind="repair_reopened", params={"number": "BX1"}, body="灯还是不亮"
    )

    with translation.override("en"):
        assert details(feed).startswith("The old address no longer works.")
        assert details(reopened) == "灯还是不亮"


def test_a_row_written_before_texts_had_params_shows_its_stored_subject(hall, clerk):
    old = Notification.objects.create(
        hall=hall, recipient=clerk, kind="sla_escalated", subject="超时已超过一个完整时限仍未处理：旧", body="旧正文"
    )

    with translation.override("en"):
        assert (headline(old), details(old)) == ("超时已超过一个完整时限仍未处理：旧", "旧正文")


def test_sms_is_sent_in_the_halls_language_whatever_language_is_active(hall, clerk, settings):
    settings.NOTIFICATION_BACKENDS = {"sms": f"{__name__}.TextRecordingBackend"}
    SENT_TEXTS.clear()
    notify(recipients=[clerk], hall_id=hall.pk, kind="ticket_transferred", params={"number": "A003"}, channels=["sms"])

    with translation.override("en"):
        assert deliver_pending() == 1

    assert SENT_TEXTS == [("A003 号已转给您", "")]


def test_sla_reminders_name_the_level_the_record_and_the_deadline_readably(escalated, duty):
    breach = Notification.objects.get(recipient=duty, kind="sla_breached", channel="in_app")

    assert breach.params == {
        "what": {"msgid": "Repair %(number)s: on site", "params": {"number": escalated.number}},
        "due_at": "2026-03-02T13:00:00+08:00",
    }
    with translation.override("zh-hans"):
        assert headline(breach) == f"已超时：报修工单 {escalated.number}：到达现场，应于 3月2日 13:00 前完成"
    with translation.override("en"):
        assert headline(breach).startswith("Overdue: ")
        assert headline(breach).endswith("was due by Mar 2, 13:00")


def test_the_reminders_of_one_clock_are_one_line_with_the_latest_level(escalated, duty):
    [line] = notification_lines(duty)

    assert line.kind == "sla_breached"
    assert [row.kind for row in line.folded] == ["sla_warned_three_quarters", "sla_warned_half"]
    assert unread_notification_count(duty) == 1


def test_each_clock_and_each_other_notification_is_its_own_line_newest_first(clock, escalated, hall, clerk, duty):
    clock.move_to(at(2026, 3, 2, 13, 5))
    notify(recipients=[duty], hall_id=hall.pk, kind="complaint_received", params={"number": "TS1"})
    clock.move_to(at(2026, 3, 2, 13, 10))
    notify(recipients=[duty], hall_id=hall.pk, kind="complaint_received", params={"number": "TS2"})
    clock.move_to(at(2026, 3, 2, 13, 20))
    other = register_repair(hall, actor=clerk, urgency=2)
    clock.move_to(at(2026, 3, 2, 15, 20))
    sla.sla_sweep()

    lines = notification_lines(duty)

    assert [(line.kind, line.params.get("number")) for line in lines] == [
        ("sla_warned_half", None),
        ("complaint_received", "TS2"),
        ("complaint_received", "TS1"),
        ("sla_breached", None),
    ]
    assert lines[0].params["what"]["params"]["number"] == other.number
    assert unread_notification_count(duty) == 4


def test_reading_the_line_reads_the_reminders_folded_under_it(escalated, duty):
    [line] = notification_lines(duty)

    notification_mark_read(notification=line)

    assert not Notification.objects.filter(recipient=duty, channel="in_app", read_at=None).exists()
    assert unread_notification_count(duty) == 0


def test_a_new_level_after_reading_makes_the_line_unread_again(clock, escalated, duty):
    notification_mark_read(notification=notification_lines(duty)[0])
    clock.move_to(at(2026, 3, 2, 17, 0))
    sla.sla_sweep()  # one more window: escalated

    [line] = notification_lines(duty)
    assert (line.kind, line.read_at) == ("sla_escalated", None)
    assert len(line.folded) == 3
    assert unread_notification_count(duty) == 1
    assert [line.pk for line in notification_lines(duty, unread=True)] == [line.pk]


def test_the_unread_filter_leaves_out_the_lines_read(hall, clerk):
    first, second = (
        notify(recipients=[clerk], hall_id=hall.pk, kind="complaint_received", params={"number": n})[0]
        for n in ("TS1", "TS2")
    )
    notification_mark_read(notification=first)

    assert [line.pk for line in notification_lines(clerk, unread=True)] == [second.pk]
    assert {line.pk for line in notification_lines(clerk)} == {first.pk, second.pk}


def test_mark_all_read_reads_all_mine_and_nobody_elses(escalated, hall, duty, clerk):
    notify(recipients=[duty, clerk], hall_id=hall.pk, kind="complaint_received", params={"number": "TS1"})

    assert notification_mark_all_read(recipient=duty) == 4

    assert unread_notification_count(duty) == 0
    assert unread_notification_count(clerk) == 1
    assert not Notification.objects.filter(recipient=duty, channel="in_app", read_at=None).exists()


def test_the_unread_count_is_one_query(escalated, duty, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert unread_notification_count(duty) == 1


def test_sms_rows_are_neither_lines_nor_counted(escalated, duty):
    assert Notification.objects.filter(recipient=duty, channel="sms").exists()
    assert all(line.channel == "in_app" for line in notification_lines(duty))
    assert unread_notification_count(UserFactory(hall=duty.hall, roles=[Role.CLERK])) == 0
