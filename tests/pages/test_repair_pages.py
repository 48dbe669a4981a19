import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hall.limits import TEXT_MAX
from hall.models import Customer, Role, TimelineEvent
from repairs import services
from repairs.models import RepairOrder, RepairPhoto, RepairStatus
from tests.factories import UserFactory, register_repair
from tests.files import PNG, upload
from tests.records import assert_unchanged, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(repair, clerk, worker):
    return services.repair_dispatch(repair=repair, worker=worker, actor=clerk)


@pytest.fixture
def on_site(dispatched, worker):
    return services.repair_arrive(repair=dispatched, actor=worker)


@pytest.fixture
def completed(on_site, worker):
    return services.repair_complete(repair=on_site, notes="更换熔断器", actor=worker)


def act(client, repair, action, htmx=False, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("repair-action", args=[repair.pk, action]), data, **headers)


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def refreshed(repair) -> RepairOrder:
    repair.refresh_from_db()
    return repair


# Who may open which page


@pytest.mark.parametrize(
    "name", ["repair-desk", "repair-register", "repair-intake-history", "repair-mine", "repair-callbacks"]
)
def test_it_sends_anonymous_visitors_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_sends_anonymous_visitors_of_an_order_to_log_in(client, repair):
    for url in (reverse("repair-detail", args=[repair.pk]), reverse("repair-action", args=[repair.pk, "close"])):
        assert client.post(url).url.startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.CLERK, Role.DUTY_MANAGER, Role.HALL_MANAGER, Role.REPAIR_WORKER])
def test_the_desk_opens_for_the_hall_staff_who_handle_repairs(client_as, hall, repair, role):
    user = UserFactory(hall=hall, roles=[role])
    response = client_as(user).get(reverse("repair-desk"))
    assert response.status_code == 200
    assert repair.number in response.content.decode()


def test_the_desk_offers_registration_to_clerks_only_not_to_workers(client_as, clerk, worker):
    register = reverse("repair-register")
    assert register in client_as(clerk).get(reverse("repair-desk")).content.decode()
    assert register not in client_as(worker).get(reverse("repair-desk")).content.decode()


def test_the_desk_refuses_complaint_handlers(client_as, handler):
    assert client_as(handler).get(reverse("repair-desk")).status_code == 403


def test_the_desk_shows_no_order_of_another_hall(client_as, other_clerk, repair):
    response = client_as(other_clerk).get(reverse("repair-desk"))
    assert response.status_code == 200
    assert repair.number not in response.content.decode()


@pytest.mark.parametrize("name", ["repair-register", "repair-intake-history", "repair-callbacks"])
def test_counter_pages_refuse_repair_workers(client_as, worker, name):
    assert client_as(worker).get(reverse(name)).status_code == 403


def test_the_worker_page_refuses_clerks(client_as, clerk):
    assert client_as(clerk).get(reverse("repair-mine")).status_code == 403


def test_an_order_of_another_hall_is_not_found(client_as, other_clerk, repair):
    assert client_as(other_clerk).get(reverse("repair-detail", args=[repair.pk])).status_code == 404
    assert act(client_as(other_clerk), repair, "diagnose", advice="x").status_code == 404
    assert refreshed(repair).status == RepairStatus.REGISTERED


def test_an_unknown_order_is_not_found(client_as, clerk, db):
    assert client_as(clerk).get(reverse("repair-detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("target", ["x", "0", "repair-desk", "https://example.com/"])
def test_an_action_goes_back_to_the_order_when_next_is_not_a_path_here(client_as, clerk, repair, target):
    response = act(client_as(clerk), repair, "diagnose", advice="先检查总闸", next=target)

    assert response.status_code == 302
    assert response["Location"] == reverse("repair-detail", args=[repair.pk])
    assert refreshed(repair).status == RepairStatus.DIAGNOSED


def test_an_unknown_action_is_not_found(client_as, clerk, repair):
    assert act(client_as(clerk), repair, "explode").status_code == 404


def test_the_nav_links_the_repair_pages_by_role(client_as, clerk, worker):
    clerk_page = client_as(clerk).get(reverse("repair-desk")).content.decode()
    worker_page = client_as(worker).get(reverse("repair-desk")).content.decode()
    assert reverse("repair-callbacks") in clerk_page
    assert reverse("repair-mine") not in clerk_page
    assert reverse("repair-mine") in worker_page


# Desk filters


def test_the_desk_filters_by_status_urgency_worker_and_search(client_as, clerk, hall, dispatched, worker):
    other = register_repair(hall, actor=clerk, phone="13900000001", address="北环路 2 号", urgency=1)
    page = client_as(clerk)

    def numbers(**params):
        return page.get(reverse("repair-desk"), params).content.decode()

    assert other.number not in numbers(status="dispatched")
    assert dispatched.number in numbers(status="dispatched")
    assert dispatched.number not in numbers(urgency="1")
    assert other.number in numbers(urgency="1")
    assert other.number not in numbers(worker=str(worker.pk))
    assert other.number in numbers(q="13900000001")
    assert dispatched.number not in numbers(q="13900000001")
    assert other.number in numbers(q=other.number)


def test_the_desk_finds_orders_by_part_of_the_address_or_number(client_as, clerk, hall, repair):
    other = register_repair(hall, actor=clerk, phone="13900000001", address="北环路 2 号")
    page = client_as(clerk)

    def found(query):
        return page.get(reverse("repair-desk"), {"q": query}).content.decode()

    assert other.number in found("北环路")
    assert repair.number not in found("北环路")
    assert repair.number in found(repair.number[-4:])


def test_the_desk_filters_overdue_orders(client_as, clerk, hall, clock):
    late = register_repair(hall, actor=clerk, urgency=1)
    clock.shift(dt.timedelta(hours=3))
    fresh = register_repair(hall, actor=clerk, phone="13900000002", address="别处")
    html = client_as(clerk).get(reverse("repair-desk"), {"overdue": "1"}).content.decode()
    assert late.number in html
    assert fresh.number not in html
    assert "sla-overdue" in html


def test_bad_filter_values_show_a_message_and_no_error(client_as, clerk, repair):
    response = client_as(clerk).get(
        reverse("repair-desk"), {"status": "burning", "urgency": "9", "worker": "¹", "page": "x", "q": "x" * 201}
    )
    assert response.status_code == 200
    assert len(texts(response)) == 4
    assert repair.number in response.content.decode()


def test_the_desk_shows_25_orders_a_page(client_as, clerk, hall):
    for n in range(27):
        register_repair(hall, actor=clerk, phone=f"1390000{n:04d}", address=f"地址 {n}")
    page = client_as(clerk)
    first = page.get(reverse("repair-desk")).content.decode()
    second = page.get(reverse("repair-desk"), {"page": "2"}).content.decode()
    assert first.count('class="repair-number"') == 25
    assert second.count('class="repair-number"') == 2


# Intake


def test_the_intake_form_starts_at_urgency_3(client_as, clerk):
    html = client_as(clerk).get(reverse("repair-register")).content.decode()
    assert 'name="urgency" value="3" checked' in html
    assert 'type="checkbox" name="key_customer"' in html


def test_registering_creates_the_order_and_says_its_number_and_promise(client_as, clerk, hall):
    response = client_as(clerk).post(
        reverse("repair-register"),
        {
            "customer_name": "李四",
            "phone": "13700000000",
            "address": "人民路 9 号",
            "fault": "meter",
            "description": "电表不走",
            "urgency": "2",
            "key_customer": "on",
        },
    )
    repair = RepairOrder.objects.get(phone="13700000000")
    assert response.status_code == 302
    assert response.url == reverse("repair-detail", args=[repair.pk])
    assert (repair.hall, repair.urgency, repair.key_customer, repair.registered_by) == (hall, 2, True, clerk)
    assert repair.number in texts(response)[0]


def test_a_form_with_errors_is_shown_again_without_registering(client_as, clerk):
    page = client_as(clerk)
    data = {"customer_name": "", "phone": "abc", "address": "人民路", "fault": "meter", "urgency": "7"}
    response = page.post(reverse("repair-register"), data)
    assert response.status_code == 200
    assert response.content.decode().count('class="field-error"') == 4
    assert 'value="人民路"' in response.content.decode()
    assert page.post(reverse("repair-register"), data, HTTP_HX_REQUEST="true").status_code == 400
    assert not RepairOrder.objects.exists()


def test_the_intake_history_flags_a_repeat_within_7_days(client_as, clerk, repair):
    response = client_as(clerk).get(reverse("repair-intake-history"), {"phone": repair.phone, "address": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="message message-warn repeat-warning"' in html
    assert repair.number in html


def test_the_intake_history_shows_no_repeat_after_7_days(client_as, clerk, hall, clock):
    old = register_repair(hall, actor=clerk)
    clock.shift(dt.timedelta(days=8))
    html = client_as(clerk).get(reverse("repair-intake-history"), {"phone": old.phone}).content.decode()
    assert old.number in html
    assert "repeat-warning" not in html


def test_the_intake_history_shows_the_customers_flags(client_as, clerk, hall):
    Customer.objects.create(hall=hall, name="王奶奶", phone="13600000000", elderly_alone=True, key_customer=True)
    html = client_as(clerk).get(reverse("repair-intake-history"), {"phone": "13600000000"}).content.decode()
    assert "王奶奶" in html
    assert html.count('class="badge badge-flag"') == 2


def test_a_registration_after_a_recent_one_is_linked_to_it(client_as, clerk, repair):
    client_as(clerk).post(
        reverse("repair-register"),
        {
            "customer_name": "张三",
            "phone": repair.phone,
            "address": "人民路 8 号 3 单元",
            "fault": "outage",
            "description": "又停电了",
            "urgency": "3",
        },
    )
    assert RepairOrder.objects.exclude(pk=repair.pk).get().repeat_of == repair


# Detail


def test_the_detail_masks_the_phone_for_clerks_and_shows_it_to_managers(client_as, clerk, duty, repair):
    clerk_html = client_as(clerk).get(reverse("repair-detail", args=[repair.pk])).content.decode()
    duty_html = client_as(duty).get(reverse("repair-detail", args=[repair.pk])).content.decode()
    assert "138****8000" in clerk_html
    assert "13800138000" not in clerk_html
    assert "13800138000" in duty_html


def test_the_detail_offers_a_worker_only_their_steps(client_as, worker, dispatched):
    html = client_as(worker).get(reverse("repair-detail", args=[dispatched.pk])).content.decode()
    assert reverse("repair-action", args=[dispatched.pk, "arrive"]) in html
    assert reverse("repair-action", args=[dispatched.pk, "dispatch"]) not in html


def test_the_detail_shows_the_timeline_with_actor_names(client_as, clerk, dispatched):
    html = client_as(clerk).get(reverse("repair-detail", args=[dispatched.pk])).content.decode()
    assert html.count('class="actor"') == 2
    assert clerk.display_name in html


# Actions


def test_a_clerk_records_advice(client_as, clerk, repair):
    response = act(client_as(clerk), repair, "diagnose", advice="先检查总闸")
    assert response.status_code == 302
    assert (refreshed(repair).status, repair.advice) == (RepairStatus.DIAGNOSED, "先检查总闸")


def test_a_clerk_dispatches_to_the_least_loaded_worker_automatically(client_as, clerk, repair, worker):
    act(client_as(clerk), repair, "dispatch", worker="")
    assert (refreshed(repair).status, repair.worker) == (RepairStatus.DISPATCHED, worker)


def test_a_clerk_dispatches_to_a_chosen_worker(client_as, clerk, hall, repair, worker):
    second = UserFactory(hall=hall, username="worker2", roles=[Role.REPAIR_WORKER])
    act(client_as(clerk), repair, "dispatch", worker=str(second.pk))
    assert refreshed(repair).worker == second


def test_a_dispatch_to_someone_who_is_no_worker_is_refused_with_a_message(client_as, clerk, repair, worker):
    response = act(client_as(clerk), repair, "dispatch", worker=str(clerk.pk))
    assert texts(response)
    assert refreshed(repair).status == RepairStatus.REGISTERED


def test_a_worker_may_not_dispatch(client_as, worker, repair):
    assert act(client_as(worker), repair, "dispatch").status_code == 403
    assert refreshed(repair).status == RepairStatus.REGISTERED


def test_the_assigned_worker_marks_arrival(client_as, worker, dispatched):
    act(client_as(worker), dispatched, "arrive")
    assert refreshed(dispatched).status == RepairStatus.ON_SITE


def test_a_clerk_may_not_mark_arrival(client_as, clerk, dispatched):
    assert act(client_as(clerk), dispatched, "arrive").status_code == 403
    assert refreshed(dispatched).status == RepairStatus.DISPATCHED


def test_another_worker_may_not_mark_arrival(client_as, hall, dispatched):
    other = UserFactory(hall=hall, username="worker9", roles=[Role.REPAIR_WORKER])
    assert act(client_as(other), dispatched, "arrive").status_code == 403


def test_the_worker_completes_with_notes_and_a_photo(client_as, worker, on_site):
    photo = upload("fuse.png", PNG, "image/png")
    response = act(client_as(worker), on_site, "complete", notes="更换熔断器", photos=[photo], next="/repairs/mine/")
    assert response.url == "/repairs/mine/"
    assert (refreshed(on_site).status, on_site.completion_notes) == (RepairStatus.COMPLETED, "更换熔断器")
    assert RepairPhoto.objects.filter(repair=on_site).count() == 1


def test_a_non_image_upload_is_refused_and_nothing_changes(client_as, worker, on_site):
    fake = SimpleUploadedFile("fuse.png", b"%PDF-1.4 not a photo", content_type="image/png")
    response = act(client_as(worker), on_site, "complete", notes="更换熔断器", photos=[fake])
    assert "fuse.png" in texts(response)[0]
    assert refreshed(on_site).status == RepairStatus.ON_SITE
    assert not RepairPhoto.objects.exists()


def test_completion_needs_notes(client_as, worker, on_site):
    response = act(client_as(worker), on_site, "complete", notes=" ")
    assert texts(response)
    assert refreshed(on_site).status == RepairStatus.ON_SITE


def test_an_htmx_action_answers_the_panel_with_its_outcome(client_as, worker, dispatched):
    response = act(client_as(worker), dispatched, "arrive", htmx=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="repair-panel"')
    assert 'class="message message-info"' in html


def test_an_action_not_allowed_now_shows_an_error_and_changes_nothing(client_as, clerk, repair):
    response = act(client_as(clerk), repair, "close", htmx=True)
    assert 'class="message message-error"' in response.content.decode()
    assert refreshed(repair).status == RepairStatus.REGISTERED
    assert TimelineEvent.objects.filter(object_id=repair.pk).count() == 1


def test_a_satisfied_callback_and_close(client_as, clerk, completed):
    page = client_as(clerk)
    act(page, completed, "callback", satisfaction="5", notes="很满意", next=reverse("repair-callbacks"))
    assert (refreshed(completed).status, completed.satisfaction) == (RepairStatus.FOLLOWED_UP, 5)
    act(page, completed, "close")
    assert refreshed(completed).status == RepairStatus.CLOSED


def test_an_unsatisfied_callback_sends_the_order_back(client_as, clerk, completed, worker):
    response = act(client_as(clerk), completed, "callback", satisfaction="2", notes="还是不行")
    assert worker.display_name in texts(response)[0]
    assert refreshed(completed).status == RepairStatus.DISPATCHED


def test_a_callback_without_a_score_is_refused(client_as, clerk, completed):
    response = act(client_as(clerk), completed, "callback", satisfaction="9")
    assert texts(response)
    assert refreshed(completed).status == RepairStatus.COMPLETED


def test_an_unsafe_next_address_is_ignored(client_as, clerk, repair):
    response = act(client_as(clerk), repair, "diagnose", advice="x", next="https://evil.example/")
    assert response.url == reverse("repair-detail", args=[repair.pk])


# Text limits: each field's one limit (the order's fields, hall.limits for free text), refused whole, never cut

INTAKE = {
    "customer_name": "李四",
    "phone": "13700000000",
    "address": "人民路 9 号",
    "fault": "meter",
    "description": "电表不走",
    "urgency": "2",
}
TEXT_FIELDS = [("customer_name", 100), ("address", 200), ("description", TEXT_MAX)]


def field_errors(html: str) -> list[str]:
    return re.findall(r'<span class="field-error">([^<]*)</span>', html)


@pytest.mark.parametrize("field, limit", TEXT_FIELDS)
def test_a_registration_with_text_longer_than_its_field_is_refused_and_shown_back_whole(client_as, clerk, field, limit):
    too_long = "长" * (limit + 1)
    response = client_as(clerk).post(reverse("repair-register"), {**INTAKE, field: too_long})
    html = response.content.decode()
    assert response.status_code == 200
    (error,) = field_errors(html)
    assert str(limit) in error
    assert str(limit + 1) in error
    assert too_long in html
    assert not RepairOrder.objects.exists()


@pytest.mark.parametrize("field, limit", TEXT_FIELDS)
def test_a_registration_with_text_as_long_as_its_field_is_stored_whole(client_as, clerk, field, limit):
    response = client_as(clerk).post(reverse("repair-register"), {**INTAKE, field: "长" * limit})
    assert response.status_code == 302
    assert getattr(RepairOrder.objects.get(), field) == "长" * limit


def test_the_intake_form_tells_the_browser_the_same_limits(client_as, clerk):
    html = client_as(clerk).get(reverse("repair-register")).content.decode()
    assert 'name="customer_name" value="" maxlength="100"' in html
    assert 'name="address" value="" maxlength="200"' in html
    assert f'name="description" rows="4" maxlength="{TEXT_MAX}"' in html


def test_the_intake_history_looks_up_an_over_long_phone_or_address_whole(client_as, clerk, hall):
    repair = register_repair(hall, actor=clerk, phone="1" * 20, address="路" * 200)
    page = client_as(clerk)
    for query in ({"phone": "1" * 21}, {"address": "路" * 201}):
        html = page.get(reverse("repair-intake-history"), query).content.decode()
        assert repair.number not in html
        assert "repeat-warning" not in html


def test_over_long_advice_is_refused_with_a_message_and_changes_nothing(client_as, clerk, repair):
    before = state(repair)
    response = act(client_as(clerk), repair, "diagnose", advice="查" * (TEXT_MAX + 1))
    (message,) = texts(response)
    assert str(TEXT_MAX) in message
    assert str(TEXT_MAX + 1) in message
    assert_unchanged(repair, before, RepairStatus.REGISTERED)


def test_over_long_advice_on_the_live_panel_shows_the_refusal_there(client_as, clerk, repair):
    before = state(repair)
    response = act(client_as(clerk), repair, "diagnose", htmx=True, advice="查" * (TEXT_MAX + 1))
    html = response.content.decode()
    assert 'class="message message-error"' in html
    assert str(TEXT_MAX + 1) in html
    assert_unchanged(repair, before, RepairStatus.REGISTERED)


def test_advice_as_long_as_free_text_may_be_is_stored_whole(client_as, clerk, repair):
    act(client_as(clerk), repair, "diagnose", advice="查" * TEXT_MAX)
    assert refreshed(repair).advice == "查" * TEXT_MAX


def test_over_long_completion_notes_are_refused_and_the_photo_is_not_kept(client_as, worker, on_site):
    before = state(on_site)
    photo = upload("fuse.png", PNG, "image/png")
    response = act(client_as(worker), on_site, "complete", notes="修" * (TEXT_MAX + 1), photos=[photo])
    assert str(TEXT_MAX + 1) in texts(response)[0]
    assert_unchanged(on_site, before, RepairStatus.ON_SITE)


def test_over_long_callback_notes_are_refused_and_change_nothing(client_as, clerk, completed):
    before = state(completed)
    response = act(client_as(clerk), completed, "callback", satisfaction="5", notes="好" * (TEXT_MAX + 1))
    assert str(TEXT_MAX + 1) in texts(response)[0]
    assert_unchanged(completed, before, RepairStatus.COMPLETED)


def test_the_advice_form_tells_the_browser_the_free_text_limit(client_as, clerk, repair):
    html = client_as(clerk).get(reverse("repair-detail", args=[repair.pk])).content.decode()
    assert f'name="advice" rows="2" maxlength="{TEXT_MAX}"' in html


def test_the_worker_page_tells_the_browser_the_free_text_limit(client_as, worker, on_site):
    html = client_as(worker).get(reverse("repair-mine")).content.decode()
    assert f'name="notes" rows="3" maxlength="{TEXT_MAX}"' in html


def test_the_callback_list_tells_the_browser_the_free_text_limit(client_as, clerk, completed):
    html = client_as(clerk).get(reverse("repair-callbacks")).content.decode()
    assert f'name="notes" maxlength="{TEXT_MAX}"' in html


# The worker's page and the callback list


def test_the_worker_sees_their_open_orders_with_full_phones(client_as, worker, dispatched, hall, clerk):
    register_repair(hall, actor=clerk, phone="13900000003", address="别处")
    html = client_as(worker).get(reverse("repair-mine")).content.decode()
    assert dispatched.number in html
    assert 'href="tel:13800138000"' in html
    assert html.count('class="mine-number"') == 1


def test_the_worker_page_offers_completion_with_the_camera_once_on_site(client_as, worker, on_site):
    html = client_as(worker).get(reverse("repair-mine")).content.decode()
    assert 'accept="image/*" capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html


def test_the_callback_list_shows_completed_orders_with_their_form(client_as, duty, completed, repair):
    html = client_as(duty).get(reverse("repair-callbacks")).content.decode()
    assert completed.number in html
    assert "更换熔断器" in html
    assert 'name="satisfaction" value="5"' in html
    assert "13800138000" in html


# The customer's status page


def test_the_callback_list_gives_a_clerk_the_number_to_call(client_as, clerk, completed):
    html = client_as(clerk).get(reverse("repair-callbacks")).content.decode()

    assert "13800138000" in html


def test_the_status_page_is_public_and_shows_no_phone_or_notes(client, completed):
    response = client.get(reverse("repair-status-page", args=[completed.token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert completed.number in html
    assert "13800138000" not in html
    assert "更换熔断器" not in html
    assert html.count("progress-step is-done") == 4
    assert completed.worker.display_name in html


def test_the_status_page_answers_404_for_an_unknown_token(client, db):
    assert client.get(reverse("repair-status-page", args=["nope"])).status_code == 404


def test_the_status_page_polls_and_gets_204_while_nothing_changed(client, repair, clerk, worker):
    url = reverse("repair-status-page", args=[repair.token])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 30s"' in html
    version = html.split("?v=")[1].split('"')[0]
    assert client.get(f"{url}?v={version}", HTTP_HX_REQUEST="true").status_code == 204
    services.repair_dispatch(repair=repair, worker=worker, actor=clerk)
    changed = client.get(f"{url}?v={version}", HTTP_HX_REQUEST="true")
    assert changed.status_code == 200
    assert changed.content.decode().startswith('<section id="repair-live"')
