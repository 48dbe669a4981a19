import pytest

from complaints.models import Complaint, ComplaintStatus
from hall.models import Customer, Role
from tests.asserts import assert_field_errors, assert_invalid_transition
from tests.complaints.test_api import advance, complaint_body
from tests.factories import UserFactory, accept_complaint
from tests.files import JPEG, upload
from tests.records import assert_no_file_kept, assert_nothing_stored, assert_unchanged, state

pytestmark = pytest.mark.django_db


# Accepting


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", "fax"),
        ("channel", ""),
        ("channel", None),
        ("category", "weather"),
        ("category", ""),
        ("phone", "1" * 21),
        ("phone", "call me"),
        ("phone", "12"),
        ("customer_name", "李" * 101),
        ("customer_name", "  "),
        ("address", "路" * 201),
        ("description", "贵" * 2001),
        ("description", ""),
        ("description", "电费\x00"),
        ("ongoing_loss", "maybe"),
        ("hall", "one"),
        ("hall", 10**30),
        ("group", "first"),
        ("group", -1),
        ("group", 0),
        ("group", 10**30),
        ("group", [1]),
    ],
)
def test_bad_input_answers_400_and_accepts_nothing(api_as, hall, clerk, field, value):
    response = api_as(clerk).post("/api/complaints/", {**complaint_body(hall), field: value}, format="json")

    assert_field_errors(response, field)
    assert_nothing_stored()


def test_an_unknown_hall_answers_400(api_as, hall, clerk):
    response = api_as(clerk).post("/api/complaints/", {**complaint_body(hall), "hall": hall.pk + 1000}, format="json")

    assert_field_errors(response, "hall")
    assert_nothing_stored()


def test_an_unknown_incident_answers_400(api_as, hall, clerk, complaint):
    before = Complaint.objects.count(), Customer.objects.count()

    response = api_as(clerk).post(
        "/api/complaints/", complaint_body(hall, phone="13900000000", group=complaint.pk + 1000), format="json"
    )

    assert_field_errors(response, "group")
    assert (Complaint.objects.count(), Customer.objects.count()) == before


def test_another_halls_complaint_cannot_be_the_incident(api_as, hall, clerk, north, north_clerk):
    elsewhere = accept_complaint(north, actor=north_clerk)

    response = api_as(clerk).post("/api/complaints/", complaint_body(hall, group=elsewhere.pk), format="json")

    assert_field_errors(response, "group")
    assert list(Complaint.objects.all()) == [elsewhere]


def test_missing_fields_answer_400_naming_each(api_as, clerk):
    response = api_as(clerk).post("/api/complaints/", {}, format="json")

    assert_field_errors(response, "hall", "customer_name", "phone", "channel", "category", "description")
    assert_nothing_stored()


@pytest.mark.parametrize("body", [b'{"hall": 1, "channel": ', b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_a_malformed_body_answers_400(api_as, clerk, body):
    response = api_as(clerk).post("/api/complaints/", body, content_type="application/json")

    assert_field_errors(response, "non_field_errors")
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("body", "code"), [(b'{"channel": "web", "hall": ', 400), (b'[{"channel": "web"}]', 401), (b"\xff", 400)]
)
def test_a_malformed_body_without_a_login_is_refused(api, body, code):
    response = api.post("/api/complaints/", body, content_type="application/json")

    assert response.status_code == code
    assert_nothing_stored()


def test_bad_input_on_the_web_form_answers_400(api, hall, duty):
    response = api.post("/api/complaints/", complaint_body(hall, channel="web", category="weather"), format="json")

    assert_field_errors(response, "category")
    assert_nothing_stored()


# Actions


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("investigate", {}, "note"),
        ("investigate", {"note": ""}, "note"),
        ("investigate", {"note": "查" * 2001}, "note"),
        ("progress", {}, "note"),
        ("progress", {"note": "进" * 2001}, "note"),
        ("resolve", {}, "resolution"),
        ("resolve", {"resolution": "退" * 2001}, "resolution"),
        ("resolve", {"resolution": "已退费", "customer_confirmed": "perhaps"}, "customer_confirmed"),
        ("resolve", {"resolution": "已退费", "apply_to_group": "maybe"}, "apply_to_group"),
    ],
)
def test_bad_action_input_answers_400_and_changes_nothing(api_as, clerk, complaint, action, body, field):
    before = state(complaint)

    response = api_as(clerk).post(f"/api/complaints/{complaint.pk}/{action}/", body, format="json")

    assert_field_errors(response, field)
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)


@pytest.mark.parametrize("satisfaction", [0, 6, "x", None, 4.5, -1])
def test_a_satisfaction_outside_1_to_5_answers_400(api_as, clerk, complaint, satisfaction):
    advance(complaint, ComplaintStatus.RESOLVED, actor=clerk)
    before = state(complaint)

    response = api_as(clerk).post(
        f"/api/complaints/{complaint.pk}/follow-up/", {"satisfaction": satisfaction, "note": "好"}, format="json"
    )

    assert_field_errors(response, "satisfaction")
    assert_unchanged(complaint, before, ComplaintStatus.RESOLVED)


def test_an_over_long_follow_up_note_answers_400(api_as, clerk, complaint):
    advance(complaint, ComplaintStatus.RESOLVED, actor=clerk)
    before = state(complaint)

    response = api_as(clerk).post(
        f"/api/complaints/{complaint.pk}/follow-up/", {"satisfaction": 5, "note": "好" * 2001}, format="json"
    )

    assert_field_errors(response, "note")
    assert_unchanged(complaint, before, ComplaintStatus.RESOLVED)


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "因" * 2001}])
def test_reopening_needs_a_reason(api_as, clerk, complaint, body):
    advance(complaint, ComplaintStatus.RESOLVED, actor=clerk)
    before = state(complaint)

    response = api_as(clerk).post(f"/api/complaints/{complaint.pk}/reopen/", body, format="json")

    assert_field_errors(response, "reason")
    assert_unchanged(complaint, before, ComplaintStatus.RESOLVED)


def test_applying_to_the_group_from_a_member_answers_400(api_as, hall, clerk, complaint):
    member = accept_complaint(hall, actor=clerk, phone="13900000000", group=complaint)
    before = state(member)

    response = api_as(clerk).post(
        f"/api/complaints/{member.pk}/resolve/", {"resolution": "已修复", "apply_to_group": True}, format="json"
    )

    assert_field_errors(response, "apply_to_group")
    assert complaint.number in response.json()["apply_to_group"][0]
    assert_unchanged(member, before, ComplaintStatus.ACCEPTED)


# Hand-over


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "转专员"}, "to"),
        ({"to": "handler1", "reason": "转专员"}, "to"),
        ({"to": -1, "reason": "转专员"}, "to"),
        ({"to": 10**30, "reason": "转专员"}, "to"),
        ({"to": None, "reason": "转专员"}, "to"),
        ({"to": "HANDLER"}, "reason"),
        ({"to": "HANDLER", "reason": ""}, "reason"),
        ({"to": "HANDLER", "reason": "因" * 2001}, "reason"),
    ],
)
def test_bad_hand_over_input_answers_400_and_changes_nothing(api_as, clerk, handler, complaint, body, field):
    body = {key: handler.pk if value == "HANDLER" else value for key, value in body.items()}
    before = state(complaint)

    response = api_as(clerk).post(f"/api/complaints/{complaint.pk}/hand-over/", body, format="json")

    assert_field_errors(response, field)
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)


def test_a_complaint_cannot_go_to_another_hall(api_as, clerk, north_clerk, complaint):
    before = state(complaint)

    response = api_as(clerk).post(
        f"/api/complaints/{complaint.pk}/hand-over/", {"to": north_clerk.pk, "reason": "转"}, format="json"
    )

    assert_field_errors(response, "to")
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)


def test_a_complaint_cannot_go_to_someone_who_left(api_as, hall, clerk, complaint):
    left = UserFactory(hall=hall, username="left", roles=[Role.COMPLAINT_HANDLER], is_active=False)
    before = state(complaint)

    response = api_as(clerk).post(
        f"/api/complaints/{complaint.pk}/hand-over/", {"to": left.pk, "reason": "转"}, format="json"
    )

    assert_field_errors(response, "to")
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)


def test_handing_over_to_the_owner_answers_400(api_as, clerk, complaint):
    before = state(complaint)

    response = api_as(clerk).post(
        f"/api/complaints/{complaint.pk}/hand-over/", {"to": clerk.pk, "reason": "转"}, format="json"
    )

    assert_field_errors(response, "to")
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)


# Correcting the intake


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "weather"),
        ("description", ""),
        ("description", "贵" * 2001),
        ("customer_name", "李" * 101),
        ("customer_name", ""),
        ("address", "路" * 201),
    ],
)
def test_a_bad_correction_answers_400_and_changes_nothing(api_as, clerk, complaint, field, value):
    before = state(complaint)

    response = api_as(clerk).patch(f"/api/complaints/{complaint.pk}/", {field: value}, format="json")

    assert_field_errors(response, field)
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)


@pytest.mark.parametrize("body", [b'{"description": ', b"[1]", b'"text"'])
def test_a_malformed_correction_answers_400(api_as, clerk, complaint, body):
    before = state(complaint)

    response = api_as(clerk).patch(f"/api/complaints/{complaint.pk}/", body, content_type="application/json")

    assert_field_errors(response, "non_field_errors")
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)


@pytest.mark.parametrize("field", ["category", "description"])
def test_a_correction_holding_a_lone_surrogate_answers_400(api_as, clerk, complaint, field):
    before = state(complaint)

    body = b'{"%s": "\\ud800"}' % field.encode()
    response = api_as(clerk).patch(f"/api/complaints/{complaint.pk}/", body, content_type="application/json")

    assert_field_errors(response, field)
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)


# Evidence


@pytest.mark.parametrize(
    "bad",
    [
        upload("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(500), "application/octet-stream"),
        upload("photo.jpg", b"\x13\x37garbage bytes, no image"),
        upload("empty.pdf", b"", "application/pdf"),
    ],
    ids=["exe", "garbage", "empty"],
)
def test_a_file_that_is_no_image_or_pdf_answers_400_and_changes_nothing(api_as, clerk, complaint, media, bad):
    before = state(complaint)

    response = api_as(clerk).post(
        f"/api/complaints/{complaint.pk}/investigate/", {"note": "已联系", "evidence": [upload(), bad]}
    )

    assert_field_errors(response, "evidence")
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)
    assert_no_file_kept(media)


def test_a_20_mb_file_answers_400_and_changes_nothing(api_as, clerk, complaint, media):
    huge = upload("huge.jpg", b"\xff\xd8\xff" + bytes(20 * 1024 * 1024))
    before = state(complaint)

    response = api_as(clerk).post(
        f"/api/complaints/{complaint.pk}/investigate/", {"note": "已联系", "evidence": [huge]}
    )

    assert_field_errors(response, "evidence")
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)
    assert_no_file_kept(media)


def test_more_than_six_files_answer_400(api_as, clerk, complaint, media):
    files = [upload(f"{n}.jpg", JPEG) for n in range(7)]
    before = state(complaint)

    response = api_as(clerk).post(f"/api/complaints/{complaint.pk}/investigate/", {"note": "已联系", "evidence": files})

    assert_field_errors(response, "evidence")
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)
    assert_no_file_kept(media)


@pytest.mark.parametrize("evidence", ["a.jpg", ["a.jpg"], {"name": "a.jpg"}])
def test_evidence_that_is_not_files_answers_400(api_as, clerk, complaint, evidence):
    before = state(complaint)

    response = api_as(clerk).post(
        f"/api/complaints/{complaint.pk}/investigate/", {"note": "已联系", "evidence": evidence}, format="json"
    )

    assert_field_errors(response, "evidence")
    assert_unchanged(complaint, before, ComplaintStatus.ACCEPTED)


def test_investigating_a_resolved_complaint_keeps_no_evidence(api_as, clerk, complaint, media):
    advance(complaint, ComplaintStatus.RESOLVED, actor=clerk)
    before = state(complaint)

    response = api_as(clerk).post(
        f"/api/complaints/{complaint.pk}/investigate/", {"note": "再查", "evidence": [upload()]}
    )

    assert response.status_code == 409
    assert_unchanged(complaint, before, ComplaintStatus.RESOLVED)
    assert_no_file_kept(media)


# Illegal transitions


@pytest.mark.parametrize(
    ("status", "action", "body"),
    [
        (ComplaintStatus.ACCEPTED, "follow-up", {"satisfaction": 5}),
        (ComplaintStatus.ACCEPTED, "close", {}),
        (ComplaintStatus.ACCEPTED, "reopen", {"reason": "再查"}),
        (ComplaintStatus.INVESTIGATING, "follow-up", {"satisfaction": 1}),
        (ComplaintStatus.INVESTIGATING, "close", {}),
        (ComplaintStatus.INVESTIGATING, "reopen", {"reason": "再查"}),
        (ComplaintStatus.RESOLVED, "resolve", {"resolution": "再次"}),
        (ComplaintStatus.RESOLVED, "investigate", {"note": "再查"}),
        (ComplaintStatus.RESOLVED, "progress", {"note": "进展"}),
        (ComplaintStatus.RESOLVED, "close", {}),
        (ComplaintStatus.FOLLOWED_UP, "follow-up", {"satisfaction": 2}),
        (ComplaintStatus.FOLLOWED_UP, "resolve", {"resolution": "再次"}),
        (ComplaintStatus.FOLLOWED_UP, "hand-over", {"to": "HANDLER", "reason": "转"}),
        (ComplaintStatus.CLOSED, "close", {}),
        (ComplaintStatus.CLOSED, "reopen", {"reason": "再查"}),
        (ComplaintStatus.CLOSED, "investigate", {"note": "再查"}),
        (ComplaintStatus.CLOSED, "progress", {"note": "进展"}),
        (ComplaintStatus.CLOSED, "hand-over", {"to": "HANDLER", "reason": "转"}),
    ],
)
def test_an_action_not_allowed_now_answers_409_and_changes_nothing(
    api_as, manager, clerk, handler, complaint, status, action, body
):
    complaint = advance(complaint, status, actor=clerk)
    body = {key: handler.pk if value == "HANDLER" else value for key, value in body.items()}
    before = state(complaint)

    response = api_as(manager).post(f"/api/complaints/{complaint.pk}/{action}/", body, format="json")

    assert_invalid_transition(response)
    assert_unchanged(complaint, before, status)


# Filters and ids


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "owner=abc",
        "owner=-1",
        "owner=99999999999999999999999",
        "overdue=maybe",
        "customer_phone=call-me",
        "customer_phone=1",
        "hall=x",
        "hall=1.5",
        "hall=%C2%B2",
    ],
)
def test_a_bad_filter_answers_400(api_as, clerk, complaint, query):
    response = api_as(clerk).get(f"/api/complaints/?{query}")

    assert_field_errors(response, query.split("=")[0])


@pytest.mark.parametrize(
    "path",
    [
        "/api/complaints/99999999999999999999999/",
        "/api/complaints/0/timeline/",
        "/api/complaints/99999999999999999999999/members/",
    ],
)
def test_an_id_out_of_range_answers_404(api_as, clerk, path):
    assert api_as(clerk).get(path).status_code == 404


def test_an_action_on_an_id_out_of_range_answers_404(api_as, clerk):
    response = api_as(clerk).post("/api/complaints/99999999999999999999999/close/")

    assert response.status_code == 404


def test_a_page_past_the_end_answers_404(api_as, clerk, complaint):
    assert api_as(clerk).get("/api/complaints/?page=9").status_code == 404
