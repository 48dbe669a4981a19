"""A complaint's missed promise climbs: its owner is warned, then the duty manager hears of the breach, then
the hall manager; each (clock, level) once, however many sweeps run, and the floor view shows it."""

import datetime as dt
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.db.models import Count
from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from hall import sla
from hall.models import Notification, SlaClock, SlaLevel
from tests.factories import accept_complaint
from tests.notifications import written
from tests.threads import run_threads

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SECOND = dt.timedelta(seconds=1)


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


ACCEPTED = at(2026, 11, 20, 18, 30)  # a Friday evening; the first contact is due at 20:30
HALF, THREE_QUARTERS, DEADLINE, ESCALATION = (
    at(2026, 11, 20, 19, 30),
    at(2026, 11, 20, 20, 0),
    at(2026, 11, 20, 20, 30),
    at(2026, 11, 20, 22, 30),
)


@pytest.fixture
def travel():
    with time_machine.travel(ACCEPTED, tick=False) as traveller:
        yield traveller.move_to


@pytest.fixture
def people(clerk, duty, manager):
    return {"clerk": clerk, "duty": duty, "manager": manager}


@pytest.fixture
def complaint(travel, hall, people):
    """Taken by the clerk at the counter, who owns it."""
    return accept_complaint(hall, actor=people["clerk"])


def sweep_at(travel, moment):
    travel(moment)
    return sla.sla_sweep()


def first_contact(complaint):
    return SlaClock.objects.get(object_id=complaint.pk, content_type__model="complaint", name="first_contact")


# Up the ladder, each level just before, at and just after its moment


@pytest.mark.django_db
def test_the_owner_is_warned_in_the_app_at_half_the_first_contact_window(travel, complaint):
    assert sweep_at(travel, HALF - SECOND) == 0
    assert sweep_at(travel, HALF) == 1
    assert sweep_at(travel, HALF + SECOND) == 0

    assert written() == {("sla_warned_half", "clerk1", "in_app"): 1}
    assert (first_contact(complaint).level, first_contact(complaint).next_level_at) == (
        SlaLevel.WARNED_HALF,
        THREE_QUARTERS,
    )


@pytest.mark.django_db
def test_the_owner_is_warned_again_at_three_quarters(travel, complaint):
    sweep_at(travel, HALF)

    assert sweep_at(travel, THREE_QUARTERS - SECOND) == 0
    assert sweep_at(travel, THREE_QUARTERS) == 1
    assert sweep_at(travel, THREE_QUARTERS + SECOND) == 0

    assert written() == {
        ("sla_warned_half", "clerk1", "in_app"): 1,
        ("sla_warned_three_quarters", "clerk1", "in_app"): 1,
    }


@pytest.mark.django_db
def test_a_breach_tells_the_owner_and_the_duty_manager_in_the_app_and_by_sms(travel, complaint):
    sweep_at(travel, THREE_QUARTERS)

    assert sweep_at(travel, DEADLINE - SECOND) == 0
    assert sweep_at(travel, DEADLINE) == 4
    assert sweep_at(travel, DEADLINE + SECOND) == 0

    assert written("sla_breached") == {
        ("sla_breached", "clerk1", "in_app"): 1,
        ("sla_breached", "clerk1", "sms"): 1,
        ("sla_breached", "duty", "in_app"): 1,
        ("sla_breached", "duty", "sms"): 1,
    }
    assert first_contact(complaint).next_level_at == ESCALATION


@pytest.mark.django_db
def test_the_hall_manager_hears_of_it_one_more_full_window_after_the_breach(travel, complaint):
    sweep_at(travel, DEADLINE)

    assert sweep_at(travel, ESCALATION - SECOND) == 0
    assert sweep_at(travel, ESCALATION) == 2
    assert sweep_at(travel, ESCALATION + SECOND) == 0
    assert sweep_at(travel, at(2026, 11, 21, 9, 0)) == 0

    assert written("sla_escalated") == {
        ("sla_escalated", "manager", "in_app"): 1,
        ("sla_escalated", "manager", "sms"): 1,
    }
    clock = first_contact(complaint)
    assert (clock.level, clock.next_level_at) == (SlaLevel.ESCALATED, None)


@pytest.mark.django_db
def test_the_whole_ladder_writes_each_level_to_its_people_once(travel, complaint):
    for moment in (HALF, THREE_QUARTERS, DEADLINE, ESCALATION):
        sweep_at(travel, moment)

    assert written() == {
        ("sla_warned_half", "clerk1", "in_app"): 1,
        ("sla_warned_three_quarters", "clerk1", "in_app"): 1,
        ("sla_breached", "clerk1", "in_app"): 1,
        ("sla_breached", "clerk1", "sms"): 1,
        ("sla_breached", "duty", "in_app"): 1,
        ("sla_breached", "duty", "sms"): 1,
        ("sla_escalated", "manager", "in_app"): 1,
        ("sla_escalated", "manager", "sms"): 1,
    }
    assert Notification.objects.filter(kind__startswith="sla_").exclude(hall_id=complaint.hall_id).count() == 0


@pytest.mark.django_db
def test_a_reminder_names_the_complaint_and_its_deadline_in_hall_time_and_links_to_it(travel, complaint):
    sweep_at(travel, HALF)

    reminder = Notification.objects.get(kind="sla_warned_half")
    assert complaint.number in reminder.subject
    assert "11月20日 20:30" in reminder.subject
    assert reminder.link == reverse("complaint-detail", args=[complaint.pk])


@pytest.mark.django_db
def test_a_sweep_that_was_down_sends_only_the_highest_level_reached(travel, complaint):
    assert sweep_at(travel, at(2026, 11, 20, 20, 45)) == 4

    assert set(written()) == {
        ("sla_breached", "clerk1", "in_app"),
        ("sla_breached", "clerk1", "sms"),
        ("sla_breached", "duty", "in_app"),
        ("sla_breached", "duty", "sms"),
    }


# Whose complaint it is


@pytest.mark.django_db
def test_a_complaint_handed_over_warns_its_new_owner(travel, complaint, people, handler):
    sweep_at(travel, HALF)
    travel(at(2026, 11, 20, 19, 45))
    services.complaint_hand_over(complaint=complaint, to=handler, reason="转专员", actor=people["clerk"])

    sweep_at(travel, THREE_QUARTERS)
    sweep_at(travel, DEADLINE)

    assert written() == {
        ("sla_warned_half", "clerk1", "in_app"): 1,
        ("sla_warned_three_quarters", "handler1", "in_app"): 1,
        ("sla_breached", "handler1", "in_app"): 1,
        ("sla_breached", "handler1", "sms"): 1,
        ("sla_breached", "duty", "in_app"): 1,
        ("sla_breached", "duty", "sms"): 1,
    }


@pytest.mark.django_db
def test_a_complaint_from_the_web_form_is_owned_and_warned_to_the_duty_manager(travel, hall, people):
    complaint = accept_complaint(hall, channel="web")

    sweep_at(travel, HALF)

    assert Complaint.objects.get(pk=complaint.pk).owner == people["duty"]
    assert written() == {("sla_warned_half", "duty", "in_app"): 1}


@pytest.mark.django_db
def test_a_first_contact_after_the_warning_stops_the_climb(travel, complaint, people):
    sweep_at(travel, HALF)
    travel(at(2026, 11, 20, 19, 50))
    services.complaint_investigate(complaint=complaint, note="已联系客户", actor=people["clerk"])

    for moment in (THREE_QUARTERS, DEADLINE, ESCALATION):
        assert sweep_at(travel, moment) == 0

    assert written() == {("sla_warned_half", "clerk1", "in_app"): 1}
    assert first_contact(complaint).level == SlaLevel.WARNED_HALF


@pytest.mark.django_db
def test_the_progress_promise_breaches_at_the_last_second_of_its_third_working_day(travel, complaint, people):
    travel(at(2026, 11, 20, 18, 45))
    services.complaint_investigate(complaint=complaint, note="已联系客户", actor=people["clerk"])
    sweep_at(travel, at(2026, 11, 25, 12, 0))  # past three quarters of the progress window

    assert sweep_at(travel, at(2026, 11, 25, 23, 59, 58)) == 0
    assert sweep_at(travel, at(2026, 11, 25, 23, 59, 59)) == 4
    assert sweep_at(travel, at(2026, 11, 26, 0, 0)) == 0

    assert written("sla_breached") == {
        ("sla_breached", "clerk1", "in_app"): 1,
        ("sla_breached", "clerk1", "sms"): 1,
        ("sla_breached", "duty", "in_app"): 1,
        ("sla_breached", "duty", "sms"): 1,
    }


# The floor view


@pytest.mark.django_db
def test_a_breached_complaint_is_on_the_duty_managers_floor_view(travel, client_as, complaint, people):
    sweep_at(travel, DEADLINE + dt.timedelta(minutes=5))

    response = client_as(people["duty"]).get(reverse("floor-live"))

    assert response.status_code == 200
    (clock,) = response.context["attention"]
    assert complaint.number in clock.what
    assert clock.name == "first_contact"
    assert clock.state == "overdue"
    assert clock.responsible == people["clerk"]
    html = response.content.decode()
    assert clock.what in html
    assert reverse("complaint-detail", args=[complaint.pk]) in html
    assert "sla-overdue" in html


@pytest.mark.django_db
def test_a_complaint_past_three_quarters_is_at_risk_on_the_floor_view_and_gone_once_contacted(
    travel, client_as, complaint, people
):
    client = client_as(people["duty"])
    sweep_at(travel, THREE_QUARTERS)

    at_risk = client.get(reverse("floor-live")).context["attention"]
    services.complaint_investigate(complaint=complaint, note="已联系客户", actor=people["clerk"])
    after = client.get(reverse("floor-live")).context["attention"]

    assert [(clock.name, clock.state) for clock in at_risk] == [("first_contact", "at_risk")]
    assert after == []


# Exactly once with several sweeps


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_write_each_level_of_each_clock_once(hall, clerk, duty, manager, sent):
    """200 complaints taken 0, 30 and 60 minutes apart: when two sweeps run at once two hours in, a third of
    the first contacts are breached, a third at 75 % and a third at 50 %; two hours later, the rest breach
    and the first third escalates."""
    start = at(2026, 11, 23, 9, 0)
    groups = {0: 67, 30: 67, 60: 66}
    for minutes, count in groups.items():
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            for n in range(count):
                accept_complaint(hall, actor=clerk, phone=f"139{minutes:02d}{n:06d}")
    assert SlaClock.objects.filter(name="first_contact", stopped_at__isnull=True).count() == 200

    def sweep_twice_at_once(now):
        results = []
        errors = run_threads(2, lambda _: results.append(sla.sla_sweep(now=now, batch=20)))
        assert errors == []
        assert len(results) == 2
        return sum(results)

    first = sweep_twice_at_once(start + dt.timedelta(hours=2))
    levels_then = Counter(SlaClock.objects.filter(name="first_contact").values_list("level", flat=True))
    second = sweep_twice_at_once(start + dt.timedelta(hours=4))

    assert levels_then == {SlaLevel.BREACHED: 67, SlaLevel.WARNED_THREE_QUARTERS: 67, SlaLevel.WARNED_HALF: 66}
    assert first == 67 * 4 + 67 + 66
    assert second == 67 * 2 + 67 * 4 + 66 * 4
    assert Counter(SlaClock.objects.filter(name="first_contact").values_list("level", flat=True)) == {
        SlaLevel.ESCALATED: 67,
        SlaLevel.BREACHED: 133,
    }
    # Each complaint has one due clock here, so its link and the kind name one (clock, level).
    per_key = Notification.objects.values("link", "kind", "recipient", "channel").annotate(n=Count("id"))
    assert {row["n"] for row in per_key} == {1}
    assert dict(Counter(Notification.objects.values_list("kind", flat=True))) == {
        "sla_warned_half": 66,
        "sla_warned_three_quarters": 67,
        "sla_breached": 200 * 4,
        "sla_escalated": 67 * 2,
    }
    assert Notification.objects.count() == first + second
    assert not SlaClock.objects.filter(stopped_at__isnull=True).exclude(name="first_contact").exclude(level=0).exists()
    # The after-commit delivery ran in both threads: each SMS went out once.
    sms = set(Notification.objects.filter(channel="sms").values_list("pk", flat=True))
    assert sorted(sent) == sorted(sms)
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
