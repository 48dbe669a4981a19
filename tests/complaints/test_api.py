import datetime as dt

import pytest
from django.utils.dateparse import parse_datetime

from complaints import services
from complaints.models import Complaint, ComplaintEvidence, ComplaintStatus
from complaints.policies import PUBLIC_COMPLAINTS_PER_MINUTE
from hall.models import Customer, Notification, Role, SlaClock, TimelineEvent
from tests.conftest import SHANGHAI
from tests.factories import COMPLAINT, UserFactory, accept_complaint
from tests.files import PDF, upload

pytestmark = pytest.mark.django_db

STEPS = [ComplaintStatus.INVESTIGATING, ComplaintStatus.RESOLVED, ComplaintStatus.FOLLOWED_UP, ComplaintStatus.CLOSED]


def complaint_body(hall, **fields):
    return {"hall": hall.pk, **COMPLAINT, **fields}


def advance(complaint, status, *, actor):
    """Moves a complaint through the services up to `status`."""
    moves = {
        ComplaintStatus.INVESTIGATING: lambda c: services.complaint_investigate(
            complaint=c, note="已联系", actor=actor
        ),
        ComplaintStatus.RESOLVED: lambda c: services.complaint_resolve(
            complaint=c, resolution="已退费", customer_confirmed=True, actor=actor
        ),
        ComplaintStatus.FOLLOWED_UP: lambda c: services.complaint_follow_up(complaint=c, satisfaction=5, actor=actor),
        ComplaintStatus.CLOSED: lambda c: services.complaint_close(complaint=c, actor=actor),
    }
    for step in STEPS[: STEPS.index(status) + 1] if status in STEPS else []:
        complaint = moves[step](complaint)
    return complaint


def running(complaint):
    return {c.name for c in SlaClock.objects.filter(object_id=complaint.pk, stopped_at__isnull=True)}


# Accepting


def test_it_accepts_a_complaint_owned_by_its_taker_with_its_promised_times(clock, api_as, hall, clerk):
    response = api_as(clerk).post("/api/complaints/", complaint_body(hall), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    complaint = Complaint.objects.get()
    assert body["id"] == complaint.pk
    assert body["number"] == "TS20260302-0001"
    assert (body["status"], body["owner"], body["accepted_by"]) == ("accepted", clerk.pk, clerk.pk)
    assert parse_datetime(body["first_contact_due"]) == dt.datetime(2026, 3, 2, 11, 0, tzinfo=SHANGHAI)
    assert parse_datetime(body["progress_due"]) == dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=SHANGHAI)
    assert parse_datetime(body["result_due"]) == dt.datetime(2026, 3, 23, 23, 59, 59, tzinfo=SHANGHAI)
    assert body["follow_up_due"] is None
    assert (complaint.owner, complaint.accepted_by, complaint.channel) == (clerk, clerk, "counter")
    assert running(complaint) == {"first_contact", "progress", "result"}


def test_it_answers_every_field_of_the_complaint(api_as, hall, clerk):
    body = api_as(clerk).post("/api/complaints/", complaint_body(hall, address="人民路 8 号"), format="json").json()

    assert set(body) >= {
        "id", "hall", "number", "customer", "customer_name", "phone", "address", "channel", "category",
        "description", "ongoing_loss", "urgent", "status", "owner", "owner_name", "accepted_by", "group",
        "group_number", "resolution", "customer_confirmed", "satisfaction", "follow_up_note", "reopen_count",
        "first_contact_due", "progress_due", "result_due", "follow_up_due", "first_contact_at", "resolved_at",
        "followed_up_at", "closed_at", "created_at", "tracking_url", "evidence", "sla_state", "repeat_count",
        "customer_flags",
    }  # fmt: skip
    assert body["hall"] == hall.pk
    assert body["customer"] == Customer.objects.get().pk
    assert (body["address"], body["owner_name"], body["evidence"], body["sla_state"]) == (
        "人民路 8 号",
        clerk.display_name,
        [],
        "on_time",
    )
    assert (body["repeat_count"], body["customer_flags"], body["urgent"]) == (0, [], False)


def test_its_tracking_url_is_the_absolute_customer_link_with_the_token(api_as, hall, clerk):
    body = api_as(clerk).post("/api/complaints/", complaint_body(hall), format="json").json()

    assert body["tracking_url"] == f"http://testserver/c/{Complaint.objects.get().token}/"


def test_it_tells_the_taker_how_often_the_phone_complained_and_who_the_customer_is(api_as, hall, clerk):
    accept_complaint(hall, actor=clerk)
    accept_complaint(hall, actor=clerk, category="service")
    Customer.objects.filter(phone="13700137000").update(key_customer=True, elderly_alone=True)

    response = api_as(clerk).post("/api/complaints/", complaint_body(hall), format="json")

    body = response.json()
    assert response.status_code == 201
    assert body["repeat_count"] == 2
    assert body["customer_flags"] == ["key_customer", "elderly_alone"]
    assert body["urgent"] is True


def test_another_phone_is_no_repeat(api_as, hall, clerk, complaint):
    body = api_as(clerk).post("/api/complaints/", complaint_body(hall, phone="13900000000"), format="json").json()

    assert body["repeat_count"] == 0


def test_a_loss_still_going_on_makes_it_urgent(api_as, hall, clerk):
    body = api_as(clerk).post("/api/complaints/", complaint_body(hall, ongoing_loss=True), format="json").json()

    assert (body["ongoing_loss"], body["urgent"]) == (True, True)


def test_it_links_a_complaint_to_an_incident(api_as, hall, clerk, complaint):
    body = (
        api_as(clerk)
        .post("/api/complaints/", complaint_body(hall, phone="13900000000", group=complaint.pk), format="json")
        .json()
    )

    assert (body["group"], body["group_number"]) == (complaint.pk, complaint.number)
    assert Complaint.objects.get(pk=body["id"]).group == complaint


def test_linking_to_a_member_links_to_the_incidents_first_complaint(api_as, hall, clerk, complaint):
    member = accept_complaint(hall, actor=clerk, phone="13900000000", group=complaint)

    body = (
        api_as(clerk)
        .post("/api/complaints/", complaint_body(hall, phone="13900000001", group=member.pk), format="json")
        .json()
    )

    assert body["group"] == complaint.pk


@pytest.mark.parametrize("role", [Role.DUTY_MANAGER, Role.HALL_MANAGER, Role.COMPLAINT_HANDLER])
def test_every_complaint_role_may_accept(api_as, hall, role):
    taker = UserFactory(hall=hall, roles=[role])

    response = api_as(taker).post("/api/complaints/", complaint_body(hall, channel="letter"), format="json")

    assert response.status_code == 201
    assert Complaint.objects.get().owner == taker


# The public web form


def test_a_customer_may_complain_on_the_web_without_a_login(clock, api, hall, duty):
    response = api.post("/api/complaints/", complaint_body(hall, channel="web"), format="json")

    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert response.json() == {
        "number": "TS20260302-0001",
        "status": "accepted",
        "first_contact_due": "2026-03-02T11:00:00+08:00",
        "result_due": "2026-03-23T23:59:59+08:00",
        "tracking_url": f"http://testserver/c/{complaint.token}/",
    }
    assert (complaint.channel, complaint.owner, complaint.accepted_by) == ("web", duty, None)
    assert duty.notifications.filter(kind="complaint_received").exists()


def test_the_web_form_cannot_link_an_incident(api, hall, duty, complaint):
    response = api.post(
        "/api/complaints/", complaint_body(hall, channel="web", phone="13900000000", group=complaint.pk), format="json"
    )

    assert response.status_code == 201
    assert Complaint.objects.get(number=response.json()["number"]).group is None


@pytest.mark.parametrize("channel", ["counter", "phone", "letter", "hotline", "", None])
def test_only_the_web_channel_is_open_without_a_login(api, hall, duty, channel):
    response = api.post("/api/complaints/", complaint_body(hall, channel=channel), format="json")

    assert response.status_code == 401
    assert not Complaint.objects.exists()
    assert not Customer.objects.exists()


def test_the_list_needs_a_login(api, hall, complaint):
    assert api.get("/api/complaints/").status_code == 401
    assert api.get(f"/api/complaints/{complaint.pk}/").status_code == 401


def test_the_web_form_is_rate_limited(clock, api, hall, duty):
    codes = [
        api.post(
            "/api/complaints/", complaint_body(hall, channel="web"), format="json", REMOTE_ADDR="10.0.0.1"
        ).status_code
        for _ in range(PUBLIC_COMPLAINTS_PER_MINUTE + 1)
    ]

    assert codes == [201] * PUBLIC_COMPLAINTS_PER_MINUTE + [429]
    assert Complaint.objects.count() == PUBLIC_COMPLAINTS_PER_MINUTE


def test_staff_taking_complaints_are_not_rate_limited(clock, api_as, hall, clerk):
    client = api_as(clerk)

    codes = [
        client.post("/api/complaints/", complaint_body(hall), format="json").status_code
        for _ in range(PUBLIC_COMPLAINTS_PER_MINUTE + 2)
    ]

    assert codes == [201] * (PUBLIC_COMPLAINTS_PER_MINUTE + 2)


def test_the_web_form_needs_someone_to_own_the_complaint(api, hall):
    response = api.post("/api/complaints/", complaint_body(hall, channel="web"), format="json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Complaint.objects.exists()


# The whole complaint


def test_a_whole_complaint_goes_from_acceptance_to_closing_over_the_api(clock, api_as, hall, clerk, handler, media):
    desk = api_as(clerk)
    pk = desk.post("/api/complaints/", complaint_body(hall), format="json").json()["id"]

    clock.shift(dt.timedelta(minutes=30))
    investigated = desk.post(
        f"/api/complaints/{pk}/investigate/",
        {
            "note": "已联系客户，调取抄表记录",
            "evidence": [upload("meter.jpg"), upload("bill.pdf", PDF, "application/pdf")],
        },
    ).json()
    progressed = desk.post(f"/api/complaints/{pk}/progress/", {"note": "正在核对抄表"}, format="json").json()
    resolved = desk.post(
        f"/api/complaints/{pk}/resolve/", {"resolution": "抄表错误，已退费", "customer_confirmed": True}, format="json"
    ).json()
    followed = desk.post(f"/api/complaints/{pk}/follow-up/", {"satisfaction": 5, "note": "满意"}, format="json").json()
    closed = desk.post(f"/api/complaints/{pk}/close/").json()

    assert [investigated["status"], progressed["status"], resolved["status"]] == [
        "investigating",
        "investigating",
        "resolved",
    ]
    assert [followed["status"], closed["status"]] == ["followed_up", "closed"]
    assert len(investigated["evidence"]) == 2
    evidence_ids = ComplaintEvidence.objects.filter(complaint_id=pk).order_by("id").values_list("id", flat=True)
    assert investigated["evidence"] == [f"http://testserver/complaints/{pk}/evidence/{item}/" for item in evidence_ids]
    assert resolved["follow_up_due"] is not None
    complaint = Complaint.objects.get(pk=pk)
    assert complaint.status == ComplaintStatus.CLOSED
    assert (complaint.resolution, complaint.customer_confirmed) == ("抄表错误，已退费", True)
    assert (complaint.satisfaction, complaint.follow_up_note, complaint.reopen_count) == (5, "满意", 0)
    assert complaint.first_contact_at == complaint.created_at + dt.timedelta(minutes=30)
    assert None not in (complaint.resolved_at, complaint.followed_up_at, complaint.closed_at)
    assert sorted(ComplaintEvidence.objects.filter(complaint=complaint).values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/jpeg",
    ]
    assert running(complaint) == set()


def test_the_timeline_lists_each_step_with_actor_statuses_and_note(api_as, hall, clerk, complaint):
    advance(complaint, ComplaintStatus.RESOLVED, actor=clerk)

    events = api_as(clerk).get(f"/api/complaints/{complaint.pk}/timeline/").json()

    assert [(e["action"], e["from_status"], e["to_status"]) for e in events] == [
        ("accept", "", "accepted"),
        ("investigate", "accepted", "investigating"),
        ("resolve", "investigating", "resolved"),
    ]
    assert [e["actor"] for e in events] == [clerk.pk] * 3
    assert events[2]["note"] == "已退费"
    assert all(parse_datetime(e["at"]) for e in events)


def test_an_unsatisfied_follow_up_reopens_the_complaint_to_investigation(api_as, hall, clerk, complaint):
    advance(complaint, ComplaintStatus.RESOLVED, actor=clerk)

    response = api_as(clerk).post(
        f"/api/complaints/{complaint.pk}/follow-up/", {"satisfaction": 2, "note": "还是不对"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reopen_count"]) == ("investigating", 1)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.satisfaction, complaint.reopen_count) == (ComplaintStatus.INVESTIGATING, 2, 1)
    assert running(complaint) == {"progress", "result"}
    assert clerk.notifications.filter(kind="complaint_reopened").exists()


@pytest.mark.parametrize("status", [ComplaintStatus.RESOLVED, ComplaintStatus.FOLLOWED_UP])
def test_reopening_gives_a_reason_and_goes_back_to_investigation(api_as, clerk, complaint, status):
    advance(complaint, status, actor=clerk)

    response = api_as(clerk).post(f"/api/complaints/{complaint.pk}/reopen/", {"reason": "客户再次来电"}, format="json")

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert (complaint.status, complaint.reopen_count, complaint.resolved_at) == (
        ComplaintStatus.INVESTIGATING,
        1,
        None,
    )
    event = TimelineEvent.objects.filter(object_id=complaint.pk).latest("id")
    assert (event.action, event.note, event.from_status) == ("reopen", "客户再次来电", status)


# Owner


def test_handing_over_changes_the_owner_tells_both_and_writes_the_timeline(api_as, clerk, handler, complaint):
    response = api_as(clerk).post(
        f"/api/complaints/{complaint.pk}/hand-over/", {"to": handler.pk, "reason": "转专员处理"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["owner"], response.json()["owner_name"]) == (handler.pk, handler.display_name)
    complaint.refresh_from_db()
    assert complaint.owner == handler
    told = Notification.objects.filter(kind="complaint_handed_over").values_list("recipient", flat=True)
    assert set(told) >= {clerk.pk, handler.pk}
    event = TimelineEvent.objects.filter(object_id=complaint.pk).latest("id")
    assert (event.action, event.actor, event.note) == ("hand_over", clerk, "转专员处理")
    assert event.data == {"from": clerk.pk, "to": handler.pk}
    assert {c.responsible_id for c in SlaClock.objects.filter(object_id=complaint.pk)} == {handler.pk}


def test_a_manager_may_hand_over_someone_elses_complaint(api_as, manager, handler, complaint):
    response = api_as(manager).post(
        f"/api/complaints/{complaint.pk}/hand-over/", {"to": handler.pk, "reason": "请假"}, format="json"
    )

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.owner == handler


def test_another_clerk_may_not_hand_over_a_complaint_they_do_not_own(api_as, hall, clerk, handler, complaint):
    other = UserFactory(hall=hall, username="clerk2", roles=[Role.CLERK])

    response = api_as(other).post(
        f"/api/complaints/{complaint.pk}/hand-over/", {"to": handler.pk, "reason": "接手"}, format="json"
    )

    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.owner == clerk
    assert not Notification.objects.filter(kind="complaint_handed_over").exists()


# Correcting the intake


def test_it_corrects_what_was_written_at_intake(api_as, clerk, complaint):
    response = api_as(clerk).patch(
        f"/api/complaints/{complaint.pk}/",
        {"category": "meter", "description": "电表走字异常", "address": "人民路 9 号", "customer_name": "李四光"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["category"] == "meter"
    complaint.refresh_from_db()
    assert (complaint.category, complaint.description) == ("meter", "电表走字异常")
    assert (complaint.address, complaint.customer_name) == ("人民路 9 号", "李四光")
    event = TimelineEvent.objects.filter(object_id=complaint.pk).latest("id")
    assert (event.action, event.data["fields"]) == ("update", ["address", "category", "customer_name", "description"])


def test_changing_the_owner_by_an_update_answers_400_and_changes_nothing(api_as, clerk, handler, complaint):
    response = api_as(clerk).patch(
        f"/api/complaints/{complaint.pk}/", {"owner": handler.pk, "description": "改了"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["owner"]
    assert "hand-over" in response.json()["owner"][0]
    complaint.refresh_from_db()
    assert (complaint.owner, complaint.description) == (clerk, "本月电费比上月高出三倍")
    assert not TimelineEvent.objects.filter(object_id=complaint.pk, action="update").exists()


@pytest.mark.parametrize("field", ["status", "phone", "hall", "resolution", "group"])
def test_only_the_intake_fields_may_be_corrected(api_as, clerk, complaint, field):
    before = Complaint.objects.filter(pk=complaint.pk).values().get()

    response = api_as(clerk).patch(f"/api/complaints/{complaint.pk}/", {field: "closed"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Complaint.objects.filter(pk=complaint.pk).values().get() == before


# Reading and filtering


def test_a_clerk_sees_the_phone_masked(api_as, clerk, complaint):
    assert api_as(clerk).get(f"/api/complaints/{complaint.pk}/").json()["phone"] == "137****7000"


def test_a_complaint_handler_sees_the_full_phone(api_as, handler, complaint):
    assert api_as(handler).get(f"/api/complaints/{complaint.pk}/").json()["phone"] == "13700137000"


def test_a_repair_worker_has_no_complaint_access(api_as, hall, worker, complaint):
    client = api_as(worker)

    assert client.get("/api/complaints/").status_code == 403
    assert client.get(f"/api/complaints/{complaint.pk}/").status_code == 403
    assert client.post("/api/complaints/", complaint_body(hall), format="json").status_code == 403
    assert Complaint.objects.count() == 1


def test_the_list_is_paginated_newest_first(api_as, hall, clerk):
    complaints = [accept_complaint(hall, actor=clerk, phone=f"1370000{n:04d}") for n in range(27)]

    first = api_as(clerk).get("/api/complaints/").json()
    second = api_as(clerk).get(first["next"]).json()

    assert first["count"] == 27
    assert first["previous"] is None
    assert [c["id"] for c in first["results"] + second["results"]] == [c.pk for c in reversed(complaints)]


def test_the_list_reads_a_full_page_in_a_fixed_number_of_queries(api_as, hall, clerk, django_assert_max_num_queries):
    for n in range(25):
        complaint = accept_complaint(hall, actor=clerk, phone=f"137000000{n % 5:02d}")
        services.complaint_investigate(complaint=complaint, note="已联系", evidence=[upload()], actor=clerk)
    client = api_as(clerk)

    with django_assert_max_num_queries(12):
        body = client.get("/api/complaints/").json()

    assert len(body["results"]) == 25


def test_each_row_carries_the_same_repeat_count_and_flags_as_the_complaint(api_as, hall, clerk):
    for phone in ["13700000001", "13700000001", "13700000001", "13700000002"]:
        accept_complaint(hall, actor=clerk, phone=phone)
    Customer.objects.filter(phone="13700000002").update(disabled=True)
    client = api_as(clerk)

    rows = client.get("/api/complaints/").json()["results"]

    assert [(r["repeat_count"], r["customer_flags"]) for r in rows] == [
        (0, ["disabled"]),
        (2, []),
        (2, []),
        (2, []),
    ]
    for row in rows:
        detail = client.get(f"/api/complaints/{row['id']}/").json()
        assert (detail["repeat_count"], detail["customer_flags"]) == (row["repeat_count"], row["customer_flags"])


def test_it_filters_by_status_owner_and_phone(api_as, hall, clerk, handler):
    investigating = advance(accept_complaint(hall, actor=clerk), ComplaintStatus.INVESTIGATING, actor=clerk)
    handlers = accept_complaint(hall, actor=handler, phone="13900000000")
    client = api_as(clerk)

    def ids(query):
        return {c["id"] for c in client.get(f"/api/complaints/?{query}").json()["results"]}

    assert ids("status=investigating") == {investigating.pk}
    assert ids(f"owner={handler.pk}") == {handlers.pk}
    assert ids("customer_phone=13900000000") == {handlers.pk}
    assert ids(f"status=accepted&owner={handler.pk}&hall={hall.pk}") == {handlers.pk}
    assert ids("status=closed") == set()


def test_the_overdue_filter_lists_only_complaints_past_a_promise(clock, api_as, hall, clerk):
    late = accept_complaint(hall, actor=clerk)
    contacted = accept_complaint(hall, actor=clerk, phone="13900000000")
    services.complaint_investigate(complaint=contacted, note="已联系", actor=clerk)
    clock.shift(dt.timedelta(hours=2, seconds=1))

    body = api_as(clerk).get("/api/complaints/?overdue=true").json()

    assert [c["id"] for c in body["results"]] == [late.pk]
    assert body["results"][0]["sla_state"] == "overdue"


def test_a_complaint_a_second_before_its_first_contact_is_due_is_not_overdue(clock, api_as, hall, clerk):
    accept_complaint(hall, actor=clerk)
    clock.shift(dt.timedelta(hours=2, seconds=-1))

    assert api_as(clerk).get("/api/complaints/?overdue=true").json()["count"] == 0


# Incidents


@pytest.fixture
def incident(hall, clerk, complaint):
    members = [accept_complaint(hall, actor=clerk, phone=f"1390000000{n}", group=complaint) for n in range(2)]
    return complaint, members


def test_the_members_endpoint_lists_the_incident_lead_first(api_as, clerk, incident):
    lead, members = incident
    client = api_as(clerk)

    from_lead = client.get(f"/api/complaints/{lead.pk}/members/").json()
    from_member = client.get(f"/api/complaints/{members[1].pk}/members/").json()

    assert [c["id"] for c in from_lead] == [lead.pk, members[0].pk, members[1].pk]
    assert from_member == from_lead
    assert [c["group"] for c in from_lead] == [None, lead.pk, lead.pk]


def test_a_complaint_outside_any_incident_is_its_own_incident(api_as, clerk, complaint):
    body = api_as(clerk).get(f"/api/complaints/{complaint.pk}/members/").json()

    assert [c["id"] for c in body] == [complaint.pk]


def test_resolving_an_incident_for_the_group_resolves_its_open_members(api_as, clerk, incident):
    lead, members = incident

    response = api_as(clerk).post(
        f"/api/complaints/{lead.pk}/resolve/",
        {"resolution": "管道已修复", "customer_confirmed": False, "apply_to_group": True},
        format="json",
    )

    assert response.status_code == 200
    for member in members:
        member.refresh_from_db()
        assert (member.status, member.resolution) == (ComplaintStatus.RESOLVED, "管道已修复")
        assert running(member) == {"follow_up"}


def test_resolving_the_lead_alone_leaves_the_members_open(api_as, clerk, incident):
    lead, members = incident

    api_as(clerk).post(f"/api/complaints/{lead.pk}/resolve/", {"resolution": "管道已修复"}, format="json")

    assert {m.status for m in Complaint.objects.filter(group=lead)} == {ComplaintStatus.ACCEPTED}


def test_following_up_an_incident_for_the_group_follows_up_its_members(api_as, clerk, incident):
    lead, members = incident
    services.complaint_resolve(
        complaint=lead, resolution="管道已修复", customer_confirmed=True, apply_to_group=True, actor=clerk
    )

    response = api_as(clerk).post(
        f"/api/complaints/{lead.pk}/follow-up/", {"satisfaction": 4, "apply_to_group": True}, format="json"
    )

    assert response.status_code == 200
    assert {(m.status, m.satisfaction) for m in Complaint.objects.filter(group=lead)} == {
        (ComplaintStatus.FOLLOWED_UP, 4)
    }


# Halls


def test_the_list_leaves_out_another_halls_complaints(api_as, hall, clerk, north, north_clerk, complaint):
    accept_complaint(north, actor=north_clerk)

    body = api_as(clerk).get("/api/complaints/").json()

    assert [c["id"] for c in body["results"]] == [complaint.pk]


def test_another_halls_clerk_sees_nothing(api_as, north_clerk, complaint):
    client = api_as(north_clerk)

    assert client.get("/api/complaints/").json()["count"] == 0
    assert client.get(f"/api/complaints/{complaint.pk}/").status_code == 404
    assert client.get(f"/api/complaints/{complaint.pk}/timeline/").status_code == 404
    assert client.get(f"/api/complaints/{complaint.pk}/members/").status_code == 404


def test_listing_another_hall_answers_404(api_as, clerk, north):
    assert api_as(clerk).get(f"/api/complaints/?hall={north.pk}").status_code == 404


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("investigate", {"note": "x"}),
        ("progress", {"note": "x"}),
        ("resolve", {"resolution": "x", "customer_confirmed": True}),
        ("reopen", {"reason": "x"}),
        ("close", {}),
        ("follow-up", {"satisfaction": 5}),
    ],
)
def test_acting_on_another_halls_complaint_answers_404_and_changes_nothing(
    api_as, north_clerk, complaint, action, body
):
    before = Complaint.objects.filter(pk=complaint.pk).values().get()

    response = api_as(north_clerk).post(f"/api/complaints/{complaint.pk}/{action}/", body, format="json")

    assert response.status_code == 404
    assert Complaint.objects.filter(pk=complaint.pk).values().get() == before


def test_handing_over_or_correcting_another_halls_complaint_answers_404(api_as, clerk, north, north_clerk, complaint):
    client = api_as(north_clerk)

    handed = client.post(f"/api/complaints/{complaint.pk}/hand-over/", {"to": north_clerk.pk, "reason": "x"})
    patched = client.patch(f"/api/complaints/{complaint.pk}/", {"description": "改"}, format="json")

    assert (handed.status_code, patched.status_code) == (404, 404)
    complaint.refresh_from_db()
    assert (complaint.owner, complaint.description) == (clerk, "本月电费比上月高出三倍")


def test_accepting_for_another_hall_answers_404_and_creates_nothing(api_as, clerk, north):
    response = api_as(clerk).post("/api/complaints/", complaint_body(north), format="json")

    assert response.status_code == 404
    assert not Complaint.objects.exists()
    assert not Customer.objects.exists()


def test_an_unknown_complaint_answers_404(api_as, clerk, complaint):
    client = api_as(clerk)
    missing = complaint.pk + 1000

    assert client.get(f"/api/complaints/{missing}/").status_code == 404
    assert client.get(f"/api/complaints/{missing}/timeline/").status_code == 404
    assert client.get(f"/api/complaints/{missing}/members/").status_code == 404
    assert client.patch(f"/api/complaints/{missing}/", {"description": "x"}, format="json").status_code == 404
    assert client.post(f"/api/complaints/{missing}/progress/", {"note": "x"}, format="json").status_code == 404
