"""PostgreSQL going away under a request (restarted, refusing connections): the request answers 503 with a retry
hint, in the API's JSON or as the hall's page, nothing half-written stays, and the next request works. The
failures are real: the request's server process is terminated from a second connection, or the server's port
refuses."""

import contextlib
import logging
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from rest_framework.exceptions import ValidationError

import complaints.apis
from complaints.models import Complaint
from hall.models import SlaClock, TimelineEvent
from tests.complaints.test_api import complaint_body
from tests.redis_servers import free_port
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def terminate(pid: int) -> None:
    """What a restart does to a server process: ended from outside, the client learns it at its next statement."""
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"], host=params["HOST"], port=params["PORT"], user=params["USER"], autocommit=True
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def lose_the_connection() -> None:
    connection.ensure_connection()
    terminate(connection.connection.info.backend_pid)


@contextlib.contextmanager
def lost_at(fragment: str):
    """The server process is terminated just before the first statement that holds `fragment`."""
    state = {"done": False}

    def cut(execute, sql, params, many, context):
        if not state["done"] and fragment in sql:
            state["done"] = True
            terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cut):
        yield state
    assert state["done"], f"no statement held {fragment!r}"


@contextlib.contextmanager
def refused():
    """PostgreSQL down: nothing listens where the next connection goes."""
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


def kiosk(api, hall):
    return api.post("/api/tickets/", {"hall": hall.pk, "business_type": "A"}, format="json")


def test_an_api_call_that_loses_the_database_answers_503_with_a_retry_hint_and_the_next_works(api, hall, types):
    lose_the_connection()

    response = kiosk(api, hall)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "服务暂时不可用，请几秒钟后再试。",
        "code": "unavailable",
    }
    assert kiosk(api, hall).status_code == 201
    assert Ticket.objects.count() == 1


def test_it_logs_the_503_as_one_warning_line_with_the_cause_and_no_traceback(api, hall, types, caplog):
    lose_the_connection()

    with caplog.at_level(logging.INFO):
        kiosk(api, hall)

    [line] = request_lines(caplog)
    assert line.levelno == logging.WARNING
    assert line.exc_info is None
    assert line.getMessage().startswith("Service Unavailable: /api/tickets/ (the database: ")
    assert not [record for record in caplog.records if record.exc_info]


def test_a_page_that_loses_the_database_shows_the_halls_503_page(client_as, clerk, counter):
    page = client_as(clerk)
    assert page.get("/complaints/").status_code == 200
    lose_the_connection()

    response = page.get("/complaints/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "503.html" in [template.name for template in response.templates]
    html = response.content.decode()
    assert "服务暂时不可用" in html
    assert "app.css" in html
    assert page.get("/complaints/").status_code == 200


def test_a_database_that_refuses_connections_answers_503_until_it_is_back(api, hall, types):
    kiosk(api, hall)  # the hall's types are kept by this process from now on

    with refused():
        response = kiosk(api, hall)
        assert (response.status_code, response.json()["code"]) == (503, "unavailable")
        assert api.get(f"/api/halls/{hall.pk}/board/").status_code == 503

    assert kiosk(api, hall).status_code == 201
    assert list(Ticket.objects.values_list("number", flat=True).order_by("number")) == ["A001", "A002"]


def test_a_complaint_cut_off_half_written_leaves_nothing_behind(api_as, clerk, hall):
    with lost_at('INSERT INTO "hall_slaclock"'):
        response = api_as(clerk).post("/api/complaints/", complaint_body(hall), format="json")

    assert response.status_code == 503
    assert Complaint.objects.count() == 0
    assert SlaClock.objects.count() == 0
    assert TimelineEvent.objects.count() == 0

    assert api_as(clerk).post("/api/complaints/", complaint_body(hall), format="json").status_code == 201
    assert Complaint.objects.count() == 1


def test_a_write_that_loses_the_database_after_its_work_is_done_keeps_nothing_of_it(api_as, clerk, hall):
    # The complaint, its clock and its timeline are written; the answer's own reading meets the database gone.
    with lost_at('COUNT("complaints_complaint"."id")'):
        response = api_as(clerk).post("/api/complaints/", complaint_body(hall), format="json")

    assert response.status_code == 503
    assert Complaint.objects.count() == 0
    assert SlaClock.objects.count() == 0


def test_a_write_refused_after_the_view_wrote_changes_nothing(api_as, clerk, hall, monkeypatch):
    def refuse(complaints):
        raise ValidationError({"detail": "refused after writing"})

    monkeypatch.setattr(complaints.apis, "with_facts", refuse)
    response = api_as(clerk).post("/api/complaints/", complaint_body(hall), format="json")

    assert response.status_code == 400
    assert Complaint.objects.count() == 0
    assert SlaClock.objects.count() == 0


def test_a_session_that_cannot_be_saved_after_the_view_has_answered_answers_503_too(hall, duty):
    page = Client(raise_request_exception=False)
    form = {"kind": "suggestion", "customer_name": "王女士", "phone": "13900139000", "text": "多放椅子"}

    # The public form keeps the customer's reference in a new session, which SessionMiddleware writes after the view.
    with lost_at('INSERT INTO "django_session"'):
        response = page.post(f"/feedback/{hall.code}/", form)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "服务暂时不可用" in response.content.decode()
    assert page.post(f"/feedback/{hall.code}/", form).status_code == 302


@pytest.fixture
def pooled():
    """A connection like the default one, but through the pool the settings give a deployment."""
    params = {
        **connection.settings_dict,
        "OPTIONS": {**connection.settings_dict["OPTIONS"], "pool": settings.DATABASE_POOL_OPTIONS},
    }
    # Under the default alias, which Django's own hooks look up; the default connection itself has no pool here.
    wrapper = type(connections["default"])(params)
    yield wrapper
    wrapper.close()
    wrapper.close_pool()


def pooled_backends(wrapper) -> list[int]:
    """The server processes of every connection the pool holds, each taken out and put back once."""
    taken = [wrapper.pool.getconn() for _ in range(wrapper.pool.get_stats()["pool_size"])]
    pids = [conn.info.backend_pid for conn in taken]
    for conn in taken:
        wrapper.pool.putconn(conn)
    return pids


@pytest.mark.django_db
def test_the_pool_replaces_connections_a_restart_killed_before_handing_one_out(pooled):
    with pooled.cursor() as cursor:
        cursor.execute("SELECT 1")
    pooled.close()
    dead = pooled_backends(pooled)
    assert len(dead) >= settings.DATABASE_POOL_OPTIONS["min_size"]
    for pid in dead:
        terminate(pid)

    started = time.monotonic()
    with pooled.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()

    assert pid not in dead
    assert time.monotonic() - started < settings.DATABASE_POOL_OPTIONS["timeout"]
