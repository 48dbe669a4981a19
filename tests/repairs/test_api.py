import datetime as dt

import pytest
from django.utils.dateparse import parse_datetime

from hall.models import Customer, Role, SlaClock
from repairs import services
from repairs.models import RepairOrder, RepairPhoto, RepairStatus
from tests.factories import REPAIR, HallFactory, UserFactory, register_repair
from tests.files import upload

pytestmark = pytest.mark.django_db

STEPS = [
    RepairStatus.DIAGNOSED,
    RepairStatus.DISPATCHED,
    RepairStatus.ON_SITE,
    RepairStatus.COMPLETED,
    RepairStatus.FOLLOWED_UP,
    RepairStatus.CLOSED,
]


def order_body(hall, **fields):
    return {"hall": hall.pk, **REPAIR, **fields}


def advance(repair, status, *, clerk, worker):
    """Moves an order through the services up to `status`."""
    moves = {
        RepairStatus.DIAGNOSED: lambda r: services.repair_diagnose(repair=r, advice="先查总闸", actor=clerk),
        RepairStatus.DISPATCHED: lambda r: services.repair_dispatch(repair=r, worker=worker, actor=clerk),
        RepairStatus.ON_SITE: lambda r: services.repair_arrive(repair=r, actor=worker),
        RepairStatus.COMPLETED: lambda r: services.repair_complete(repair=r, notes="已修复", actor=worker),
        RepairStatus.FOLLOWED_UP: lambda r: services.repair_callback(repair=r, satisfaction=5, actor=clerk),
        RepairStatus.CLOSED: lambda r: services.repair_close(repair=r, actor=clerk),
    }
    for step in STEPS[: STEPS.index(status) + 1] if status in STEPS else []:
        repair = moves[step](repair)
    return repair


# Registering


def test_it_registers_an_order_with_its_number_status_and_respond_by(clock, api_as, hall, clerk):
    response = api_as(clerk).post("/api/repairs/", order_body(hall, urgency=2), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    repair = RepairOrder.objects.get()
    assert body["id"] == repair.pk
    assert body["number"] == "BX20260302-0001"
    assert body["status"] == "registered"
    assert parse_datetime(body["respond_by"]) == dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)
    assert repair.registered_by == clerk
    assert repair.respond_by == dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)


def test_it_answers_every_field_of_the_order(api_as, hall, clerk):
    body = api_as(clerk).post("/api/repairs/", order_body(hall, key_customer=True), format="json").json()

    assert set(body) >= {
        "id", "hall", "number", "customer", "customer_name", "phone", "address", "fault", "description",
        "urgency", "key_customer", "status", "repeat_of", "repeat_of_number", "advice", "worker",
        "completion_notes", "satisfaction", "callback_notes", "respond_by", "callback_by", "dispatched_at",
        "arrived_at", "completed_at", "followed_up_at", "closed_at", "created_at", "status_url", "photos",
        "sla_state",
    }  # fmt: skip
    assert body["hall"] == hall.pk
    assert body["customer"] == Customer.objects.get().pk
    assert (body["urgency"], body["key_customer"], body["photos"], body["sla_state"]) == (2, True, [], "on_time")


def test_its_status_url_is_the_absolute_customer_link_with_the_token(api_as, hall, clerk):
    body = api_as(clerk).post("/api/repairs/", order_body(hall), format="json").json()

    assert body["status_url"] == f"http://testserver/r/{RepairOrder.objects.get().token}/"


def test_it_links_a_repeat_report_from_the_same_phone(api_as, hall, clerk, repair):
    body = api_as(clerk).post("/api/repairs/", order_body(hall, address="别处"), format="json").json()

    assert (body["repeat_of"], body["repeat_of_number"]) == (repair.pk, repair.number)
    assert RepairOrder.objects.get(pk=body["id"]).repeat_of == repair


def test_a_manager_may_register_too(api_as, hall, manager):
    response = api_as(manager).post("/api/repairs/", order_body(hall), format="json")

    assert response.status_code == 201
    assert RepairOrder.objects.get().registered_by == manager


# The whole visit


def test_a_whole_repair_goes_from_registration_to_closing_over_the_api(clock, api_as, hall, clerk, manager, worker):
    desk, field = api_as(clerk), api_as(worker)
    pk = desk.post("/api/repairs/", order_body(hall), format="json").json()["id"]

    diagnosed = desk.post(f"/api/repairs/{pk}/diagnose/", {"advice": "先检查总闸"}, format="json").json()
    dispatched = api_as(manager).post(f"/api/repairs/{pk}/dispatch/", {"worker": worker.pk}, format="json").json()
    clock.shift(dt.timedelta(hours=1))
    arrived = field.post(f"/api/repairs/{pk}/arrive/").json()
    completed = field.post(
        f"/api/repairs/{pk}/complete/", {"notes": "更换熔断器", "photos": [upload("a.jpg"), upload("b.jpg")]}
    ).json()
    followed = desk.post(f"/api/repairs/{pk}/callback/", {"satisfaction": 5, "notes": "满意"}, format="json").json()
    closed = desk.post(f"/api/repairs/{pk}/close/").json()

    assert [diagnosed["status"], dispatched["status"], arrived["status"]] == ["diagnosed", "dispatched", "on_site"]
    assert [completed["status"], followed["status"], closed["status"]] == ["completed", "followed_up", "closed"]
    assert dispatched["worker"] == worker.pk
    assert len(completed["photos"]) == 2
    photo_ids = RepairPhoto.objects.filter(repair_id=pk).order_by("id").values_list("id", flat=True)
    assert completed["photos"] == [f"http://testserver/repairs/{pk}/photos/{photo_id}/" for photo_id in photo_ids]
    repair = RepairOrder.objects.get(pk=pk)
    assert (repair.status, repair.advice, repair.worker) == (RepairStatus.CLOSED, "先检查总闸", worker)
    assert (repair.completion_notes, repair.satisfaction, repair.callback_notes) == ("更换熔断器", 5, "满意")
    assert repair.arrived_at == repair.dispatched_at + dt.timedelta(hours=1)
    assert repair.closed_at is not None
    assert RepairPhoto.objects.filter(repair=repair, uploaded_by=worker).count() == 2
    assert not SlaClock.objects.filter(object_id=pk, stopped_at__isnull=True).exists()


def test_the_timeline_lists_each_step_with_actor_and_statuses(api_as, hall, clerk, worker, repair):
    advance(repair, RepairStatus.ON_SITE, clerk=clerk, worker=worker)

    events = api_as(clerk).get(f"/api/repairs/{repair.pk}/timeline/").json()

    assert [(e["action"], e["from_status"], e["to_status"]) for e in events] == [
        ("register", "", "registered"),
        ("diagnose", "registered", "diagnosed"),
        ("dispatch", "diagnosed", "dispatched"),
        ("arrive", "dispatched", "on_site"),
    ]
    assert [e["actor"] for e in events] == [clerk.pk, clerk.pk, clerk.pk, worker.pk]
    assert events[1]["note"] == "先查总闸"
    assert all(parse_datetime(e["at"]) for e in events)


def test_an_unsatisfied_callback_sends_the_order_back_to_its_worker(api_as, hall, clerk, worker, repair):
    advance(repair, RepairStatus.COMPLETED, clerk=clerk, worker=worker)

    response = api_as(clerk).post(
        f"/api/repairs/{repair.pk}/callback/", {"satisfaction": 2, "notes": "还是停电"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "dispatched"
    repair.refresh_from_db()
    assert (repair.status, repair.worker, repair.satisfaction) == (RepairStatus.DISPATCHED, worker, 2)


def test_a_manager_may_record_the_arrival_for_the_worker(api_as, hall, clerk, manager, worker, repair):
    advance(repair, RepairStatus.DISPATCHED, clerk=clerk, worker=worker)

    response = api_as(manager).post(f"/api/repairs/{repair.pk}/arrive/")

    assert response.status_code == 200
    repair.refresh_from_db()
    assert repair.status == RepairStatus.ON_SITE


# Dispatching


def test_it_dispatches_to_the_least_loaded_skilled_worker_when_none_is_given(api_as, hall, clerk):
    busy = UserFactory(hall=hall, username="busy", roles=[Role.REPAIR_WORKER])
    free = UserFactory(hall=hall, username="free", roles=[Role.REPAIR_WORKER])
    UserFactory(hall=hall, username="meterman", roles=[Role.REPAIR_WORKER], skills=["meter"])
    services.repair_dispatch(repair=register_repair(hall, phone="13900000000"), worker=busy, actor=clerk)
    repair = register_repair(hall, actor=clerk)

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/dispatch/", {}, format="json")

    assert response.status_code == 200
    assert response.json()["worker"] == free.pk
    repair.refresh_from_db()
    assert (repair.status, repair.worker) == (RepairStatus.DISPATCHED, free)


def test_it_answers_409_no_worker_available_when_nobody_has_the_skill(api_as, hall, clerk, repair):
    UserFactory(hall=hall, username="meterman", roles=[Role.REPAIR_WORKER], skills=["meter"])

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/dispatch/", format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "no_worker_available"
    assert response.json()["detail"]
    repair.refresh_from_db()
    assert (repair.status, repair.worker) == (RepairStatus.REGISTERED, None)


def test_a_dispatched_order_may_go_to_another_worker(api_as, hall, clerk, worker, repair):
    other = UserFactory(hall=hall, username="worker2", roles=[Role.REPAIR_WORKER])
    advance(repair, RepairStatus.DISPATCHED, clerk=clerk, worker=worker)

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/dispatch/", {"worker": other.pk}, format="json")

    assert response.status_code == 200
    repair.refresh_from_db()
    assert repair.worker == other


# Reading and filtering


def test_a_clerk_sees_the_phone_masked(api_as, clerk, repair):
    body = api_as(clerk).get(f"/api/repairs/{repair.pk}/").json()

    assert body["phone"] == "138****8000"


def test_a_manager_sees_the_full_phone(api_as, manager, repair):
    body = api_as(manager).get(f"/api/repairs/{repair.pk}/").json()

    assert body["phone"] == "13800138000"


def test_the_list_masks_the_phone_for_a_clerk(api_as, clerk, repair):
    body = api_as(clerk).get("/api/repairs/").json()

    assert [r["phone"] for r in body["results"]] == ["138****8000"]


def test_a_repair_worker_may_list_and_read_the_halls_orders(api_as, worker, repair):
    client = api_as(worker)

    listed = client.get("/api/repairs/")
    read = client.get(f"/api/repairs/{repair.pk}/")

    assert listed.status_code == read.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [repair.pk]
    assert read.json()["phone"] == "13800138000"


def test_the_list_is_paginated_newest_first(api_as, hall, clerk):
    repairs = [register_repair(hall, actor=clerk, phone=f"1380000{n:04d}") for n in range(27)]

    first = api_as(clerk).get("/api/repairs/").json()
    second = api_as(clerk).get(first["next"]).json()

    assert first["count"] == 27
    assert first["previous"] is None
    assert [r["id"] for r in first["results"] + second["results"]] == [r.pk for r in reversed(repairs)]


def test_the_list_reads_a_full_page_in_a_fixed_number_of_queries(
    api_as, hall, clerk, worker, django_assert_max_num_queries
):
    for n in range(25):
        repair = register_repair(hall, actor=clerk, phone=f"1380000{n:04d}")
        advance(repair, RepairStatus.COMPLETED, clerk=clerk, worker=worker)
    client = api_as(clerk)

    with django_assert_max_num_queries(12):
        body = client.get("/api/repairs/").json()

    assert len(body["results"]) == 25


def test_the_overdue_filter_lists_only_orders_past_their_promise(clock, api_as, hall, clerk):
    late = register_repair(hall, actor=clerk, urgency=1)
    register_repair(hall, actor=clerk, urgency=3, phone="13900000000", address="别处")
    clock.shift(dt.timedelta(hours=2, seconds=1))

    body = api_as(clerk).get("/api/repairs/?overdue=true").json()

    assert [r["id"] for r in body["results"]] == [late.pk]
    assert body["results"][0]["sla_state"] == "overdue"


def test_an_order_a_second_before_its_promise_is_not_overdue(clock, api_as, hall, clerk):
    register_repair(hall, actor=clerk, urgency=1)
    clock.shift(dt.timedelta(hours=2, seconds=-1))

    body = api_as(clerk).get("/api/repairs/?overdue=true").json()

    assert body["count"] == 0


def test_the_list_shows_each_orders_clock_colour(clock, api_as, hall, clerk):
    register_repair(hall, actor=clerk, urgency=3)
    register_repair(hall, actor=clerk, urgency=1, phone="13900000000", address="别处")
    clock.shift(dt.timedelta(hours=1, minutes=40))

    body = api_as(clerk).get("/api/repairs/").json()

    assert [r["sla_state"] for r in body["results"]] == ["at_risk", "on_time"]


def test_it_filters_by_status_urgency_and_worker(api_as, hall, clerk, worker):
    dispatched = advance(register_repair(hall, urgency=1), RepairStatus.DISPATCHED, clerk=clerk, worker=worker)
    register_repair(hall, urgency=1, phone="13900000000")
    normal = register_repair(hall, urgency=3, phone="13700000000")
    client = api_as(clerk)

    def ids(query):
        return {r["id"] for r in client.get(f"/api/repairs/?{query}").json()["results"]}

    assert ids("status=dispatched") == {dispatched.pk}
    assert len(ids("urgency=1")) == 2
    assert ids(f"worker={worker.pk}") == {dispatched.pk}
    assert ids(f"status=registered&urgency=3&hall={hall.pk}") == {normal.pk}


# Halls


def test_the_list_leaves_out_another_halls_orders(clock, api_as, hall, clerk, north, repair):
    register_repair(north)

    body = api_as(clerk).get("/api/repairs/").json()

    assert [r["id"] for r in body["results"]] == [repair.pk]


def test_two_halls_may_register_on_the_same_day(clock, api_as, hall, clerk, north, north_clerk):
    api_as(clerk).post("/api/repairs/", order_body(hall), format="json")

    response = api_as(north_clerk).post("/api/repairs/", order_body(north), format="json")

    assert response.status_code == 201
    assert RepairOrder.objects.filter(hall=north).count() == 1


def test_another_halls_order_answers_404(api_as, north_clerk, repair):
    assert api_as(north_clerk).get(f"/api/repairs/{repair.pk}/").status_code == 404
    assert api_as(north_clerk).get(f"/api/repairs/{repair.pk}/timeline/").status_code == 404


@pytest.mark.parametrize("action", ["diagnose", "dispatch", "callback", "close"])
def test_acting_on_another_halls_order_answers_404_and_changes_nothing(api_as, north_clerk, repair, action):
    body = {"advice": "x", "satisfaction": 5}

    response = api_as(north_clerk).post(f"/api/repairs/{repair.pk}/{action}/", body, format="json")

    assert response.status_code == 404
    repair.refresh_from_db()
    assert (repair.status, repair.advice) == (RepairStatus.REGISTERED, "")


def test_another_halls_worker_may_not_mark_arrival(api_as, hall, clerk, worker, north, repair):
    advance(repair, RepairStatus.DISPATCHED, clerk=clerk, worker=worker)
    stranger = UserFactory(hall=north, username="north_worker1", roles=[Role.REPAIR_WORKER])

    response = api_as(stranger).post(f"/api/repairs/{repair.pk}/arrive/")

    assert response.status_code == 404
    repair.refresh_from_db()
    assert repair.status == RepairStatus.DISPATCHED


def test_registering_in_another_hall_answers_404_and_creates_nothing(api_as, clerk, north):
    response = api_as(clerk).post("/api/repairs/", order_body(north), format="json")

    assert response.status_code == 404
    assert not RepairOrder.objects.exists()
    assert not Customer.objects.exists()


def test_listing_another_hall_answers_404(api_as, clerk, north):
    assert api_as(clerk).get(f"/api/repairs/?hall={north.pk}").status_code == 404


def test_an_unknown_order_answers_404(api_as, clerk, repair):
    client = api_as(clerk)

    assert client.get(f"/api/repairs/{repair.pk + 1000}/").status_code == 404
    assert client.get(f"/api/repairs/{repair.pk + 1000}/timeline/").status_code == 404
    assert client.post(f"/api/repairs/{repair.pk + 1000}/close/").status_code == 404


def test_an_administrator_reads_every_hall(api_as, repair):
    admin = UserFactory(hall=HallFactory(code="hq"), username="admin", is_superuser=True, roles=[])

    assert api_as(admin).get(f"/api/repairs/{repair.pk}/").status_code == 200


# Roles


def test_a_repair_worker_may_not_register(api_as, hall, worker):
    response = api_as(worker).post("/api/repairs/", order_body(hall), format="json")

    assert response.status_code == 403
    assert not RepairOrder.objects.exists()


@pytest.mark.parametrize("action", ["diagnose", "dispatch", "callback", "close"])
def test_a_repair_worker_may_not_act_at_the_desk(api_as, worker, repair, action):
    response = api_as(worker).post(f"/api/repairs/{repair.pk}/{action}/", {"advice": "x"}, format="json")

    assert response.status_code == 403
    repair.refresh_from_db()
    assert (repair.status, repair.worker) == (RepairStatus.REGISTERED, None)


@pytest.mark.parametrize(("status", "action"), [("dispatched", "arrive"), ("on_site", "complete")])
def test_a_clerk_may_not_act_in_the_field(api_as, clerk, worker, repair, status, action):
    advance(repair, status, clerk=clerk, worker=worker)

    response = api_as(clerk).post(f"/api/repairs/{repair.pk}/{action}/", {"notes": "x"}, format="json")

    assert response.status_code == 403
    repair.refresh_from_db()
    assert repair.status == status


@pytest.mark.parametrize(("status", "action"), [("dispatched", "arrive"), ("on_site", "complete")])
def test_a_worker_not_assigned_may_not_act_on_the_order(api_as, hall, clerk, worker, repair, status, action):
    advance(repair, status, clerk=clerk, worker=worker)
    colleague = UserFactory(hall=hall, username="worker2", roles=[Role.REPAIR_WORKER])

    response = api_as(colleague).post(f"/api/repairs/{repair.pk}/{action}/", {"notes": "x"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    repair.refresh_from_db()
    assert (repair.status, repair.completion_notes) == (status, "")


def test_a_complaint_handler_may_not_read_repairs(api_as, handler, repair):
    assert api_as(handler).get("/api/repairs/").status_code == 403
    assert api_as(handler).get(f"/api/repairs/{repair.pk}/").status_code == 403


def test_the_repairs_need_a_login(api, hall, repair):
    assert api.get("/api/repairs/").status_code == 401
    assert api.post("/api/repairs/", order_body(hall), format="json").status_code == 401
    assert RepairOrder.objects.count() == 1


def test_the_schema_describes_the_repair_endpoints(clerk_api):
    text = clerk_api.get("/api/schema/").content.decode()

    for path in ("/api/repairs/", "/api/repairs/{id}/", "/api/repairs/{id}/dispatch/", "/api/repairs/{id}/timeline/"):
        assert f"{path}:" in text
