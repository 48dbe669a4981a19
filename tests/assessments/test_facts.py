"""Each fact source the assessment reads from the existing apps, with records made through the real services."""

import datetime as dt

import pytest

from assessments import selectors
from assessments.facts import SOURCES
from complaints import services as complaint_services
from hall.errors import ApplicationError
from staff import roster_services
from staff import services as staff_services
from tests.assessments.conftest import NOV, at
from tests.factories import CounterFactory, accept_complaint, issue
from tickets import services as ticket_services

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 10)


def rows(hall, month=NOV):
    return {row["staff"].username: row for row in selectors.sheet_rows(hall, month, selectors.sheets_of(hall, month))}


def lines(hall, username, source, month=NOV):
    row = rows(hall, month)[username]
    return [line for line in row["deductions"] + row["bonuses"] if line["source"] == source]


def test_the_sources_of_the_existing_apps_are_registered():
    for name in ("complaint_justified", "sla_breach", "duty_missed", "shift_no_show", "pad_satisfaction"):
        assert name in SOURCES
    assert SOURCES["pad_satisfaction"].kind == "bonus"
    assert SOURCES["sla_breach"].kind == "deduction"


def test_a_complaint_resolved_as_justified_against_a_person_is_their_deduction(traveller, hall, clerk, clerk2, manager):
    traveller.move_to(at(DAY, 10))
    complaint = accept_complaint(hall, actor=clerk)
    complaint_services.complaint_resolve(
        complaint=complaint,
        resolution="核实属实",
        customer_confirmed=True,
        justified=True,
        justified_against=clerk2,
        actor=clerk,
    )
    other = accept_complaint(hall, actor=clerk)
    complaint_services.complaint_resolve(
        complaint=other, resolution="不属实", customer_confirmed=True, justified=False, actor=clerk
    )

    [line] = lines(hall, "clerk2", "complaint_justified")
    assert line["points"] == 5
    assert complaint.number in line["record"]
    assert line["link"] == f"/complaints/{complaint.pk}/"
    assert lines(hall, "clerk1", "complaint_justified") == []
    assert rows(hall)["clerk2"]["score"] == 95


def test_a_complaint_is_justified_against_a_person_only_when_it_is_justified(traveller, hall, clerk, clerk2):
    complaint = accept_complaint(hall, actor=clerk)
    with pytest.raises(ApplicationError):
        complaint_services.complaint_resolve(
            complaint=complaint,
            resolution="x",
            customer_confirmed=False,
            justified=False,
            justified_against=clerk2,
            actor=clerk,
        )
    complaint.refresh_from_db()
    assert complaint.resolved_at is None


def test_a_clock_that_breached_while_the_person_was_responsible_is_their_deduction(traveller, hall, clerk):
    traveller.move_to(at(DAY, 10))
    accept_complaint(hall, actor=clerk)  # first contact due 12:00, the clerk owns it
    traveller.move_to(at(DAY, 11, 59))
    assert lines(hall, "clerk1", "sla_breach") == []

    traveller.move_to(at(DAY, 12, 30))
    [line] = lines(hall, "clerk1", "sla_breach")
    assert line["link"].startswith("/complaints/")


def test_a_clock_stopped_in_time_is_no_breach_and_one_stopped_late_is(traveller, hall, clerk, clerk2):
    traveller.move_to(at(DAY, 10))
    early = accept_complaint(hall, actor=clerk)
    late = accept_complaint(hall, actor=clerk2)
    traveller.move_to(at(DAY, 11))
    complaint_services.complaint_investigate(complaint=early, note="已联系客户", actor=clerk)
    traveller.move_to(at(DAY, 13))
    complaint_services.complaint_investigate(complaint=late, note="已联系客户", actor=clerk2)
    traveller.move_to(at(DAY, 14))

    assert lines(hall, "clerk1", "sla_breach") == []
    assert len(lines(hall, "clerk2", "sla_breach")) == 1


def test_a_duty_not_done_by_its_time_and_grace_is_its_responsible_persons_deduction(
    traveller, hall, clerk, clerk2, manager
):
    traveller.move_to(at(DAY, 7))
    staff_services.chore_create(
        hall=hall, name="开启叫号系统", a=clerk, b=clerk2, schedule="daily 08:00", actor=manager
    )
    staff_services.chore_create(hall=hall, name="检查填单台", a=clerk2, b=clerk, schedule="daily 08:00", actor=manager)
    first, second = staff_services.duties_generate(hall=hall, date=DAY)
    traveller.move_to(at(DAY, 8, 20))
    staff_services.duty_complete(duty=second, actor=clerk2)  # within the grace
    traveller.move_to(at(DAY, 8, 29))
    assert lines(hall, "clerk1", "duty_missed") == []

    traveller.move_to(at(DAY, 8, 31))
    [line] = lines(hall, "clerk1", "duty_missed")
    assert "开启叫号系统" in line["record"]
    assert line["link"].startswith("/duties/")
    assert lines(hall, "clerk2", "duty_missed") == []
    # done later still counts as missed; there is no SLA-breach line for the same duty
    staff_services.duty_complete(duty=first, actor=clerk)
    assert len(lines(hall, "clerk1", "duty_missed")) == 1
    assert lines(hall, "clerk1", "sla_breach") == []


def test_a_rostered_shift_without_any_sign_of_the_person_and_without_leave_is_a_no_show(
    traveller, hall, types, clerk, clerk2, clerk3, manager
):
    day = dt.date(2026, 11, 11)
    for someone in (clerk, clerk2, clerk3):
        roster_services.shift_create(
            hall=hall, staff=someone, date=day, start=dt.time(8), end=dt.time(17), actor=manager
        )
    leave = roster_services.leave_request(staff=clerk3, start=day, end=day, reason="病假", actor=clerk3)
    roster_services.leave_approve(leave=leave, actor=manager)
    counter = CounterFactory(hall=hall, number=1, serves=[types["A"]], status="closed")
    traveller.move_to(at(day, 8, 5))
    ticket_services.counter_open(counter=counter, actor=clerk)  # a sign: a timeline event by the clerk

    traveller.move_to(at(day, 20))
    assert lines(hall, "clerk2", "shift_no_show") == []  # the day is not over yet

    traveller.move_to(at(day + dt.timedelta(days=1), 9))
    assert lines(hall, "clerk1", "shift_no_show") == []
    assert lines(hall, "clerk3", "shift_no_show") == []
    [line] = lines(hall, "clerk2", "shift_no_show")
    assert "11-11" in line["record"]
    assert line["points"] == 5


def test_pad_satisfaction_above_the_halls_rate_is_a_bonus_in_points_above_capped(
    traveller, hall, types, clerk, clerk2, clerk3
):
    traveller.move_to(at(DAY, 9))
    scores = {clerk: 5, clerk2: 2, clerk3: 5}
    counts = {clerk: 10, clerk2: 10, clerk3: 9}  # clerk3 has too few ratings for a bonus
    for number, (someone, score) in enumerate(scores.items(), start=1):
        counter = CounterFactory(hall=hall, number=number, serves=[types["A"]], status="closed")
        ticket_services.counter_open(counter=counter, actor=someone)
        for _ in range(counts[someone]):
            issue(hall, types["A"])
            ticket = ticket_services.ticket_call_next(counter=counter, actor=someone)
            ticket_services.ticket_start(ticket=ticket, actor=someone)
            ticket_services.ticket_finish(ticket=ticket, actor=someone)
            ticket_services.ticket_rate(ticket=ticket, score=score)

    [line] = lines(hall, "clerk1", "pad_satisfaction")
    # the hall: 19 of 29 satisfied (65.5 %); clerk1 100 %: 34.5 points above × 0.5 = 17.25, capped at 5
    assert line["points"] == 5
    assert "34.5" in line["note"]
    assert lines(hall, "clerk2", "pad_satisfaction") == []
    assert lines(hall, "clerk3", "pad_satisfaction") == []
    assert rows(hall)["clerk1"]["score"] == 105


def test_a_bonus_line_cannot_be_appealed(traveller, hall, types, clerk, clerk2):
    from assessments import services

    traveller.move_to(at(DAY, 9))
    for number, (someone, score) in enumerate(((clerk, 5), (clerk2, 2)), start=1):
        counter = CounterFactory(hall=hall, number=number, serves=[types["A"]], status="closed")
        ticket_services.counter_open(counter=counter, actor=someone)
        for _ in range(10):
            issue(hall, types["A"])
            ticket = ticket_services.ticket_call_next(counter=counter, actor=someone)
            ticket_services.ticket_start(ticket=ticket, actor=someone)
            ticket_services.ticket_finish(ticket=ticket, actor=someone)
            ticket_services.ticket_rate(ticket=ticket, score=score)
    row = rows(hall)["clerk1"]
    [bonus] = row["bonuses"]

    with pytest.raises(ApplicationError):
        services.sheet_appeal(sheet=row["sheet"], line=bonus["key"], reason="多加点", actor=clerk)
