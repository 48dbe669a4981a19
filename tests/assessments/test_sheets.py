"""The monthly sheet through the services and the API: rules and caps, appeals on their clock, the close, the
workbook, who sees what, and that no free score or line can enter a sheet."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin

from assessments import services
from assessments.admin import SheetLineAdmin
from assessments.facts import SOURCES
from assessments.models import Appeal, AssessmentRule, SheetLine
from complaints import services as complaint_services
from hall.models import Notification, SlaClock, TimelineEvent
from tests.assessments.conftest import at
from tests.factories import accept_complaint

pytestmark = pytest.mark.django_db
OCT_DAY = dt.date(2026, 10, 27)  # a Tuesday
NOV_DAY = dt.date(2026, 11, 10)


def breach(traveller, hall, who, day):
    """A complaint whose 2 h first-contact clock the owner lets pass, then resolved and followed up: one
    sla_breach line."""
    traveller.move_to(at(day, 10))
    complaint = accept_complaint(hall, actor=who)
    traveller.move_to(at(day, 12, 30))
    complaint = complaint_services.complaint_resolve(
        complaint=complaint, resolution="已解决", customer_confirmed=True, actor=who
    )
    complaint_services.complaint_follow_up(complaint=complaint, satisfaction=5, actor=who)


def sheet(api, month, username, hall=None):
    query = {"month": month} | ({"hall": hall.pk} if hall else {})
    response = api.get("/api/assessments/", query)
    assert response.status_code == 200, response.content
    return next(row for row in response.json() if row["staff"]["username"] == username)


@pytest.fixture
def manager_api(api_as, manager):
    return api_as(manager)


def test_a_sheet_has_the_base_the_lines_with_their_records_and_the_score(traveller, hall, clerk, manager_api):
    breach(traveller, hall, clerk, NOV_DAY)

    row = sheet(manager_api, "2026-11", "clerk1", hall)

    assert row["base"] == 100
    [line] = row["deductions"]
    assert line["source"] == "sla_breach" and line["points"] == 1 and line["record"] and line["link"]
    assert row["bonuses"] == []
    assert row["score"] == 99
    assert row["status"] == "open"


def test_a_source_counts_at_most_its_cap_in_a_month(traveller, hall, clerk, manager):
    services.rules_set(
        hall=hall, changes=[services.RuleChange("sla_breach", Decimal(1), Decimal("1.5"))], actor=manager
    )
    breach(traveller, hall, clerk, NOV_DAY)
    breach(traveller, hall, clerk, NOV_DAY + dt.timedelta(days=1))
    breach(traveller, hall, clerk, NOV_DAY + dt.timedelta(days=2))

    from assessments import selectors

    [row] = [
        r
        for r in selectors.sheet_rows(hall, dt.date(2026, 11, 1), selectors.sheets_of(hall, dt.date(2026, 11, 1)))
        if r["staff"] == clerk
    ]
    assert [line["points"] for line in row["deductions"]] == [1, Decimal("0.5"), 0]
    assert "1.5" in row["deductions"][2]["note"]
    assert row["score"] == Decimal("98.5")


def test_an_inactive_rule_leaves_its_source_out_and_a_hall_without_rows_has_the_defaults(
    traveller, hall, clerk, manager, manager_api
):
    rules = {rule["source"]: rule for rule in manager_api.get("/api/assessments/rules/").json()}
    assert rules["base"]["points"] == 100 and rules["complaint_justified"]["points"] == 5
    breach(traveller, hall, clerk, NOV_DAY)
    response = manager_api.post(
        "/api/assessments/rules/", {"source": "sla_breach", "points": "1", "active": False}, format="json"
    )
    assert response.status_code == 200

    assert sheet(manager_api, "2026-11", "clerk1")["deductions"] == []


def test_a_rule_change_applies_to_open_months_only(traveller, hall, clerk, manager, manager_api):
    breach(traveller, hall, clerk, OCT_DAY)
    breach(traveller, hall, clerk, NOV_DAY)
    assert (
        manager_api.post("/api/assessments/close/", {"hall": hall.pk, "month": "2026-10"}, format="json").status_code
        == 201
    )

    manager_api.post("/api/assessments/rules/", {"source": "sla_breach", "points": "4"}, format="json")
    manager_api.post("/api/assessments/rules/", {"source": "base", "points": "90"}, format="json")

    october = sheet(manager_api, "2026-10", "clerk1", hall)
    assert october["status"] == "closed" and october["base"] == 100 and october["score"] == 99
    november = sheet(manager_api, "2026-11", "clerk1", hall)
    assert november["base"] == 90 and november["score"] == 86


def test_the_appeal_starts_the_managers_clock_and_an_accepted_appeal_voids_the_line(
    traveller, hall, clerk, manager, api_as, manager_api
):
    breach(traveller, hall, clerk, NOV_DAY)
    clerk_api = api_as(clerk)
    row = sheet(clerk_api, "2026-11", "clerk1")
    line = row["deductions"][0]["line"]

    response = clerk_api.post(
        f"/api/assessments/{row['id']}/appeal/", {"line": line, "reason": "客户电话打不通"}, format="json"
    )

    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get()
    clock = SlaClock.objects.get(object_id=appeal.pk, name="decide", stopped_at__isnull=True)
    assert clock.responsible == manager
    assert clock.due_at == at(dt.date(2026, 11, 13), 23, 59) + dt.timedelta(seconds=59)  # 3 working days
    assert Notification.objects.filter(recipient=manager, kind="assessment_appeal").exists()
    again = clerk_api.post(f"/api/assessments/{row['id']}/appeal/", {"line": line, "reason": "再诉"}, format="json")
    assert again.status_code == 400

    decided = manager_api.post(
        f"/api/assessments/{row['id']}/decide/", {"accept": True, "note": "核实无误"}, format="json"
    )

    assert decided.status_code == 200, decided.content
    after = decided.json()
    assert after["score"] == 100
    assert after["deductions"][0]["voided"] is True and after["deductions"][0]["decision"] == "核实无误"
    clock.refresh_from_db()
    assert clock.stopped_at is not None
    actions = list(
        TimelineEvent.objects.filter(object_id=row["id"], action__startswith="appeal").values_list("action", flat=True)
    )
    assert actions == ["appeal", "appeal_accepted"]
    assert Notification.objects.filter(recipient=clerk, kind="assessment_decided.accepted").exists()


def test_a_rejected_appeal_keeps_the_line_and_a_late_appeal_is_refused(traveller, hall, clerk, api_as, manager_api):
    breach(traveller, hall, clerk, NOV_DAY)
    clerk_api = api_as(clerk)
    row = sheet(clerk_api, "2026-11", "clerk1")
    line = row["deductions"][0]["line"]
    traveller.move_to(at(NOV_DAY + dt.timedelta(days=8), 9))  # 6 working days later

    late = clerk_api.post(f"/api/assessments/{row['id']}/appeal/", {"line": line, "reason": "迟了"}, format="json")
    assert late.status_code == 400
    assert not Appeal.objects.exists()

    traveller.move_to(at(NOV_DAY + dt.timedelta(days=6), 9))  # 4 working days later
    assert (
        clerk_api.post(
            f"/api/assessments/{row['id']}/appeal/", {"line": line, "reason": "理由"}, format="json"
        ).status_code
        == 201
    )
    rejected = manager_api.post(
        f"/api/assessments/{row['id']}/decide/", {"accept": False, "note": "属实"}, format="json"
    )
    assert rejected.json()["score"] == 99
    assert rejected.json()["appeals"][0]["status"] == "rejected"


def test_close_needs_the_month_over_and_no_open_appeal_and_then_freezes_the_sheets(
    traveller, hall, clerk, api_as, manager_api
):
    breach(traveller, hall, clerk, OCT_DAY)
    close = {"hall": hall.pk, "month": "2026-10"}
    assert manager_api.post("/api/assessments/close/", close, format="json").json()["code"] == "month_not_over"
    traveller.move_to(at(dt.date(2026, 11, 2), 9))
    clerk_api = api_as(clerk)
    row = sheet(clerk_api, "2026-10", "clerk1")
    clerk_api.post(
        f"/api/assessments/{row['id']}/appeal/", {"line": row["deductions"][0]["line"], "reason": "理由"}, format="json"
    )
    refused = manager_api.post("/api/assessments/close/", close, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "open_appeals"
    manager_api.post(f"/api/assessments/{row['id']}/decide/", {"accept": False, "note": ""}, format="json")

    assert manager_api.post("/api/assessments/close/", close, format="json").status_code == 201

    assert SheetLine.objects.filter(sheet_id=row["id"]).count() == 1
    # a later breach in October's last days cannot reach the closed sheet
    breach(traveller, hall, clerk, dt.date(2026, 11, 2))
    SlaClock.objects.filter(due_at__gte=at(dt.date(2026, 11, 2), 0)).update(
        due_at=at(dt.date(2026, 10, 30), 12), started_at=at(dt.date(2026, 10, 30), 10)
    )
    frozen = sheet(manager_api, "2026-10", "clerk1", hall)
    assert frozen["status"] == "closed" and frozen["score"] == 99 and len(frozen["deductions"]) == 1
    assert manager_api.post("/api/assessments/close/", close, format="json").json()["code"] == "month_closed"
    appeal = clerk_api.post(f"/api/assessments/{row['id']}/appeal/", {"line": "x", "reason": "理由"}, format="json")
    assert appeal.status_code == 409


def test_a_clerk_sees_only_their_own_sheet_and_another_hall_is_404(
    traveller, hall, clerk, clerk2, north, north_clerk, api_as, manager_api
):
    breach(traveller, hall, clerk, NOV_DAY)
    clerk_api = api_as(clerk)

    mine = clerk_api.get("/api/assessments/", {"month": "2026-11"}).json()
    assert [row["staff"]["username"] for row in mine] == ["clerk1"]
    assert len(manager_api.get("/api/assessments/", {"month": "2026-11"}).json()) == 3
    assert clerk_api.get("/api/assessments/", {"hall": north.pk, "month": "2026-11"}).status_code == 404
    assert clerk_api.get("/api/assessments/", {"month": "2026-13"}).status_code == 400
    assert clerk_api.get("/api/assessments/export.xlsx", {"month": "2026-11"}).status_code == 404
    other = sheet(manager_api, "2026-11", "clerk2")
    assert (
        clerk_api.post(
            f"/api/assessments/{other['id']}/appeal/", {"line": "x", "reason": "r"}, format="json"
        ).status_code
        == 404
    )
    north_row = api_as(north_clerk).get("/api/assessments/", {"month": "2026-11"}).json()[0]
    assert (
        manager_api.post(f"/api/assessments/{north_row['id']}/decide/", {"accept": True}, format="json").status_code
        == 404
    )
    row = sheet(clerk_api, "2026-11", "clerk1")
    assert clerk_api.post(f"/api/assessments/{row['id']}/decide/", {"accept": True}, format="json").status_code == 403
    assert (
        clerk_api.post("/api/assessments/close/", {"hall": hall.pk, "month": "2026-10"}, format="json").status_code
        == 403
    )
    assert (
        clerk_api.post("/api/assessments/rules/", {"source": "sla_breach", "points": "0"}, format="json").status_code
        == 403
    )


def test_nothing_subjective_can_enter_a_sheet(traveller, hall, clerk, api_as, manager_api, manager):
    breach(traveller, hall, clerk, NOV_DAY)
    row = sheet(manager_api, "2026-11", "clerk1")
    free = {
        "score": 60,
        "base": 50,
        "points": 30,
        "deductions": [{"source": "attitude", "record": "不微笑", "points": 10}],
        "bonuses": [{"source": "smile", "record": "微笑", "points": 10}],
        "line": "free",
        "source": "attitude",
        "staff": clerk.pk,
    }
    for path in (
        "/api/assessments/",
        f"/api/assessments/{row['id']}/appeal/",
        f"/api/assessments/{row['id']}/decide/",
        "/api/assessments/close/",
        "/api/assessments/rules/",
    ):
        manager_api.post(path, free, format="json")
        manager_api.put(path, free, format="json")
        manager_api.patch(path, free, format="json")
    assert (
        manager_api.post("/api/assessments/rules/", {"source": "attitude", "points": "10"}, format="json").status_code
        == 400
    )
    assert not AssessmentRule.objects.filter(source="attitude").exists()

    after = sheet(manager_api, "2026-11", "clerk1")
    assert after["score"] == 99 and after["base"] == 100
    assert [line["source"] for line in after["deductions"]] == ["sla_breach"]
    for line in after["deductions"] + after["bonuses"]:
        assert line["source"] in SOURCES and line["link"]
    line_admin = SheetLineAdmin(SheetLine, admin.site)
    request = type("Request", (), {"user": manager})()
    assert not line_admin.has_add_permission(request)
    assert not line_admin.has_change_permission(request)
    assert not line_admin.has_delete_permission(request)
