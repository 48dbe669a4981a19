"""An incident's first complaint resolved (or followed up) on its own: its members still open catch up with it."""

import datetime as dt

import pytest

from complaints import services
from complaints.models import ComplaintStatus
from hall.errors import ApplicationError, InvalidTransition
from hall.models import Role, SlaClock
from hall.timeline import timeline_for
from tests.factories import UserFactory, accept_complaint

pytestmark = pytest.mark.django_db


def running(complaint) -> set[str]:
    return {c.name for c in SlaClock.objects.filter(object_id=complaint.pk, stopped_at__isnull=True)}


def last_event(complaint):
    return timeline_for(complaint).order_by("at", "id").last()


@pytest.fixture
def incident(hall, clerk, clock):
    lead = accept_complaint(hall, actor=clerk, category="outage", description="3 号楼没有暖气")
    members = [accept_complaint(hall, actor=clerk, phone=f"1370000000{n}", group=lead) for n in range(2)]
    services.complaint_investigate(complaint=members[1], note="已上门查看", actor=clerk)
    return lead, members


@pytest.fixture
def resolved_alone(incident, clerk, clock):
    lead, members = incident
    lead = services.complaint_resolve(complaint=lead, resolution="管道已修复", customer_confirmed=True, actor=clerk)
    return lead, members


@pytest.fixture
def followed_up_alone(incident, clerk, clock):
    lead, members = incident
    lead = services.complaint_resolve(
        complaint=lead, resolution="管道已修复", customer_confirmed=True, apply_to_group=True, actor=clerk
    )
    lead = services.complaint_follow_up(complaint=lead, satisfaction=5, note="客户满意", actor=clerk)
    return lead, members


def refreshed(complaints):
    for complaint in complaints:
        complaint.refresh_from_db()
    return complaints


# The service


def test_it_resolves_the_open_members_with_the_leads_resolution(resolved_alone, clerk, clock):
    lead, members = resolved_alone
    clock.shift(dt.timedelta(hours=1))

    services.complaint_catch_up(complaint=lead, step="resolve", actor=clerk)

    for member in refreshed(members):
        assert (member.status, member.resolution, member.customer_confirmed) == (
            ComplaintStatus.RESOLVED,
            "管道已修复",
            True,
        )
        assert member.follow_up_due == member.resolved_at + dt.timedelta(hours=24)
        assert running(member) == {"follow_up"}
        event = last_event(member)
        assert (event.action, event.actor, event.note, event.data) == (
            "resolve",
            clerk,
            "管道已修复",
            {"incident": lead.number},
        )


def test_it_leaves_the_lead_and_its_timeline_as_they_were(resolved_alone, clerk):
    lead, _members = resolved_alone
    events = timeline_for(lead).count()

    services.complaint_catch_up(complaint=lead, step="resolve", actor=clerk)

    lead.refresh_from_db()
    assert lead.status == ComplaintStatus.RESOLVED
    assert timeline_for(lead).count() == events


def test_it_resolves_the_members_of_a_lead_already_closed(resolved_alone, clerk):
    lead, members = resolved_alone
    lead = services.complaint_follow_up(complaint=lead, satisfaction=4, actor=clerk)
    lead = services.complaint_close(complaint=lead, actor=clerk)

    services.complaint_catch_up(complaint=lead, step="resolve", actor=clerk)

    assert {member.status for member in refreshed(members)} == {ComplaintStatus.RESOLVED}


def test_it_leaves_a_member_resolved_on_its_own_alone(resolved_alone, clerk):
    lead, members = resolved_alone
    services.complaint_resolve(complaint=members[0], resolution="已单独处理", customer_confirmed=False, actor=clerk)

    services.complaint_catch_up(complaint=lead, step="resolve", actor=clerk)

    first, second = refreshed(members)
    assert (first.resolution, first.customer_confirmed) == ("已单独处理", False)
    assert last_event(first).data == {}
    assert (second.status, second.resolution) == (ComplaintStatus.RESOLVED, "管道已修复")


def test_it_follows_up_the_resolved_members_with_the_leads_satisfaction(followed_up_alone, clerk):
    lead, members = followed_up_alone

    services.complaint_catch_up(complaint=lead, step="follow_up", actor=clerk)

    for member in refreshed(members):
        assert (member.status, member.satisfaction, member.follow_up_note) == (
            ComplaintStatus.FOLLOWED_UP,
            5,
            "客户满意",
        )
        assert member.followed_up_at is not None
        assert running(member) == set()
        event = last_event(member)
        assert (event.action, event.data) == ("follow_up", {"satisfaction": 5, "incident": lead.number})


def test_it_refuses_when_no_member_is_left_to_take_the_step(followed_up_alone, clerk):
    lead, members = followed_up_alone

    with pytest.raises(InvalidTransition, match=lead.number):
        services.complaint_catch_up(complaint=lead, step="resolve", actor=clerk)


def test_it_refuses_a_lead_that_has_not_taken_the_step(resolved_alone, clerk):
    lead, members = resolved_alone

    with pytest.raises(InvalidTransition):
        services.complaint_catch_up(complaint=lead, step="follow_up", actor=clerk)
    assert {member.status for member in refreshed(members)} == {ComplaintStatus.ACCEPTED, ComplaintStatus.INVESTIGATING}


def test_it_refuses_a_member(resolved_alone, clerk):
    lead, members = resolved_alone

    with pytest.raises(ApplicationError, match=lead.number) as refused:
        services.complaint_catch_up(complaint=members[0], step="resolve", actor=clerk)
    assert not isinstance(refused.value, InvalidTransition)
    assert refreshed(members)[0].status == ComplaintStatus.ACCEPTED


def test_it_counts_what_is_left_only_once_the_lead_took_the_step(incident, clerk):
    lead, members = incident
    assert services.catch_up_count(lead, "resolve") == 0
    lead = services.complaint_resolve(complaint=lead, resolution="管道已修复", customer_confirmed=False, actor=clerk)
    assert (services.catch_up_count(lead, "resolve"), services.catch_up_count(lead, "follow_up")) == (2, 0)
    assert services.catch_up_count(members[0], "resolve") == 0


# The API


def test_the_api_catches_the_incident_up_and_answers_with_the_lead(api_as, clerk, resolved_alone):
    lead, members = resolved_alone

    response = api_as(clerk).post(f"/api/complaints/{lead.pk}/catch-up/", {"step": "resolve"}, format="json")

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["status"]) == (lead.pk, "resolved")
    for member in refreshed(members):
        assert (member.status, running(member)) == (ComplaintStatus.RESOLVED, {"follow_up"})
        assert last_event(member).data == {"incident": lead.number}


def test_the_api_catches_the_follow_up_up(api_as, clerk, followed_up_alone):
    lead, members = followed_up_alone

    response = api_as(clerk).post(f"/api/complaints/{lead.pk}/catch-up/", {"step": "follow_up"}, format="json")

    assert response.status_code == 200
    for member in refreshed(members):
        assert (member.status, member.satisfaction, running(member)) == (ComplaintStatus.FOLLOWED_UP, 5, set())


def test_the_api_answers_409_when_nothing_is_left(api_as, clerk, followed_up_alone):
    lead, _members = followed_up_alone

    response = api_as(clerk).post(f"/api/complaints/{lead.pk}/catch-up/", {"step": "resolve"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert lead.number in response.json()["detail"]


def test_the_api_answers_409_before_the_lead_took_the_step(api_as, clerk, incident):
    lead, members = incident

    response = api_as(clerk).post(f"/api/complaints/{lead.pk}/catch-up/", {"step": "resolve"}, format="json")

    assert response.status_code == 409
    assert refreshed(members)[0].status == ComplaintStatus.ACCEPTED


def test_the_api_answers_400_for_a_member(api_as, clerk, resolved_alone):
    lead, members = resolved_alone

    response = api_as(clerk).post(f"/api/complaints/{members[0].pk}/catch-up/", {"step": "resolve"}, format="json")

    assert response.status_code == 400
    assert lead.number in response.json()["step"][0]
    assert refreshed(members)[0].status == ComplaintStatus.ACCEPTED


@pytest.mark.parametrize("body", [{}, {"step": "close"}, {"step": ["resolve"]}])
def test_the_api_answers_400_for_an_unknown_step(api_as, clerk, resolved_alone, body):
    lead, _members = resolved_alone

    response = api_as(clerk).post(f"/api/complaints/{lead.pk}/catch-up/", body, format="json")

    assert response.status_code == 400
    assert "step" in response.json()


def test_the_api_answers_another_hall_not_found_and_refuses_another_role(api_as, hall, north_clerk, resolved_alone):
    lead, members = resolved_alone
    worker = UserFactory(hall=hall, username="worker9", roles=[Role.REPAIR_WORKER])

    for user, answer in ((north_clerk, 404), (worker, 403)):
        response = api_as(user).post(f"/api/complaints/{lead.pk}/catch-up/", {"step": "resolve"}, format="json")
        assert response.status_code == answer
    assert {member.status for member in refreshed(members)} == {ComplaintStatus.ACCEPTED, ComplaintStatus.INVESTIGATING}


def test_an_unknown_complaint_is_not_found(api_as, clerk):
    response = api_as(clerk).post("/api/complaints/999999/catch-up/", {"step": "resolve"}, format="json")

    assert response.status_code == 404
