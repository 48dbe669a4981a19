import datetime as dt
import zoneinfo

import pytest
import time_machine

from callbacks import services
from callbacks.facts import callback_satisfaction
from callbacks.models import Callback, CallbackSettings, SampledDay
from hall.errors import ApplicationError, InvalidTransition, NotPermitted
from hall.models import Role, TimelineEvent
from reports import engine
from reports import services as reports
from tests.factories import person
from tickets.models import Ticket, TicketStatus

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 2)


def on(day, hour=9):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI), tick=False)


def served(hall, business_type, clerk, n, *, day=DAY, phone_base=13800000000, start=0, status=TicketStatus.DONE):
    at = dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI)
    return [
        Ticket.objects.create(
            hall=hall,
            business_type=business_type,
            issued_type=business_type,
            service_date=day,
            seq=start + i + 1,
            number=f"A{start + i + 1:03d}",
            status=status,
            phone=str(phone_base + start + i),
            served_by=clerk,
            issued_at=at,
            finished_at=at,
        )
        for i in range(n)
    ]


@pytest.fixture
def clerks(hall):
    return [person(hall, f"c{i}") for i in range(3)]


def sample(hall, day=DAY):
    with on(day + dt.timedelta(days=1), 1):
        return services.sample_day(hall=hall, day=day)


def test_share_rounds_up_and_every_clerk_gets_at_least_one(hall, types, clerks):
    served(hall, types["A"], clerks[0], 60)
    served(hall, types["A"], clerks[1], 39, start=100)
    served(hall, types["A"], clerks[2], 1, start=200)
    served(hall, types["A"], clerks[2], 5, start=300, status=TicketStatus.NO_SHOW)

    drawn = sample(hall)

    assert len(drawn) == 5  # 5 % of the 100 served
    assert {c.clerk_id for c in drawn} == {c.pk for c in clerks}  # the one-ticket clerk too
    assert all(c.ticket.status == TicketStatus.DONE for c in drawn)


def test_settings_per_hall_and_minimum_per_clerk(hall, types, clerks):
    CallbackSettings.objects.create(hall=hall, share_percent=0, min_per_clerk=2)
    served(hall, types["A"], clerks[0], 10)
    served(hall, types["A"], clerks[1], 10, start=100)
    drawn = sample(hall)
    assert sorted(c.clerk_id for c in drawn) == sorted([clerks[0].pk] * 2 + [clerks[1].pk] * 2)


def test_deterministic_and_idempotent(hall, types, clerks):
    served(hall, types["A"], clerks[0], 200)
    first = [c.ticket_id for c in sample(hall)]
    again = [c.ticket_id for c in sample(hall)]
    assert first == again and len(first) == 10
    assert Callback.objects.count() == 10 and SampledDay.objects.count() == 1
    Callback.objects.all().delete()
    SampledDay.objects.all().delete()
    assert [c.ticket_id for c in sample(hall)] == first  # the same seed draws the same tickets
    picked = services.draw(
        1, DAY, [(i, 1, str(i)) for i in range(100)], share_percent=5, min_per_clerk=1, excluded=set()
    )
    other = services.draw(
        1,
        DAY + dt.timedelta(days=1),
        [(i, 1, str(i)) for i in range(100)],
        share_percent=5,
        min_per_clerk=1,
        excluded=set(),
    )
    assert picked != other


def test_no_customer_twice_in_thirty_days(hall, types, clerks):
    CallbackSettings.objects.create(hall=hall, share_percent=100, min_per_clerk=1)
    served(hall, types["A"], clerks[0], 3)
    assert len(sample(hall)) == 3
    later = DAY + dt.timedelta(days=29)
    served(hall, types["A"], clerks[0], 4, day=later)  # the same three phones and a new one
    assert [c.ticket.phone for c in sample(hall, later)] == ["13800000003"]
    past = DAY + dt.timedelta(days=30)
    served(hall, types["A"], clerks[0], 3, day=past)
    assert len(sample(hall, past)) == 3


def test_do_not_call_is_never_sampled_again(hall, types, clerks):
    CallbackSettings.objects.create(hall=hall, share_percent=100, min_per_clerk=1, quiet_days=1)
    [ticket] = served(hall, types["A"], clerks[0], 1)
    [callback] = sample(hall)
    with on(DAY + dt.timedelta(days=1)):
        services.reveal(callback=callback, actor=clerks[1])
        services.answer(callback=callback, actor=clerks[1], reached=True, satisfaction=2, do_not_call=True)
    later = DAY + dt.timedelta(days=40)
    served(hall, types["A"], clerks[0], 2, day=later, phone_base=13800000000 - 1)
    assert [c.ticket.phone for c in sample(hall, later)] == ["13799999999"]


def test_only_a_manager_samples_and_only_a_past_day(hall, types, clerks, manager):
    with on(DAY + dt.timedelta(days=1)), pytest.raises(NotPermitted):
        services.sample_day(hall=hall, day=DAY, actor=clerks[0])
    with on(DAY), pytest.raises(ApplicationError):
        services.sample_day(hall=hall, day=DAY, actor=manager)


@pytest.fixture
def one_callback(hall, types, clerks):
    CallbackSettings.objects.create(hall=hall, share_percent=0, min_per_clerk=1)
    served(hall, types["A"], clerks[0], 1)
    [callback] = sample(hall)
    return callback


def test_reveal_is_for_the_caller_only(one_callback, clerks, api_as):
    url = f"/api/callbacks/?date={DAY.isoformat()}"
    with on(DAY + dt.timedelta(days=1)):
        assert api_as(clerks[1]).get(url).json()[0]["phone"] == "138****0000"
        answer = api_as(clerks[1]).post(f"/api/callbacks/{one_callback.pk}/reveal/")
        assert answer.status_code == 200 and answer.json()["phone"] == "13800000000"
        assert api_as(clerks[1]).get(url).json()[0]["phone"] == "13800000000"
        assert api_as(clerks[2]).get(url).json()[0]["phone"] == "138****0000"
        assert api_as(clerks[2]).post(f"/api/callbacks/{one_callback.pk}/reveal/").status_code == 409
        answer = api_as(clerks[2]).post(f"/api/callbacks/{one_callback.pk}/", {"reached": False}, format="json")
        assert answer.status_code == 409
    event = TimelineEvent.objects.get(action="reveal")
    assert event.actor == clerks[1] and event.object_id == one_callback.pk


def test_answer_validation(one_callback, clerks, api_as, north):
    api = api_as(clerks[1])
    url = f"/api/callbacks/{one_callback.pk}/"
    with on(DAY + dt.timedelta(days=1)):
        assert api.post(url, {"reached": False}, format="json").status_code == 409  # not taken yet
        api.post(f"{url}reveal/")
        assert api.post(url, {"reached": True}, format="json").json()["satisfaction"]
        assert api.post(url, {"reached": False, "satisfaction": 4}, format="json").status_code == 400
        assert api.post(url, {"reached": True, "satisfaction": 6}, format="json").status_code == 400
        assert api.post(url, {"reached": "maybe"}, format="json").status_code == 400
        assert api.post(url, {"reached": True, "satisfaction": 4, "note": "x" * 2001}, format="json").status_code == 400
        assert api.post("/api/callbacks/999999/", {"reached": False}, format="json").status_code == 404
        assert api.get(f"/api/callbacks/?hall={north.pk}").status_code == 404
        assert api.get("/api/callbacks/?date=tomorrow").status_code == 400
        done = api.post(url, {"reached": True, "satisfaction": 5, "note": "很好"}, format="json")
        assert done.status_code == 200 and done.json()["satisfaction"] == 5
        assert api.post(url, {"reached": False}, format="json").status_code == 409
    assert api_as(person(north, "n1")).post(url, {"reached": False}, format="json").status_code == 404


def test_managers_sample_through_the_api(hall, types, clerks, manager, api_as):
    served(hall, types["A"], clerks[0], 3)
    with on(DAY + dt.timedelta(days=1)):
        assert api_as(clerks[0]).post("/api/callbacks/sample/", {"date": "2026-11-02"}).status_code == 403
        assert api_as(manager).post("/api/callbacks/sample/", {}).status_code == 400
        answer = api_as(manager).post("/api/callbacks/sample/", {"date": "2026-11-02"})
    assert answer.status_code == 200 and len(answer.json()) == 1


def test_answers_count_in_customer_satisfaction_live_and_after_rollup(hall, types, clerks):
    CallbackSettings.objects.create(hall=hall, share_percent=100, min_per_clerk=1)
    served(hall, types["A"], clerks[0], 3)
    drawn = sample(hall)
    with on(DAY + dt.timedelta(days=1), 2):
        reports.rollup_days([hall], DAY, DAY)
    with on(DAY + dt.timedelta(days=1), 10):
        for callback, score in zip(drawn, (5, 4, 2), strict=True):
            services.reveal(callback=callback, actor=clerks[1])
            services.answer(callback=callback, actor=clerks[1], reached=True, satisfaction=score)

    def day():
        [row] = engine.kpis(halls=[hall], first=DAY, last=DAY, group_by="total")
        return row["figures"]["customer_satisfaction"]

    with on(DAY + dt.timedelta(days=1), 11):
        assert (day()["numerator"], day()["denominator"]) == (0, 0)  # the stale roll-up
        reports.rollup_touched()
        assert (day()["numerator"], day()["denominator"]) == (2, 3)
        [row] = engine.kpis(halls=[hall], first=DAY, last=DAY, group_by="clerk")
        assert row["key"] == str(clerks[0].pk)
    with on(DAY, 23):  # the day itself, live
        assert (day()["numerator"], day()["denominator"]) == (2, 3)


def test_the_bonus_fact_is_points_above_the_hall(hall, types, clerks):
    CallbackSettings.objects.create(hall=hall, share_percent=100, min_per_clerk=1)
    served(hall, types["A"], clerks[0], 4)
    served(hall, types["A"], clerks[1], 4, start=100)
    served(hall, types["A"], clerks[2], 2, start=200)
    scores = {clerks[0].pk: [5, 5, 5, 4], clerks[1].pk: [5, 2, 2, 2], clerks[2].pk: [5, 5]}
    caller = person(hall, "caller", Role.DUTY_MANAGER)
    with on(DAY + dt.timedelta(days=1), 10):
        for callback in sample(hall):
            services.reveal(callback=callback, actor=caller)
            score = scores[callback.clerk_id].pop()
            services.answer(callback=callback, actor=caller, reached=True, satisfaction=score)
    facts = list(callback_satisfaction(hall, DAY.replace(day=1), DAY.replace(day=30)))
    # hall 7 of 10; clerk 0: 4 of 4 → 30 points; clerk 1 below; clerk 2 has too few answers
    assert [(f.staff_id, f.amount) for f in facts] == [(clerks[0].pk, 30.0)]


def test_the_page_masks_and_reveals(hall, one_callback, clerks, client_as):
    with on(DAY + dt.timedelta(days=1)):
        page = client_as(clerks[1]).get(f"/callbacks/?date={DAY.isoformat()}")
        assert page.status_code == 200 and "138****0000" in page.content.decode()
        client_as(clerks[1]).post(f"/callbacks/{one_callback.pk}/reveal/")
        assert "13800000000" in client_as(clerks[1]).get(f"/callbacks/?date={DAY.isoformat()}").content.decode()
        assert "13800000000" not in client_as(clerks[2]).get(f"/callbacks/?date={DAY.isoformat()}").content.decode()
        client_as(clerks[1]).post(f"/callbacks/{one_callback.pk}/answer/", {"reached": "yes", "satisfaction": "4"})
    one_callback.refresh_from_db()
    assert one_callback.satisfaction == 4 and one_callback.caller == clerks[1]


def test_the_nightly_run_samples_every_halls_yesterday(hall, types, clerks):
    served(hall, types["A"], clerks[0], 3)
    with on(DAY + dt.timedelta(days=1), 0):
        assert services.sample_yesterday() == 1
    with pytest.raises(InvalidTransition):
        callback = Callback.objects.get()
        services.reveal(callback=callback, actor=clerks[1])
        services.reveal(callback=callback, actor=clerks[2])
