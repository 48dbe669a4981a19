import pytest

from hall.models import Role
from repairs.models import RepairPhoto, RepairStatus
from tests.asserts import assert_field_errors, assert_invalid_transition
from tests.factories import UserFactory
from tests.files import PDF, upload
from tests.records import assert_no_file_kept, assert_nothing_stored, assert_unchanged, state
from tests.repairs.test_api import advance, order_body

pytestmark = pytest.mark.django_db


# Registering


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("urgency", 4),
        ("urgency", 0),
        ("urgency", "x"),
        ("urgency", None),
        ("urgency", [1]),
        ("fault", "fire"),
        ("fault", ""),
        ("phone", "1" * 21),
        ("phone", "+" + "1" * 20),
        ("phone", "call me"),
        ("phone", "12"),
        ("customer_name", "张" * 101),
        ("customer_name", "  "),
        ("address", "路" * 201),
        ("description", "停" * 2001),
        ("description", "停电\x00"),
        ("key_customer", "maybe"),
        ("hall", "one"),
        ("hall", 10**30),
    ],
)
def test_bad_input_answers_400_and_registers_nothing(api_as, hall, clerk, field, value):
    response = api_as(clerk).post("/api/repairs/", {**order_body(hall), field: value}, format="json")

    assert_field_errors(response, field)
    assert_nothing_stored()


def test_an_unknown_hall_answers_400(api_as, hall, clerk):
    response = api_as(clerk).post("/api/repairs/", {**order_body(hall), "hall": hall.pk + 1000}, format="json")

    assert_field_errors(response, "hall")
    assert_nothing_stored()


def test_missing_fields_answer_400_naming_each(api_as, clerk):
    response = api_as(clerk).post("/api/repairs/", {}, format="json")

    fields = ["hall", "customer_name", "phone", "address", "fault", "description", "urgency"]
    assert_field_errors(response, *fields)
    assert_nothing_stored()


@pytest.mark.parametrize("body", [b'{"hall": 1, "urgency": ', b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_a_malformed_body_answers_400(api_as, clerk, body):
    response = api_as(clerk).post("/api/repairs/", body, content_type="application/json")

    assert_field_errors(response, "non_field_errors")
    assert_nothing_stored()


def test_a_lone_surrogate_answers_400(api_as, hall, clerk):
    body = b'{"hall": %d, "customer_name": "\\ud800", "phone": "13800138000", "address": "a", "fault": "outage", ' % (
        hall.pk
    )
    response = api_as(clerk).post(
        "/api/repairs/", body + b'"description": "d", "urgency": 1}', content_type="application/json"
    )

    assert_field_errors(response, "customer_name")
    assert_nothing_stored()


# Actions


def test_diagnosing_without_advice_answers_400_and_changes_nothing(api_as, clerk, repair):
    before = state(repair)

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/diagnose/", {}, format="json")

    assert_field_errors(response, "advice")
    assert_unchanged(repair, before, RepairStatus.REGISTERED)


def test_over_long_advice_answers_400_and_changes_nothing(api_as, clerk, repair):
    before = state(repair)

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/diagnose/", {"advice": "查" * 2001}, format="json")

    assert_field_errors(response, "advice")
    assert_unchanged(repair, before, RepairStatus.REGISTERED)


@pytest.mark.parametrize("worker", ["someone", -1, 0, 10**30, [1]])
def test_a_malformed_worker_answers_400(api_as, clerk, repair, worker):
    before = state(repair)

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/dispatch/", {"worker": worker}, format="json")

    assert_field_errors(response, "worker")
    assert_unchanged(repair, before, RepairStatus.REGISTERED)


def test_a_clerk_is_no_repair_worker(api_as, clerk, repair):
    before = state(repair)

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/dispatch/", {"worker": clerk.pk}, format="json")

    assert_field_errors(response, "worker")
    assert_unchanged(repair, before, RepairStatus.REGISTERED)


def test_another_halls_worker_cannot_be_dispatched(api_as, clerk, north, repair):
    stranger = UserFactory(hall=north, username="north_worker1", roles=[Role.REPAIR_WORKER])

    before = state(repair)

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/dispatch/", {"worker": stranger.pk}, format="json")

    assert_field_errors(response, "worker")
    assert_unchanged(repair, before, RepairStatus.REGISTERED)


def test_an_inactive_worker_cannot_be_dispatched(api_as, hall, clerk, repair):
    retired = UserFactory(hall=hall, username="retired", roles=[Role.REPAIR_WORKER], is_active=False)

    before = state(repair)

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/dispatch/", {"worker": retired.pk}, format="json")

    assert_field_errors(response, "worker")
    assert_unchanged(repair, before, RepairStatus.REGISTERED)


def test_dispatching_again_to_the_same_worker_answers_400(api_as, clerk, worker, repair):
    advance(repair, RepairStatus.DISPATCHED, clerk=clerk, worker=worker)

    before = state(repair)

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/dispatch/", {"worker": worker.pk}, format="json")

    assert_field_errors(response, "worker")
    assert_unchanged(repair, before, RepairStatus.DISPATCHED)


@pytest.mark.parametrize("satisfaction", [0, 6, "x", None, 4.5])
def test_a_satisfaction_outside_1_to_5_answers_400(api_as, clerk, worker, repair, satisfaction):
    advance(repair, RepairStatus.COMPLETED, clerk=clerk, worker=worker)

    before = state(repair)

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/callback/", {"satisfaction": satisfaction}, format="json")

    assert_field_errors(response, "satisfaction")
    assert_unchanged(repair, before, RepairStatus.COMPLETED)


def test_over_long_completion_notes_answer_400(api_as, clerk, worker, repair):
    advance(repair, RepairStatus.ON_SITE, clerk=clerk, worker=worker)

    before = state(repair)

    response = api_as(worker).post(f"/api/repairs/{repair.pk}/complete/", {"notes": "修" * 2001}, format="json")

    assert_field_errors(response, "notes")
    assert_unchanged(repair, before, RepairStatus.ON_SITE)


def test_over_long_callback_notes_answer_400(api_as, clerk, worker, repair):
    advance(repair, RepairStatus.COMPLETED, clerk=clerk, worker=worker)

    before = state(repair)

    response = api_as(clerk).post(
        f"/api/repairs/{repair.pk}/callback/", {"satisfaction": 5, "notes": "好" * 2001}, format="json"
    )

    assert_field_errors(response, "notes")
    assert_unchanged(repair, before, RepairStatus.COMPLETED)


# Completing with photos


@pytest.fixture
def on_site(clerk, worker, repair):
    return advance(repair, RepairStatus.ON_SITE, clerk=clerk, worker=worker)


@pytest.mark.parametrize(
    ("name", "content"),
    [("huge.jpg", b"\xff\xd8\xff" + bytes(20 * 1024 * 1024)), ("fuse.jpg", PDF), ("empty.jpg", b"")],
    ids=["20-mb", "pdf-renamed-jpg", "empty"],
)
def test_a_photo_too_big_or_no_image_answers_400_and_changes_nothing(api_as, worker, on_site, media, name, content):
    before = state(on_site)

    response = api_as(worker).post(
        f"/api/repairs/{on_site.pk}/complete/", {"notes": "已修复", "photos": [upload(name, content)]}
    )

    assert_field_errors(response, "photos")
    assert_unchanged(on_site, before, RepairStatus.ON_SITE)
    assert_no_file_kept(media)


def test_one_bad_photo_among_good_ones_keeps_none(api_as, worker, on_site, media):
    fake = upload("notes.jpg", b"just text")

    before = state(on_site)

    response = api_as(worker).post(
        f"/api/repairs/{on_site.pk}/complete/", {"notes": "已修复", "photos": [upload("a.jpg"), fake]}
    )

    assert_field_errors(response, "photos")
    assert_unchanged(on_site, before, RepairStatus.ON_SITE)
    assert_no_file_kept(media)


def test_more_than_six_photos_answer_400(api_as, worker, on_site, media):
    photos = [upload(f"{n}.jpg") for n in range(7)]

    before = state(on_site)

    response = api_as(worker).post(f"/api/repairs/{on_site.pk}/complete/", {"notes": "已修复", "photos": photos})

    assert_field_errors(response, "photos")
    assert_unchanged(on_site, before, RepairStatus.ON_SITE)
    assert_no_file_kept(media)


@pytest.mark.parametrize("photos", ["a.jpg", ["a.jpg"], {"name": "a.jpg"}])
def test_photos_that_are_not_files_answer_400(api_as, worker, on_site, photos):
    before = state(on_site)

    response = api_as(worker).post(
        f"/api/repairs/{on_site.pk}/complete/", {"notes": "已修复", "photos": photos}, format="json"
    )

    assert_field_errors(response, "photos")
    assert_unchanged(on_site, before, RepairStatus.ON_SITE)


def test_completing_without_notes_answers_400(api_as, worker, on_site):
    before = state(on_site)

    response = api_as(worker).post(f"/api/repairs/{on_site.pk}/complete/", {"photos": [upload()]})

    assert_field_errors(response, "notes")
    assert_unchanged(on_site, before, RepairStatus.ON_SITE)


def test_a_photo_with_a_very_long_name_is_kept(api_as, worker, on_site):
    response = api_as(worker).post(
        f"/api/repairs/{on_site.pk}/complete/", {"notes": "已修复", "photos": [upload("长" * 200 + ".jpg")]}
    )

    assert response.status_code == 200, response.content
    assert RepairPhoto.objects.filter(repair=on_site).count() == 1


# Illegal transitions


@pytest.mark.parametrize(
    ("status", "action", "body"),
    [
        (RepairStatus.REGISTERED, "arrive", {}),
        (RepairStatus.REGISTERED, "complete", {"notes": "已修复"}),
        (RepairStatus.REGISTERED, "callback", {"satisfaction": 5}),
        (RepairStatus.REGISTERED, "close", {}),
        (RepairStatus.DISPATCHED, "diagnose", {"advice": "再看看"}),
        (RepairStatus.DISPATCHED, "complete", {"notes": "已修复"}),
        (RepairStatus.ON_SITE, "dispatch", {}),
        (RepairStatus.ON_SITE, "arrive", {}),
        (RepairStatus.ON_SITE, "callback", {"satisfaction": 5}),
        (RepairStatus.COMPLETED, "close", {}),
        (RepairStatus.COMPLETED, "complete", {"notes": "again"}),
        (RepairStatus.FOLLOWED_UP, "callback", {"satisfaction": 1}),
        (RepairStatus.CLOSED, "close", {}),
        (RepairStatus.CLOSED, "dispatch", {}),
    ],
)
def test_an_action_not_allowed_now_answers_409_and_changes_nothing(
    api_as, manager, clerk, worker, repair, status, action, body
):
    repair = advance(repair, status, clerk=clerk, worker=worker)

    before = state(repair)

    response = api_as(manager).post(f"/api/repairs/{repair.pk}/{action}/", body, format="json")

    assert_invalid_transition(response)
    assert_unchanged(repair, before, status)


def test_completing_a_dispatched_order_keeps_no_photo(api_as, clerk, worker, repair, media):
    advance(repair, RepairStatus.DISPATCHED, clerk=clerk, worker=worker)

    before = state(repair)

    response = api_as(worker).post(f"/api/repairs/{repair.pk}/complete/", {"notes": "已修复", "photos": [upload()]})

    assert response.status_code == 409
    assert_unchanged(repair, before, RepairStatus.DISPATCHED)
    assert_no_file_kept(media)


# Filters and ids


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "urgency=4",
        "urgency=x",
        "worker=abc",
        "worker=-1",
        "worker=99999999999999999999999",
        "overdue=maybe",
        "hall=x",
        "hall=1.5",
        "hall=%C2%B2",
    ],
)
def test_a_bad_filter_answers_400(api_as, clerk, repair, query):
    response = api_as(clerk).get(f"/api/repairs/?{query}")

    field = query.split("=")[0]
    assert_field_errors(response, field)


@pytest.mark.parametrize("path", ["/api/repairs/99999999999999999999999/", "/api/repairs/0/timeline/"])
def test_an_id_out_of_range_answers_404(api_as, clerk, path):
    assert api_as(clerk).get(path).status_code == 404


def test_a_page_past_the_end_answers_404(api_as, clerk, repair):
    assert api_as(clerk).get("/api/repairs/?page=9").status_code == 404
