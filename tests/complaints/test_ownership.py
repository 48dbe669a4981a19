"""Who may work a complaint, the same through the API, the pages and the services: its owner (首问负责人), the duty
manager or the hall manager; anyone at the desk may follow it up and read it."""

import pytest

from complaints import services
from complaints.models import Complaint, ComplaintStatus
from hall.errors import NotPermitted
from hall.models import Role, TimelineEvent
from tests.complaints.test_api import advance, complaint_body
from tests.factories import UserFactory, accept_complaint
from tests.records import assert_unchanged, state

pytestmark = pytest.mark.django_db

S = ComplaintStatus
# (the status the complaint is in, the action in the address, its body, the status it moves to)
OWNER_STEPS = [
    (S.ACCEPTED, "investigate", {"note": "已联系客户"}, S.INVESTIGATING),
    (S.INVESTIGATING, "progress", {"note": "正在核对抄表"}, S.INVESTIGATING),
    (S.INVESTIGATING, "resolve", {"resolution": "已退费", "customer_confirmed": True}, S.RESOLVED),
    (S.ACCEPTED, "hand-over", {"to": "HANDLER", "reason": "需专员核查"}, S.ACCEPTED),
    (S.RESOLVED, "reopen", {"reason": "客户说仍未到账"}, S.INVESTIGATING),
    (S.FOLLOWED_UP, "close", {}, S.CLOSED),
]
STEP_IDS = [step[1] for step in OWNER_STEPS]


@pytest.fixture
def other_desk_clerk(hall):
    """A clerk of the complaint's hall who does not own it."""
    return UserFactory(hall=hall, username="clerk2", roles=[Role.CLERK])


@pytest.fixture
def people(clerk, duty, manager):
    return {"owner": clerk, "duty manager": duty, "hall manager": manager}


def post(client, complaint, action, body):
    return client.post(f"/api/complaints/{complaint.pk}/{action}/", body, format="json")


def with_handler(body, handler):
    return {key: handler.pk if value == "HANDLER" else value for key, value in body.items()}


def assert_not_permitted(response):
    """A 403 in API.md's shape, saying why."""
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    assert response.json()["detail"]


def last_event(complaint):
    return TimelineEvent.objects.filter(object_id=complaint.pk).latest("id")


# A clerk who does not own it


@pytest.mark.parametrize(("status", "action", "body", "_moved_to"), OWNER_STEPS, ids=STEP_IDS)
def test_another_clerk_gets_403_and_changes_nothing(
    api_as, clerk, handler, other_desk_clerk, complaint, status, action, body, _moved_to
):
    complaint = advance(complaint, status, actor=clerk)
    before = state(complaint)

    response = post(api_as(other_desk_clerk), complaint, action, with_handler(body, handler))

    assert_not_permitted(response)
    assert_unchanged(complaint, before, status)


@pytest.mark.parametrize(("status", "action", "body", "_moved_to"), OWNER_STEPS, ids=STEP_IDS)
def test_a_complaint_handler_who_does_not_own_it_gets_403_too(
    api_as, hall, clerk, handler, complaint, status, action, body, _moved_to
):
    complaint = advance(complaint, status, actor=clerk)
    colleague = UserFactory(hall=hall, username="handler2", roles=[Role.COMPLAINT_HANDLER])
    before = state(complaint)

    response = post(api_as(colleague), complaint, action, with_handler(body, handler))

    assert_not_permitted(response)
    assert_unchanged(complaint, before, status)


def test_another_clerk_may_not_correct_the_intake(api_as, clerk, other_desk_clerk, complaint):
    before = state(complaint)

    response = api_as(other_desk_clerk).patch(
        f"/api/complaints/{complaint.pk}/", {"description": "改过的描述", "address": "别处"}, format="json"
    )

    assert_not_permitted(response)
    assert_unchanged(complaint, before, S.ACCEPTED)


def test_another_clerk_may_not_resolve_the_rest_of_an_incident(api_as, hall, clerk, other_desk_clerk):
    lead = accept_complaint(hall, actor=clerk)
    member = accept_complaint(hall, actor=clerk, phone="13700000001", group=lead)
    lead = services.complaint_resolve(complaint=lead, resolution="管道已修复", customer_confirmed=True, actor=clerk)
    before = state(member)

    response = post(api_as(other_desk_clerk), lead, "catch-up", {"step": "resolve"})

    assert_not_permitted(response)
    assert_unchanged(member, before, S.ACCEPTED)


def test_another_clerk_may_not_resolve_a_whole_incident(api_as, hall, clerk, other_desk_clerk):
    lead = accept_complaint(hall, actor=clerk)
    member = accept_complaint(hall, actor=clerk, phone="13700000001", group=lead)
    before = state(lead), state(member)

    response = post(api_as(other_desk_clerk), lead, "resolve", {"resolution": "已修复", "apply_to_group": True})

    assert_not_permitted(response)
    assert (state(lead), state(member)) == before


def test_another_clerk_still_reads_the_complaint_its_timeline_and_its_incident(api_as, other_desk_clerk, complaint):
    client = api_as(other_desk_clerk)

    for path in ("", "timeline/", "members/"):
        assert client.get(f"/api/complaints/{complaint.pk}/{path}").status_code == 200
    listed = client.get("/api/complaints/").json()["results"]
    assert [row["id"] for row in listed] == [complaint.pk]


def test_anyone_at_the_desk_may_follow_the_customer_up(api_as, clerk, other_desk_clerk, complaint):
    complaint = advance(complaint, S.RESOLVED, actor=clerk)

    response = post(api_as(other_desk_clerk), complaint, "follow-up", {"satisfaction": 5, "note": "满意"})

    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert (complaint.status, complaint.satisfaction) == (S.FOLLOWED_UP, 5)
    assert last_event(complaint).actor == other_desk_clerk


def test_anyone_at_the_desk_may_record_the_follow_up_for_the_rest_of_an_incident(api_as, hall, clerk, other_desk_clerk):
    lead = accept_complaint(hall, actor=clerk)
    member = accept_complaint(hall, actor=clerk, phone="13700000001", group=lead)
    services.complaint_resolve(
        complaint=lead, resolution="管道已修复", customer_confirmed=True, apply_to_group=True, actor=clerk
    )
    services.complaint_follow_up(complaint=lead, satisfaction=5, note="客户满意", actor=clerk)

    response = post(api_as(other_desk_clerk), lead, "catch-up", {"step": "follow_up"})

    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert (member.status, member.satisfaction) == (S.FOLLOWED_UP, 5)


# The owner and the managers


@pytest.mark.parametrize("who", ["owner", "duty manager", "hall manager"])
@pytest.mark.parametrize(("status", "action", "body", "moved_to"), OWNER_STEPS, ids=STEP_IDS)
def test_the_owner_and_the_managers_take_every_step(
    api_as, people, clerk, handler, complaint, who, status, action, body, moved_to
):
    complaint = advance(complaint, status, actor=clerk)
    user = people[who]

    response = post(api_as(user), complaint, action, with_handler(body, handler))

    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert complaint.status == moved_to
    event = last_event(complaint)
    assert (event.action, event.actor) == (action.replace("-", "_"), user)
    if action == "hand-over":
        assert complaint.owner == handler


@pytest.mark.parametrize("who", ["owner", "duty manager", "hall manager"])
def test_the_owner_and_the_managers_correct_the_intake(api_as, people, complaint, who):
    response = api_as(people[who]).patch(f"/api/complaints/{complaint.pk}/", {"address": "人民路 9 号"}, format="json")

    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert complaint.address == "人民路 9 号"
    assert (last_event(complaint).action, last_event(complaint).actor) == ("update", people[who])


@pytest.mark.parametrize("who", ["owner", "duty manager", "hall manager"])
def test_the_owner_and_the_managers_resolve_the_rest_of_an_incident(api_as, hall, people, clerk, who):
    lead = accept_complaint(hall, actor=clerk)
    member = accept_complaint(hall, actor=clerk, phone="13700000001", group=lead)
    services.complaint_resolve(complaint=lead, resolution="管道已修复", customer_confirmed=True, actor=clerk)

    response = post(api_as(people[who]), lead, "catch-up", {"step": "resolve"})

    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert (member.status, member.resolution) == (S.RESOLVED, "管道已修复")


def test_the_owner_of_an_incident_resolves_members_that_other_clerks_took(api_as, hall, clerk, other_desk_clerk):
    lead = accept_complaint(hall, actor=clerk)
    member = accept_complaint(hall, actor=other_desk_clerk, phone="13700000001", group=lead)

    response = post(api_as(clerk), lead, "resolve", {"resolution": "管道已修复", "apply_to_group": True})

    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert (member.status, member.owner) == (S.RESOLVED, other_desk_clerk)


def test_the_clerk_who_handed_it_over_no_longer_works_it(api_as, clerk, handler, complaint):
    services.complaint_hand_over(complaint=complaint, to=handler, reason="需专员核查", actor=clerk)
    before = state(complaint)

    refused = post(api_as(clerk), complaint, "progress", {"note": "已联系"})

    assert_not_permitted(refused)
    assert_unchanged(complaint, before, S.ACCEPTED)
    assert post(api_as(handler), complaint, "progress", {"note": "已联系"}).status_code == 200


def test_a_web_form_complaint_is_worked_by_the_duty_manager_who_owns_it(api, api_as, hall, duty, clerk):
    api.post("/api/complaints/", complaint_body(hall, channel="web"), format="json")
    complaint = Complaint.objects.get()
    before = state(complaint)

    assert_not_permitted(post(api_as(clerk), complaint, "investigate", {"note": "已联系"}))
    assert_unchanged(complaint, before, S.ACCEPTED)
    assert post(api_as(duty), complaint, "investigate", {"note": "已联系"}).status_code == 200
    assert Complaint.objects.get().status == S.INVESTIGATING


# The services apply the same rule to every caller


def test_the_services_refuse_someone_who_may_not_take_the_step(clerk, other_desk_clerk, complaint):
    before = state(complaint)

    with pytest.raises(NotPermitted):
        services.complaint_investigate(complaint=complaint, note="已联系", actor=other_desk_clerk)
    with pytest.raises(NotPermitted):
        services.complaint_update(complaint=complaint, address="别处", actor=other_desk_clerk)

    assert_unchanged(complaint, before, S.ACCEPTED)


def test_a_manager_of_another_hall_may_not_work_it(north, complaint):
    north_manager = UserFactory(hall=north, username="north-duty", roles=[Role.DUTY_MANAGER])
    before = state(complaint)

    with pytest.raises(NotPermitted):
        services.complaint_resolve(
            complaint=complaint, resolution="已退费", customer_confirmed=True, actor=north_manager
        )

    assert_unchanged(complaint, before, S.ACCEPTED)


def test_the_hall_itself_may_take_any_step(clerk, complaint):
    complaint = services.complaint_resolve(
        complaint=complaint, resolution="已退费", customer_confirmed=True, actor=None
    )

    assert complaint.status == S.RESOLVED
    assert last_event(complaint).actor is None
