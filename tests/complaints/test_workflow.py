import datetime as dt
import zoneinfo

import pytest

from complaints import services
from complaints.models import ComplaintStatus
from hall.models import SlaClock
from tests.factories import accept_complaint

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def running(complaint):
    return {c.name for c in SlaClock.objects.filter(object_id=complaint.pk, stopped_at__isnull=True)}


def test_the_taker_owns_it_and_three_clocks_start(clock, hall, clerk):
    complaint = accept_complaint(hall, actor=clerk)

    assert complaint.owner == clerk
    assert complaint.number == "TS20260302-0001"
    assert complaint.first_contact_due == dt.datetime(2026, 3, 2, 11, 0, tzinfo=SHANGHAI)
    assert complaint.progress_due == dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=SHANGHAI)
    assert complaint.result_due == dt.datetime(2026, 3, 23, 23, 59, 59, tzinfo=SHANGHAI)
    assert running(complaint) == {"first_contact", "progress", "result"}


def test_a_loss_still_going_on_halves_the_clocks(clock, hall, clerk):
    complaint = accept_complaint(hall, actor=clerk, ongoing_loss=True)

    assert complaint.urgent
    assert complaint.first_contact_due == dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
    assert complaint.progress_due == dt.datetime(2026, 3, 4, 23, 59, 59, tzinfo=SHANGHAI)


def test_each_step_stops_its_clock_and_an_unsatisfied_follow_up_reopens(clock, hall, clerk, handler):
    complaint = accept_complaint(hall, actor=clerk)
    complaint = services.complaint_hand_over(complaint=complaint, to=handler, reason="转专员", actor=clerk)
    complaint = services.complaint_investigate(complaint=complaint, note="已联系客户", actor=handler)
    assert running(complaint) == {"progress", "result"}
    complaint = services.complaint_progress(complaint=complaint, note="正在核查抄表记录", actor=handler)
    assert running(complaint) == {"result"}
    complaint = services.complaint_resolve(
        complaint=complaint, resolution="抄表错误，已退费", customer_confirmed=True, actor=handler
    )
    assert running(complaint) == {"follow_up"}
    complaint = services.complaint_follow_up(complaint=complaint, satisfaction=2, note="不满意", actor=clerk)

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.INVESTIGATING
    assert complaint.reopen_count == 1
    assert running(complaint) == {"progress", "result"}
    assert handler.notifications.filter(kind="complaint_reopened").exists()


def test_resolving_an_incident_resolves_its_open_members(clock, hall, clerk):
    lead = accept_complaint(hall, actor=clerk, category="outage", description="3 号楼没有暖气")
    member = accept_complaint(hall, actor=clerk, phone="13700000001", group=lead)
    lead = services.complaint_investigate(complaint=lead, note="管道检修中", actor=clerk)

    services.complaint_resolve(
        complaint=lead, resolution="管道已修复", customer_confirmed=False, apply_to_group=True, actor=clerk
    )

    member.refresh_from_db()
    assert member.group == lead
    assert member.status == ComplaintStatus.RESOLVED
    assert running(member) == {"follow_up"}
