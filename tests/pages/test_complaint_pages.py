import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintEvidence, ComplaintStatus
from hall.models import Customer, Role, TimelineEvent
from tests.complaints.test_api import advance
from tests.factories import UserFactory, accept_complaint, register_repair
from tests.files import PNG, upload
from tests.records import assert_unchanged, state

pytestmark = pytest.mark.django_db

PHONE = "13700137000"


@pytest.fixture
def duty(hall):
    return UserFactory(hall=hall, username="duty", name="李值班", roles=[Role.DUTY_MANAGER])


@pytest.fixture
def handler(hall):
    return UserFactory(hall=hall, username="handler1", name="投诉专员1", roles=[Role.COMPLAINT_HANDLER])


@pytest.fixture
def handed(complaint, clerk, handler):
    return services.complaint_hand_over(complaint=complaint, to=handler, reason="转投诉专员", actor=clerk)


@pytest.fixture
def resolved(handed, handler):
    return services.complaint_resolve(
        complaint=handed, resolution="抄表错误，已退还多收电费", customer_confirmed=True, actor=handler
    )


def act(client, complaint, action, htmx=False, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("complaint-action", args=[complaint.pk, action]), data, **headers)


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def refreshed(complaint) -> Complaint:
    complaint.refresh_from_db()
    return complaint


def form_data(**changes) -> dict:
    return {
        "channel": "counter",
        "phone": "13900139000",
        "customer_name": "王五",
        "address": "人民路 9 号",
        "category": "billing",
        "description": "电费翻倍",
        **changes,
    }


# Who may open which page


@pytest.mark.parametrize("name", ["complaint-desk", "complaint-accept", "complaint-intake-history"])
def test_it_sends_anonymous_visitors_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_sends_anonymous_visitors_of_a_complaint_to_log_in(client, complaint):
    for name, args in [
        ("complaint-detail", [complaint.pk]),
        ("complaint-incident", [complaint.pk]),
        ("complaint-action", [complaint.pk, "close"]),
    ]:
        assert client.post(reverse(name, args=args)).url.startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.CLERK, Role.DUTY_MANAGER, Role.HALL_MANAGER, Role.COMPLAINT_HANDLER])
def test_the_desk_opens_for_the_hall_staff_who_take_complaints(client_as, hall, complaint, role):
    user = UserFactory(hall=hall, roles=[role])
    response = client_as(user).get(reverse("complaint-desk"), {"view": "hall"})
    assert response.status_code == 200
    assert complaint.number in response.content.decode()
    assert reverse("complaint-accept") in response.content.decode()


def test_repair_workers_are_refused(client_as, worker, complaint):
    assert client_as(worker).get(reverse("complaint-desk")).status_code == 403
    assert client_as(worker).get(reverse("complaint-accept")).status_code == 403
    assert client_as(worker).get(reverse("complaint-detail", args=[complaint.pk])).status_code == 403


def test_a_complaint_of_another_hall_is_not_found(client_as, other_clerk, complaint):
    page = client_as(other_clerk)
    assert page.get(reverse("complaint-detail", args=[complaint.pk])).status_code == 404
    assert page.get(reverse("complaint-incident", args=[complaint.pk])).status_code == 404
    assert act(page, complaint, "investigate", note="x").status_code == 404
    assert refreshed(complaint).status == ComplaintStatus.ACCEPTED


def test_the_desk_shows_no_complaint_of_another_hall(client_as, other_clerk, complaint):
    html = client_as(other_clerk).get(reverse("complaint-desk"), {"view": "hall"}).content.decode()
    assert complaint.number not in html


def test_an_unknown_complaint_is_not_found(client_as, clerk, db):
    assert client_as(clerk).get(reverse("complaint-detail", args=[999999])).status_code == 404


def test_an_unknown_action_is_not_found(client_as, clerk, complaint):
    assert act(client_as(clerk), complaint, "explode").status_code == 404


def test_the_nav_links_the_complaint_desk_for_its_roles_only(client_as, handler, worker):
    assert reverse("complaint-desk") in client_as(handler).get(reverse("notifications")).content.decode()
    assert reverse("complaint-desk") not in client_as(worker).get(reverse("notifications")).content.decode()


# Desk


def test_the_desk_opens_on_my_open_complaints(client_as, hall, clerk, complaint, handler):
    theirs = accept_complaint(hall, actor=handler, phone="13900000001")
    html = client_as(clerk).get(reverse("complaint-desk")).content.decode()
    assert complaint.number in html
    assert theirs.number not in html


def test_my_list_puts_the_overdue_complaint_first(client_as, hall, clerk, clock):
    late = accept_complaint(hall, actor=clerk, phone="13900000001")
    clock.shift(dt.timedelta(hours=3))
    fresh = accept_complaint(hall, actor=clerk, phone="13900000002")
    html = client_as(clerk).get(reverse("complaint-desk")).content.decode()
    assert html.index(late.number) < html.index(fresh.number)
    assert 'class="sla-row sla-overdue"' in html


def test_the_hall_list_filters_by_status_owner_overdue_and_search(client_as, hall, clerk, handler, clock):
    mine = accept_complaint(hall, actor=clerk, phone="13900000001", customer_name="赵六")
    clock.shift(dt.timedelta(hours=3))
    theirs = accept_complaint(hall, actor=handler, phone="13900000002")
    services.complaint_investigate(complaint=theirs, note="已联系", actor=handler)
    page = client_as(clerk)

    def listed(**params):
        return page.get(reverse("complaint-desk"), {"view": "hall", **params}).content.decode()

    assert mine.number not in listed(status="investigating")
    assert theirs.number in listed(status="investigating")
    assert theirs.number not in listed(owner=str(clerk.pk))
    assert mine.number in listed(overdue="1")
    assert theirs.number not in listed(overdue="1")
    assert theirs.number not in listed(q="赵六")
    assert mine.number in listed(q="赵六")


def test_the_hall_list_orders_the_soonest_due_first_on_request(client_as, hall, clerk, clock):
    first = accept_complaint(hall, actor=clerk, phone="13900000001")
    clock.shift(dt.timedelta(minutes=5))
    second = accept_complaint(hall, actor=clerk, phone="13900000002")
    page = client_as(clerk)
    newest = page.get(reverse("complaint-desk"), {"view": "hall"}).content.decode()
    due = page.get(reverse("complaint-desk"), {"view": "hall", "order": "due"}).content.decode()
    assert newest.index(second.number) < newest.index(first.number)
    assert due.index(first.number) < due.index(second.number)


def test_bad_filter_values_show_a_message_and_no_error(client_as, clerk, complaint):
    params = {"view": "all", "status": "burning", "owner": "¹", "order": "up", "page": "x", "q": "x" * 201}
    response = client_as(clerk).get(reverse("complaint-desk"), params)
    assert response.status_code == 200
    assert len(texts(response)) == 5
    assert complaint.number in response.content.decode()


# Intake


def test_accepting_makes_the_clerk_the_owner_and_says_what_to_tell_the_customer(client_as, clerk, hall, clock):
    response = client_as(clerk).post(reverse("complaint-accept"), form_data(channel="phone"))
    complaint = Complaint.objects.get(phone="13900139000")
    assert response.status_code == 302
    assert response.url == reverse("complaint-detail", args=[complaint.pk])
    assert (complaint.hall, complaint.owner, complaint.accepted_by, complaint.channel) == (hall, clerk, clerk, "phone")
    message = texts(response)[0]
    assert complaint.number in message
    assert "2026-03-02 11:00" in message
    assert "2026-03-23 23:59" in message


def test_a_loss_still_going_on_makes_it_urgent(client_as, clerk):
    client_as(clerk).post(reverse("complaint-accept"), form_data(ongoing_loss="on"))
    assert Complaint.objects.get().urgent


def test_a_form_with_errors_is_shown_again_without_accepting(client_as, clerk):
    page = client_as(clerk)
    data = form_data(customer_name="", phone="abc", category="nothing", channel="web")
    response = page.post(reverse("complaint-accept"), data)
    assert response.status_code == 200
    assert response.content.decode().count('class="field-error"') == 4
    assert 'value="人民路 9 号"' in response.content.decode()
    assert page.post(reverse("complaint-accept"), data, HTTP_HX_REQUEST="true").status_code == 400
    assert not Complaint.objects.exists()


def test_a_complaint_can_join_an_open_incident(client_as, clerk, complaint):
    html = client_as(clerk).get(reverse("complaint-accept")).content.decode()
    assert f'<option value="{complaint.pk}"' in html
    client_as(clerk).post(reverse("complaint-accept"), form_data(group=str(complaint.pk)))
    assert Complaint.objects.get(phone="13900139000").group == complaint


def test_an_incident_of_another_hall_cannot_be_joined(client_as, other_clerk, complaint):
    response = client_as(other_clerk).post(reverse("complaint-accept"), form_data(group=str(complaint.pk)))
    assert response.status_code == 200
    assert not Complaint.objects.filter(phone="13900139000").exists()


def test_the_history_shows_flags_repeat_count_earlier_complaints_and_repairs(client_as, clerk, hall):
    Customer.objects.create(
        hall=hall,
        name="王奶奶",
        phone=PHONE,
        elderly_alone=True,
        key_customer=True,
        blacklisted=True,
        blacklist_reason="多次辱骂营业员",
    )
    first = accept_complaint(hall, actor=clerk)
    second = accept_complaint(hall, actor=clerk, description="仍未退费")
    repair = register_repair(hall, actor=clerk, phone=PHONE)
    response = client_as(clerk).get(reverse("complaint-intake-history"), {"phone": PHONE})
    html = response.content.decode()
    assert response.status_code == 200
    assert "王奶奶" in html
    assert html.count('class="badge badge-flag"') == 3
    assert "多次辱骂营业员" in html
    assert 'class="message message-warn repeat-warning"' in html
    assert "3" in html.split("repeat-warning")[1].split("</p>")[0]
    assert first.number in html and second.number in html and repair.number in html


def test_the_history_of_a_new_number_shows_nothing_to_worry_about(client_as, clerk, complaint):
    html = client_as(clerk).get(reverse("complaint-intake-history"), {"phone": "13999999999"}).content.decode()
    assert "repeat-warning" not in html
    assert complaint.number not in html


def test_the_intake_page_is_shown_again_with_the_history_of_the_typed_phone(client_as, clerk, complaint):
    response = client_as(clerk).post(reverse("complaint-accept"), form_data(phone=PHONE, description=""))
    assert complaint.number in response.content.decode()


# Detail


def test_the_detail_masks_the_phone_for_clerks_and_shows_it_to_handlers(client_as, clerk, handler, complaint):
    clerk_html = client_as(clerk).get(reverse("complaint-detail", args=[complaint.pk])).content.decode()
    handler_html = client_as(handler).get(reverse("complaint-detail", args=[complaint.pk])).content.decode()
    assert "137****7000" in clerk_html
    assert PHONE not in clerk_html
    assert f'href="tel:{PHONE}"' in handler_html


def test_the_detail_shows_the_promised_times_and_the_timeline_with_names(clock, client_as, clerk, handed, handler):
    html = client_as(clerk).get(reverse("complaint-detail", args=[handed.pk])).content.decode()
    assert html.count('class="actor"') == 2
    assert clerk.display_name in html
    assert f"→ {handler.display_name}" in html
    assert "03-02 11:00" in html
    assert html.count("promise-") == 3


def test_the_owner_gets_every_step_of_the_state_and_others_only_the_follow_up(client_as, clerk, handler, handed):
    owner_html = client_as(handler).get(reverse("complaint-detail", args=[handed.pk])).content.decode()
    clerk_html = client_as(clerk).get(reverse("complaint-detail", args=[handed.pk])).content.decode()
    for action in ("investigate", "progress", "resolve", "hand-over"):
        assert reverse("complaint-action", args=[handed.pk, action]) in owner_html
        assert reverse("complaint-action", args=[handed.pk, action]) not in clerk_html
    assert reverse("complaint-action", args=[handed.pk, "close"]) not in owner_html


# Actions


def test_the_owner_investigates_with_a_note_and_evidence(client_as, handler, handed):
    photo = upload("meter.png", PNG, "image/png")
    response = act(client_as(handler), handed, "investigate", note="已联系客户，核对抄表", evidence=[photo])
    assert response.status_code == 302
    assert refreshed(handed).status == ComplaintStatus.INVESTIGATING
    assert handed.first_contact_at is not None
    assert ComplaintEvidence.objects.filter(complaint=handed).count() == 1
    detail = client_as(handler).get(reverse("complaint-detail", args=[handed.pk])).content.decode()
    evidence = ComplaintEvidence.objects.get()
    assert reverse("complaint-evidence", args=[handed.pk, evidence.pk]) in detail


def test_a_bad_evidence_file_is_refused_and_nothing_changes(client_as, handler, handed):
    fake = SimpleUploadedFile("meter.png", b"MZ\x90\x00 not a photo", content_type="image/png")
    response = act(client_as(handler), handed, "investigate", note="已联系客户", evidence=[fake])
    assert "meter.png" in texts(response)[0]
    assert refreshed(handed).status == ComplaintStatus.ACCEPTED
    assert handed.first_contact_at is None
    assert not ComplaintEvidence.objects.exists()
    assert not TimelineEvent.objects.filter(object_id=handed.pk, action="investigate").exists()


def test_an_investigation_needs_a_note(client_as, handler, handed):
    assert texts(act(client_as(handler), handed, "investigate", note=" "))
    assert refreshed(handed).status == ComplaintStatus.ACCEPTED


def test_the_owner_gives_a_progress_report(client_as, handler, handed):
    act(client_as(handler), handed, "progress", note="正在核查抄表记录")
    assert TimelineEvent.objects.filter(object_id=handed.pk, action="progress", note="正在核查抄表记录").exists()
    assert refreshed(handed).first_contact_at is not None


def test_the_owner_resolves_with_the_customers_confirmation(client_as, handler, handed):
    response = act(client_as(handler), handed, "resolve", resolution="已退费", customer_confirmed="on")
    assert handed.number in texts(response)[0]
    assert (refreshed(handed).status, handed.resolution, handed.customer_confirmed) == (
        ComplaintStatus.RESOLVED,
        "已退费",
        True,
    )


def test_someone_who_does_not_own_it_may_not_resolve(client_as, clerk, handed):
    assert act(client_as(clerk), handed, "resolve", resolution="x").status_code == 403
    assert refreshed(handed).status == ComplaintStatus.ACCEPTED


@pytest.mark.parametrize(
    ("status", "action", "data"),
    [
        (ComplaintStatus.ACCEPTED, "investigate", {"note": "已联系"}),
        (ComplaintStatus.ACCEPTED, "progress", {"note": "正在核查"}),
        (ComplaintStatus.ACCEPTED, "resolve", {"resolution": "已退费"}),
        (ComplaintStatus.ACCEPTED, "hand-over", {"to": "DUTY", "reason": "接手"}),
        (ComplaintStatus.RESOLVED, "reopen", {"reason": "仍未到账"}),
        (ComplaintStatus.FOLLOWED_UP, "close", {}),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_someone_who_does_not_own_it_gets_403_on_every_step_but_the_follow_up(
    client_as, clerk, duty, handler, handed, status, action, data
):
    complaint = advance(handed, status, actor=handler)
    before = state(complaint)

    response = act(client_as(clerk), complaint, action, **{k: duty.pk if v == "DUTY" else v for k, v in data.items()})

    assert response.status_code == 403
    assert_unchanged(complaint, before, status)


def test_a_satisfied_follow_up_by_the_clerk_and_the_owner_closes(client_as, clerk, handler, resolved):
    act(client_as(clerk), resolved, "follow-up", satisfaction="5", note="客户满意")
    assert (refreshed(resolved).status, resolved.satisfaction) == (ComplaintStatus.FOLLOWED_UP, 5)
    act(client_as(handler), resolved, "close")
    assert refreshed(resolved).status == ComplaintStatus.CLOSED


def test_an_unsatisfied_follow_up_reopens_to_investigation(client_as, clerk, handler, resolved):
    response = act(client_as(clerk), resolved, "follow-up", satisfaction="2", note="退费金额不对")
    assert handler.display_name in texts(response)[0]
    assert (refreshed(resolved).status, resolved.reopen_count) == (ComplaintStatus.INVESTIGATING, 1)


def test_a_follow_up_without_a_score_is_refused(client_as, clerk, resolved):
    assert texts(act(client_as(clerk), resolved, "follow-up", satisfaction="9"))
    assert refreshed(resolved).status == ComplaintStatus.RESOLVED


def test_the_owner_reopens_with_a_reason(client_as, handler, resolved):
    act(client_as(handler), resolved, "reopen", reason="客户来电说仍未到账")
    assert refreshed(resolved).status == ComplaintStatus.INVESTIGATING
    assert TimelineEvent.objects.filter(object_id=resolved.pk, action="reopen", note="客户来电说仍未到账").exists()


def test_the_owner_hands_over_to_a_handler(client_as, clerk, handler, complaint):
    response = act(client_as(clerk), complaint, "hand-over", to=str(handler.pk), reason="需专员核查")
    assert handler.display_name in texts(response)[0]
    assert refreshed(complaint).owner == handler


def test_a_hand_over_needs_someone_of_this_hall_and_a_reason(client_as, clerk, other_clerk, handler, complaint):
    page = client_as(clerk)
    assert texts(act(page, complaint, "hand-over", to=str(other_clerk.pk), reason="x"))
    assert texts(act(page, complaint, "hand-over", to=str(handler.pk), reason=""))
    assert refreshed(complaint).owner == clerk


def test_a_clerk_who_no_longer_owns_it_may_not_hand_it_over(client_as, clerk, duty, handed):
    assert act(client_as(clerk), handed, "hand-over", to=str(duty.pk), reason="x").status_code == 403


def test_a_manager_hands_over_someone_elses_complaint(client_as, duty, handler, complaint):
    act(client_as(duty), complaint, "hand-over", to=str(handler.pk), reason="值班经理分派")
    assert refreshed(complaint).owner == handler


def test_an_action_not_allowed_now_shows_an_error_and_changes_nothing(client_as, clerk, complaint):
    response = act(client_as(clerk), complaint, "close", htmx=True)
    assert 'class="message message-error"' in response.content.decode()
    assert refreshed(complaint).status == ComplaintStatus.ACCEPTED
    assert TimelineEvent.objects.filter(object_id=complaint.pk).count() == 1


def test_an_htmx_action_answers_the_panel_with_its_outcome(client_as, clerk, complaint):
    response = act(client_as(clerk), complaint, "progress", htmx=True, note="已电话告知处理进度")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="complaint-panel"')
    assert 'class="message message-info"' in html


def test_an_unsafe_next_address_is_ignored(client_as, clerk, complaint):
    response = act(client_as(clerk), complaint, "progress", note="x", next="https://evil.example/")
    assert response.url == reverse("complaint-detail", args=[complaint.pk])


# Incidents


@pytest.fixture
def incident(hall, clerk):
    lead = accept_complaint(hall, actor=clerk, category="outage", description="3 号楼没有暖气")
    members = [accept_complaint(hall, actor=clerk, phone=f"1370000000{n}", group=lead) for n in range(2)]
    return lead, members


def test_the_incident_page_of_a_member_shows_the_lead_and_every_member(client_as, clerk, incident):
    lead, members = incident
    html = client_as(clerk).get(reverse("complaint-incident", args=[members[1].pk])).content.decode()
    assert lead.number in html.split("<h1>")[1].split("</h1>")[0]
    assert html.count('class="repair-number complaint-number"') == 3


def test_the_detail_of_a_lead_offers_to_resolve_the_whole_incident(client_as, clerk, incident):
    lead, _members = incident
    html = client_as(clerk).get(reverse("complaint-detail", args=[lead.pk])).content.decode()
    assert 'name="apply_to_group"' in html
    assert reverse("complaint-incident", args=[lead.pk]) in html


def test_resolve_all_and_follow_up_all_from_the_incident_page(client_as, clerk, incident):
    lead, members = incident
    page = client_as(clerk)
    here = reverse("complaint-incident", args=[lead.pk])
    response = act(page, lead, "resolve", resolution="管道已修复", apply_to_group="on", next=here)
    assert response.url == here
    assert {refreshed(member).status for member in members} == {ComplaintStatus.RESOLVED}
    act(page, lead, "follow-up", satisfaction="4", apply_to_group="on", next=here)
    assert {refreshed(member).status for member in [lead, *members]} == {ComplaintStatus.FOLLOWED_UP}


# The public form and the tracking page


def test_the_public_form_needs_no_login(client, hall):
    response = client.get(reverse("complaint-public-form", args=[hall.code]))
    assert response.status_code == 200
    assert 'name="description"' in response.content.decode()


def test_the_public_form_of_an_unknown_hall_is_not_found(client, db):
    assert client.get(reverse("complaint-public-form", args=["nowhere"])).status_code == 404


def test_a_web_complaint_is_owned_by_the_duty_manager_and_thanks_the_customer(client, hall, duty, clock):
    data = form_data()
    data.pop("channel")
    response = client.post(reverse("complaint-public-form", args=[hall.code]), data)
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.owner, complaint.accepted_by) == ("web", duty, None)
    assert response.url == reverse("complaint-track", args=[complaint.token]) + "?thanks=1"
    html = client.get(response.url).content.decode()
    assert complaint.number in html
    assert "03-02 11:00" in html
    assert reverse("complaint-track", args=[complaint.token]) in html.split('class="track-link"')[1]


def test_a_public_form_with_errors_is_shown_again(client, hall, duty):
    response = client.post(reverse("complaint-public-form", args=[hall.code]), form_data(phone="", description=""))
    assert response.status_code == 400
    assert response.content.decode().count('class="field-error"') == 2
    assert not Complaint.objects.exists()


def test_the_public_form_answers_429_after_5_complaints_a_minute(client, hall, duty, clock):
    url = reverse("complaint-public-form", args=[hall.code])
    for n in range(5):
        assert client.post(url, form_data(phone=f"1390000000{n}")).status_code == 302
    response = client.post(url, form_data(phone="13900000009"))
    assert response.status_code == 429
    assert 'class="message message-error"' in response.content.decode()
    assert Complaint.objects.count() == 5
    clock.shift(dt.timedelta(minutes=1))
    assert client.post(url, form_data(phone="13900000009")).status_code == 302


def test_the_tracking_page_shows_progress_and_resolution_but_no_internal_notes(client, clerk, handler, handed):
    services.complaint_investigate(complaint=handed, note="内部：怀疑抄表员漏抄", actor=handler)
    services.complaint_resolve(complaint=handed, resolution="已退还多收电费", customer_confirmed=True, actor=handler)
    response = client.get(reverse("complaint-track", args=[handed.token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert handed.number in html
    assert "已退还多收电费" in html
    assert "内部" not in html and "转投诉专员" not in html
    assert PHONE not in html and handed.customer_name not in html
    assert html.count("progress-step is-done") == 3


def test_the_tracking_page_answers_404_for_an_unknown_token(client, db):
    assert client.get(reverse("complaint-track", args=["nope"])).status_code == 404


def test_the_tracking_page_polls_and_gets_204_while_nothing_changed(client, complaint, clerk):
    url = reverse("complaint-track", args=[complaint.token])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 30s"' in html
    version = html.split("?v=")[1].split('"')[0]
    assert client.get(f"{url}?v={version}", HTTP_HX_REQUEST="true").status_code == 204
    services.complaint_investigate(complaint=complaint, note="已联系", actor=clerk)
    changed = client.get(f"{url}?v={version}", HTTP_HX_REQUEST="true")
    assert changed.status_code == 200
    assert changed.content.decode().startswith('<section id="complaint-live"')
