import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from hall.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _templates(response):
    return [template.name for template in response.templates]


def _django_request_records(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


def test_it_shows_a_refused_page_with_the_menu_and_a_way_home(client_as, clerk):
    response = client_as(clerk).get(reverse("repair-mine"))
    assert response.status_code == 403
    assert "403.html" in _templates(response)
    page = response.content.decode()
    assert "你无权打开此页面" in page
    assert 'class="topbar-links"' in page
    assert f'href="{reverse("home")}"' in page
    assert "返回首页" in page


def test_it_logs_a_refused_page_as_one_warning_line_without_a_traceback(client_as, clerk, caplog):
    with caplog.at_level(logging.INFO):
        client_as(clerk).get(reverse("repair-mine"))
    records = _django_request_records(caplog)
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert records[0].exc_info is None
    assert records[0].getMessage() == f"Forbidden (Permission denied): {reverse('repair-mine')}"


def test_it_prints_a_refused_page_once_when_debugging(client_as, clerk, caplog, settings):
    settings.DEBUG = True
    with caplog.at_level(logging.INFO):
        client_as(clerk).get(reverse("repair-mine"))
    (record,) = _django_request_records(caplog)
    printers = []
    logger = logging.getLogger(record.name)
    while logger is not None:
        # The handlers the settings configure (pytest adds its own to capture the output).
        printers += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest") and h.filter(record)]
        logger = logger.parent if logger.propagate else None
    assert len(printers) == 1


def test_it_shows_a_missing_page_in_chinese_with_a_way_home(client_as, clerk):
    response = client_as(clerk).get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in _templates(response)
    page = response.content.decode()
    assert "此页面不存在" in page
    assert "返回首页" in page


def test_it_shows_a_missing_page_to_a_visitor_without_the_staff_menu(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'class="topbar-links"' in response.content.decode()
    assert "退出登录" not in response.content.decode()


@pytest.mark.parametrize("url", ["/no-such-page/", "/repairs/999999/"])
def test_it_shows_the_styled_missing_page_when_debugging(client_as, clerk, settings, caplog, url):
    settings.DEBUG = True
    with caplog.at_level(logging.INFO):
        response = client_as(clerk).get(url)
    assert response.status_code == 404
    assert "404.html" in _templates(response)
    assert "此页面不存在" in response.content.decode()
    assert len(_django_request_records(caplog)) == 1


def test_it_keeps_the_api_json_for_a_missing_record_when_debugging(api_as, clerk, settings):
    settings.DEBUG = True
    response = api_as(clerk).get("/api/repairs/999999/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_it_shows_the_styled_server_error_page_when_debugging_and_logs_the_traceback_once(
    client_as, clerk, settings, caplog, monkeypatch
):
    settings.DEBUG = True

    def crash(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("hall.views.notification_lines", crash)
    client = client_as(clerk)
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO):
        response = client.get("/notifications/")

    assert response.status_code == 500
    assert "500.html" in _templates(response)
    assert "我们这边出了问题" in response.content.decode()
    [line] = _django_request_records(caplog)
    [traceback] = [record for record in caplog.records if record.name == "hall.errors"]
    assert line.levelname == "ERROR" and "the disk is full" in str(traceback.exc_info[1])


def test_it_shows_a_styled_server_error_page(db):
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "我们这边出了问题" in page
    assert 'href="/"' in page
    assert "app.css" in page


def test_it_shows_the_menu_on_a_refused_page_for_a_repair_worker(client_as, hall):
    worker = UserFactory(hall=hall, username="worker9", roles=[Role.REPAIR_WORKER])
    response = client_as(worker).get(reverse("floor"))
    assert response.status_code == 403
    assert reverse("repair-mine") in response.content.decode()
