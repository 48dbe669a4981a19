import pytest
from django.urls import reverse

from hall.models import Notification, Role
from hall.notifications import notify
from tests.factories import UserFactory, person

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["notifications", "floor", "counter-console", "rating-pad"])
def test_it_sends_anonymous_visitors_of_staff_pages_to_log_in(client, counter, name):
    url = reverse(name, args=[counter.pk]) if name in ("counter-console", "rating-pad") else reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_it_logs_a_clerk_in_and_sends_them_to_their_counter(client, counter, clerk):
    response = client.post(reverse("login"), {"username": "clerk1", "password": "pw12345678"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("counter-console", args=[counter.pk])
    assert response.status_code == 200


def test_it_shows_the_login_form_in_the_default_language(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'lang="zh-hans"' in response.content


def test_it_lists_the_counters_for_a_clerk_without_a_counter(client_as, hall, counter):
    roaming = UserFactory(hall=hall, username="clerk9", roles=[Role.CLERK])
    response = client_as(roaming).get(reverse("home"))
    assert response.status_code == 200
    assert reverse("counter-console", args=[counter.pk]).encode() in response.content


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (Role.HALL_MANAGER, "reports"),
        (Role.DUTY_MANAGER, "floor"),
        (Role.REPAIR_WORKER, "repair-mine"),
        (Role.COMPLAINT_HANDLER, "complaint-desk"),
    ],
    ids=[
        "hall-managers-to-the-reports",
        "duty-managers-to-the-floor-view",
        "repair-workers-to-their-orders",
        "complaint-handlers-to-the-complaint-desk",
    ],
)
def test_it_sends_each_role_to_its_own_page(client_as, hall, role, page):
    response = client_as(person(hall, "someone", role)).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(page)


def test_it_gives_other_roles_a_list_of_links(client_as, hall):
    roaming = UserFactory(hall=hall, username="roaming", roles=[Role.CLERK])
    response = client_as(roaming).get(reverse("home"))
    assert response.status_code == 200
    assert reverse("board", args=[hall.code]).encode() in response.content
    assert reverse("counter-console", args=[1]).encode() not in response.content


def test_it_switches_the_language_to_english(client_as, clerk):
    client = client_as(clerk)
    client.post("/i18n/setlang/", {"language": "en", "next": reverse("notifications")})
    response = client.get(reverse("notifications"))
    assert b'lang="en"' in response.content
    assert b"Nothing to read." in response.content


def test_it_lists_only_my_notifications(client_as, hall, clerk, hall_manager):
    notify(recipients=[clerk], hall_id=hall.pk, kind="test", subject="For the clerk")
    notify(recipients=[hall_manager], hall_id=hall.pk, kind="test", subject="For the manager")
    response = client_as(clerk).get(reverse("notifications"))
    assert b"For the clerk" in response.content
    assert b"For the manager" not in response.content


def test_it_marks_a_notification_read(client_as, hall, clerk):
    [notification] = notify(recipients=[clerk], hall_id=hall.pk, kind="test", subject="Read me")
    response = client_as(clerk).post(reverse("notification-read", args=[notification.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_it_refuses_to_mark_someone_elses_notification(client_as, hall, clerk, hall_manager):
    [notification] = notify(recipients=[hall_manager], hall_id=hall.pk, kind="test", subject="Not yours")
    response = client_as(clerk).post(reverse("notification-read", args=[notification.pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None
