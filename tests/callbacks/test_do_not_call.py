"""The do-not-call list: a hall's managers add a phone by hand (checked and compared by its digits, never twice) and
remove one; the page shows the numbers masked; the sampler skips whoever is on it."""

import datetime as dt

import pytest
from django.urls import reverse

from callbacks import services
from callbacks.models import CallbackSettings, DoNotCall, phone_key
from callbacks.services import AlreadyListed
from hall.errors import ApplicationError, NotPermitted
from hall.models import Role, TimelineEvent
from tests.callbacks.test_callbacks import DAY, on, sample, served
from tests.factories import person

pytestmark = pytest.mark.django_db

LIST = reverse("do-not-call-list")


@pytest.fixture
def clerks(hall):
    return [person(hall, f"c{i}") for i in range(2)]


def add(hall, actor, phone="13800000000", reason="客户电话投诉回访过多"):
    return services.do_not_call_add(hall=hall, phone=phone, reason=reason, actor=actor)


# The services


def test_a_manager_adds_a_phone_kept_by_its_digits_and_shown_masked(hall, manager):
    entry = add(hall, manager, phone=" 138-0000-0000 ")

    entry.refresh_from_db()
    assert entry.phone_key == phone_key("13800000000")
    assert entry.phone_masked == "138****0000"
    assert entry.reason == "客户电话投诉回访过多"
    assert entry.created_by == manager
    (event,) = TimelineEvent.objects.filter(object_id=entry.pk, action="add")
    assert event.actor == manager and event.note == "客户电话投诉回访过多"


def test_the_same_number_written_otherwise_is_refused_as_a_duplicate(hall, manager):
    add(hall, manager, phone="13800000000")

    with pytest.raises(AlreadyListed):
        add(hall, manager, phone="138-0000-0000")
    assert DoNotCall.objects.count() == 1


def test_another_hall_may_list_the_same_number(hall, manager, north):
    north_manager = person(north, "north_manager", Role.HALL_MANAGER)

    add(hall, manager)
    add(north, north_manager)

    assert DoNotCall.objects.count() == 2


@pytest.mark.parametrize("phone", ["call me", "12", "+86 138 0000 0000", "-----", "1" * 21])
def test_a_phone_that_is_not_one_is_refused(hall, manager, phone):
    with pytest.raises(ApplicationError):
        add(hall, manager, phone=phone)
    assert not DoNotCall.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "长" * 201])
def test_a_reason_is_required_and_short(hall, manager, reason):
    with pytest.raises(ApplicationError):
        add(hall, manager, reason=reason)
    assert not DoNotCall.objects.exists()


def test_only_a_manager_of_the_hall_keeps_the_list(hall, clerks, manager, north):
    north_manager = person(north, "north_manager", Role.HALL_MANAGER)
    for actor in (clerks[0], north_manager):
        with pytest.raises(NotPermitted):
            add(hall, actor)
    entry = add(hall, manager)
    for actor in (clerks[0], north_manager):
        with pytest.raises(NotPermitted):
            services.do_not_call_remove(entry=entry, actor=actor)
    assert DoNotCall.objects.count() == 1


def test_a_removed_customer_may_be_drawn_again_and_the_removal_is_kept(hall, types, clerks, manager):
    CallbackSettings.objects.create(hall=hall, share_percent=100, min_per_clerk=1)
    entry = add(hall, manager, phone="13800000000")
    served(hall, types["A"], clerks[0], 1)

    services.do_not_call_remove(entry=entry, actor=manager)

    assert not DoNotCall.objects.exists()
    assert [c.ticket.phone for c in sample(hall)] == ["13800000000"]
    (event,) = TimelineEvent.objects.filter(object_id=entry.pk, action="remove")
    assert event.actor == manager and event.data == {"phone": "138****0000"}


def test_an_answer_asking_not_to_be_called_lists_the_number_masked(hall, types, clerks):
    CallbackSettings.objects.create(hall=hall, share_percent=100, min_per_clerk=1)
    served(hall, types["A"], clerks[0], 1)
    [callback] = sample(hall)
    with on(DAY + dt.timedelta(days=1)):
        services.reveal(callback=callback, actor=clerks[1])
        services.answer(callback=callback, actor=clerks[1], reached=False, do_not_call=True)

    entry = DoNotCall.objects.get()
    assert entry.phone_masked == "138****0000" and entry.reason == ""


# The page


def test_the_page_lists_the_masked_phone_reason_and_date(client_as, hall, manager):
    with on(DAY):
        add(hall, manager, phone="13800001234")

    page = client_as(manager).get(LIST)

    html = page.content.decode()
    assert page.status_code == 200
    assert "不再回访名单" in html
    assert "138****1234" in html and "13800001234" not in html
    assert "客户电话投诉回访过多" in html and "2026-11-02" in html


def test_an_entry_from_a_callback_says_so(client_as, hall, manager):
    DoNotCall.objects.create(hall=hall, phone_key=phone_key("13800001234"), phone_masked="138****1234")

    assert "回访时客户提出" in client_as(manager).get(LIST).content.decode()


def test_a_manager_adds_on_the_page_and_that_customer_is_left_out_of_the_next_sample(
    client_as, hall, types, clerks, manager
):
    CallbackSettings.objects.create(hall=hall, share_percent=100, min_per_clerk=1)
    served(hall, types["A"], clerks[0], 3)  # 13800000000, 13800000001, 13800000002

    answer = client_as(manager).post(LIST, {"phone": "138-0000-0001", "reason": "客户要求"})

    assert answer.status_code == 302 and answer["Location"] == LIST
    assert "138****0001" in client_as(manager).get(LIST).content.decode()
    assert [c.ticket.phone for c in sample(hall)] == ["13800000000", "13800000002"]


def test_the_page_rejects_a_duplicate_clearly(client_as, hall, manager):
    add(hall, manager, phone="13800000000")

    answer = client_as(manager).post(LIST, {"phone": "138-0000-0000", "reason": "再次登记"})

    assert answer.status_code == 409
    assert "该号码已在不再回访名单中。" in answer.content.decode()
    assert DoNotCall.objects.count() == 1


def test_the_page_rejects_a_bad_phone_or_no_reason(client_as, hall, manager):
    manager_client = client_as(manager)

    bad_phone = manager_client.post(LIST, {"phone": "打我电话", "reason": "客户要求"})
    no_reason = manager_client.post(LIST, {"phone": "13800000000", "reason": ""})

    assert bad_phone.status_code == no_reason.status_code == 400
    assert 'value="打我电话"' in bad_phone.content.decode()
    assert not DoNotCall.objects.exists()


def test_a_manager_removes_an_entry_on_the_page(client_as, hall, manager):
    entry = add(hall, manager)
    manager_client = client_as(manager)

    answer = manager_client.post(reverse("do-not-call-remove", args=[entry.pk]))

    assert answer.status_code == 302 and answer["Location"] == LIST
    assert not DoNotCall.objects.exists()
    assert "138****0000 已移出名单" in manager_client.get(LIST).content.decode()


def test_the_page_is_for_managers_of_the_hall_only(client, client_as, hall, clerks, manager, duty, north):
    entry = add(hall, manager)
    north_manager = person(north, "north_manager", Role.HALL_MANAGER)
    remove = reverse("do-not-call-remove", args=[entry.pk])

    assert client_as(duty).get(LIST).status_code == 200
    assert client_as(clerks[0]).get(LIST).status_code == 403
    assert client_as(clerks[0]).post(LIST, {"phone": "13900000000", "reason": "x"}).status_code == 403
    assert client_as(clerks[0]).post(remove).status_code == 403
    assert client.get(LIST).status_code == 302
    assert "138****0000" not in client_as(north_manager).get(LIST).content.decode()
    assert client_as(north_manager).post(remove).status_code == 404
    assert DoNotCall.objects.count() == 1


def test_the_callback_list_links_the_page_for_managers(client_as, hall, clerks, manager):
    assert LIST in client_as(manager).get(reverse("callbacks")).content.decode()
    assert LIST not in client_as(clerks[0]).get(reverse("callbacks")).content.decode()
