"""The incident's other complaints catch up from the pages once its first complaint took the step alone."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintStatus
from hall.models import Role, SlaClock
from hall.timeline import timeline_for
from tests.factories import UserFactory, accept_complaint

pytestmark = pytest.mark.django_db

RESOLVE_ALL = "Resolve the 2 remaining complaints of this incident"
FOLLOW_UP_ALL = "Record the follow-up for the 2 remaining complaints of this incident"


PAGE_LANGUAGE = "en"  # see client_as in tests/conftest.py


@pytest.fixture
def incident(hall, clerk):
    lead = accept_complaint(hall, actor=clerk, category="outage", description="3 号楼没有暖气")
    members = [accept_complaint(hall, actor=clerk, phone=f"1370000000{n}", group=lead) for n in range(2)]
    return lead, members


@pytest.fixture
def resolved_alone(incident, clerk):
    lead, members = incident
    services.complaint_resolve(complaint=lead, resolution="管道已修复", customer_confirmed=True, actor=clerk)
    return lead, members


@pytest.fixture
def followed_up_alone(incident, clerk):
    lead, members = incident
    services.complaint_resolve(
        complaint=lead, resolution="管道已修复", customer_confirmed=True, apply_to_group=True, actor=clerk
    )
    services.complaint_follow_up(complaint=lead, satisfaction=4, note="客户满意", actor=clerk)
    return lead, members


def act(client, complaint, action, htmx=False, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("complaint-action", args=[complaint.pk, action]), data, **headers)


def statuses(complaints) -> set[str]:
    return set(Complaint.objects.filter(pk__in=[c.pk for c in complaints]).values_list("status", flat=True))


def running(complaint) -> set[str]:
    return {c.name for c in SlaClock.objects.filter(object_id=complaint.pk, stopped_at__isnull=True)}


def page(client, name, complaint) -> str:
    return client.get(reverse(name, args=[complaint.pk])).content.decode()


def test_the_lead_and_the_incident_page_offer_to_resolve_the_rest(client_as, clerk, resolved_alone):
    lead, members = resolved_alone
    client = client_as(clerk)
    for name in ("complaint-detail", "complaint-incident"):
        html = page(client, name, lead)
        assert RESOLVE_ALL in html
        assert reverse("complaint-action", args=[lead.pk, "incident-resolve"]) in html
    assert RESOLVE_ALL not in page(client, "complaint-detail", members[0])


def test_nothing_is_offered_before_the_lead_took_the_step_or_once_everything_did(client_as, clerk, incident):
    lead, _members = incident
    client = client_as(clerk)
    assert "incident-resolve" not in page(client, "complaint-incident", lead)
    services.complaint_resolve(
        complaint=lead, resolution="管道已修复", customer_confirmed=False, apply_to_group=True, actor=clerk
    )
    html = page(client, "complaint-incident", lead)
    assert "incident-resolve" not in html
    assert "incident-follow-up" not in html


def test_resolving_the_rest_from_the_incident_page(client_as, clerk, resolved_alone):
    lead, members = resolved_alone
    here = reverse("complaint-incident", args=[lead.pk])

    response = act(client_as(clerk), lead, "incident-resolve", next=here)

    assert response.url == here
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{lead.number}: the rest of its incident is resolved with its resolution."
    ]
    assert statuses(members) == {ComplaintStatus.RESOLVED}
    for member in members:
        member.refresh_from_db()
        assert (member.resolution, member.customer_confirmed, running(member)) == ("管道已修复", True, {"follow_up"})
        event = timeline_for(member).latest("id")
        assert (event.action, event.data) == ("resolve", {"incident": lead.number})


def test_following_up_the_rest_from_the_lead_with_htmx(client_as, clerk, followed_up_alone):
    lead, members = followed_up_alone
    client = client_as(clerk)
    assert FOLLOW_UP_ALL in page(client, "complaint-detail", lead)

    response = act(client, lead, "incident-follow-up", htmx=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"{lead.number}: the follow-up is recorded for the rest of its incident." in html
    assert FOLLOW_UP_ALL not in html
    assert statuses(members) == {ComplaintStatus.FOLLOWED_UP}
    for member in members:
        member.refresh_from_db()
        assert (member.satisfaction, member.follow_up_note, running(member)) == (4, "客户满意", set())
        assert timeline_for(member).latest("id").data == {"satisfaction": 4, "incident": lead.number}


def test_nothing_left_is_refused_with_a_message(client_as, clerk, followed_up_alone):
    lead, members = followed_up_alone

    response = act(client_as(clerk), lead, "incident-resolve", htmx=True)

    assert f"No complaint of incident {lead.number} is left to resolve." in response.content.decode()
    assert statuses(members) == {ComplaintStatus.RESOLVED}


def test_a_member_is_refused_with_a_message(client_as, clerk, resolved_alone):
    lead, members = resolved_alone

    response = act(client_as(clerk), members[0], "incident-resolve", htmx=True)

    assert f"from its first complaint, {lead.number}" in response.content.decode()
    assert statuses(members) == {ComplaintStatus.ACCEPTED}


def test_only_the_owner_or_a_manager_resolves_the_rest(client_as, hall, resolved_alone):
    lead, members = resolved_alone
    handler = UserFactory(hall=hall, username="handler9", roles=[Role.COMPLAINT_HANDLER])
    client = client_as(handler)

    assert RESOLVE_ALL not in page(client, "complaint-incident", lead)
    assert act(client, lead, "incident-resolve").status_code == 403
    assert statuses(members) == {ComplaintStatus.ACCEPTED}


def test_another_role_is_forbidden_and_another_hall_not_found(client_as, hall, other_clerk, resolved_alone):
    lead, members = resolved_alone
    worker = UserFactory(hall=hall, username="worker9", roles=[Role.REPAIR_WORKER])

    for user, answer in ((worker, 403), (other_clerk, 404)):
        assert act(client_as(user), lead, "incident-resolve").status_code == answer
    assert statuses(members) == {ComplaintStatus.ACCEPTED}
