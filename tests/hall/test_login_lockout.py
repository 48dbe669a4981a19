"""Wrong passwords lock a username (and, past more of them, an address) out of every sign-in door for a while."""

import datetime as dt
import io
import logging

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from hall.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "pw12345678"
HERE = "10.0.0.1"


@pytest.fixture(autouse=True)
def lockout_settings(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    settings.LOGIN_FAILURE_MINUTES = 15
    settings.LOGIN_LOCKOUT_MINUTES = 15


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def page():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def token(api, username="clerk1", password=RIGHT, address=HERE):
    body = {"username": username, "password": password}
    return api.post("/api/auth/token/", body, format="json", REMOTE_ADDR=address)


def sign_in(page, username="clerk1", password=RIGHT, address=HERE):
    return page.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


# The token API


def test_the_api_locks_a_username_out_at_the_fifth_wrong_password(clock, api, clerk):
    codes = [token(api, password=f"wrong{n}").status_code for n in range(5)]

    assert codes == [400, 400, 400, 400, 429]


def test_the_right_password_is_refused_while_the_username_is_locked_out(clock, api, clerk):
    for n in range(5):
        token(api, password=f"wrong{n}")
    clock.shift(dt.timedelta(minutes=5))

    response = token(api)

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert response.json() == {
        "detail": "Too many wrong passwords for this account: it is locked for 10 minutes. Try again then, "
        "or ask an administrator to unlock it.",
        "code": "login_locked",
    }


def test_the_right_password_works_again_once_the_lockout_is_over(clock, api, clerk):
    for n in range(5):
        token(api, password=f"wrong{n}")
    clock.shift(dt.timedelta(minutes=15, seconds=1))

    response = token(api)

    assert response.status_code == 200
    assert response.json()["token"]


def test_a_lockout_is_in_chinese_by_default(clock, clerk):
    for n in range(5):
        token(APIClient(), password=f"wrong{n}")

    assert "15 分钟" in token(APIClient()).json()["detail"]


def test_a_successful_sign_in_clears_the_failures(clock, api, clerk):
    for n in range(4):
        token(api, password=f"wrong{n}")
    assert token(api).status_code == 200

    codes = [token(api, password=f"again{n}").status_code for n in range(4)]

    assert codes == [400] * 4
    assert token(api).status_code == 200


def test_a_locked_username_is_locked_from_any_address(clock, api, clerk):
    for n in range(5):
        token(api, password=f"wrong{n}", address=f"10.0.1.{n}")

    assert token(api, address="10.0.2.1").status_code == 429


def test_an_address_is_locked_out_after_many_wrong_passwords_for_any_usernames(clock, api, clerk):
    codes = [token(api, username=f"guess{n}", password="wrong").status_code for n in range(20)]

    assert codes == [400] * 19 + [429]
    response = token(api)
    assert response.status_code == 429
    assert "from this address" in response.json()["detail"]
    assert token(api, address="10.0.0.2").status_code == 200


def test_a_new_x_forwarded_for_does_not_unlock_an_address(clock, api, clerk):
    for n in range(20):
        token(api, username=f"guess{n}", password="wrong")

    response = api.post(
        "/api/auth/token/",
        {"username": "clerk1", "password": RIGHT},
        format="json",
        REMOTE_ADDR=HERE,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert response.status_code == 429


# The sign-in page


def test_the_page_says_the_account_is_locked_and_for_how_long(clock, page, clerk):
    for n in range(5):
        sign_in(page, password=f"wrong{n}")

    response = sign_in(page)

    assert response.status_code == 429
    assert "it is locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in page.session


def test_the_page_says_a_wrong_password_as_before_until_the_limit(clock, page, clerk):
    response = sign_in(page, password="wrong")

    assert response.status_code == 200
    assert "locked" not in response.content.decode()


def test_the_page_signs_in_again_once_the_lockout_is_over(clock, page, clerk):
    for n in range(5):
        sign_in(page, password=f"wrong{n}")
    clock.shift(dt.timedelta(minutes=16))

    response = sign_in(page)

    assert response.status_code == 302
    assert page.session["_auth_user_id"] == str(clerk.pk)


def test_the_page_and_the_api_count_the_same_failures(clock, page, api, clerk):
    for n in range(3):
        sign_in(page, password=f"wrong{n}")
    for n in range(2):
        token(api, password=f"wrong{n}")

    assert sign_in(page).status_code == 429


def test_the_admin_sign_in_is_locked_too_and_says_so(clock, page, hall):
    UserFactory(hall=hall, username="boss", roles=[Role.HALL_MANAGER], is_staff=True, is_superuser=True)
    for n in range(5):
        sign_in(page, username="boss", password=f"wrong{n}")

    response = page.post("/admin/login/", {"username": "boss", "password": RIGHT}, REMOTE_ADDR=HERE)

    assert "it is locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in page.session


# Unlocking and the log


def test_an_administrator_unlocks_a_username_with_the_command(clock, api, clerk):
    for n in range(5):
        token(api, password=f"wrong{n}")

    call_command("unlock_login", "clerk1", stdout=io.StringIO())

    assert token(api).status_code == 200


def test_the_command_unlocks_an_address(clock, api, clerk):
    for n in range(20):
        token(api, username=f"guess{n}", password="wrong")

    call_command("unlock_login", "--address", HERE, stdout=io.StringIO())

    assert token(api).status_code == 200


def test_an_administrator_unlocks_a_user_from_the_user_admin(clock, api, clerk, hall):
    boss = UserFactory(hall=hall, username="boss", is_staff=True, is_superuser=True)
    for n in range(5):
        token(api, password=f"wrong{n}")
    admin = Client()
    admin.force_login(boss)

    response = admin.post("/admin/hall/user/", {"action": "unlock_login", "_selected_action": [clerk.pk]}, follow=True)

    assert response.status_code == 200
    assert token(api).status_code == 200


def test_each_lockout_writes_one_warning_with_the_username_and_address_and_no_password(clock, api, clerk, caplog):
    with caplog.at_level(logging.WARNING, logger="hall.logins"):
        for n in range(5):
            token(api, password=f"secret-guess-{n}")
        token(api)

    records = [record for record in caplog.records if record.name == "hall.logins"]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    line = records[0].getMessage()
    assert "'clerk1'" in line and HERE in line
    assert "secret-guess" not in line and RIGHT not in line
