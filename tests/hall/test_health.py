"""The health check: a dead SLA sweep (no worker, no beat) or an unreachable database shows, with no login."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client

from hall import sla
from hall.tasks import sla_sweep

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SWEPT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
pytestmark = pytest.mark.django_db


def health():
    response = Client().get("/healthz")
    return response.status_code, response.json()


def deploy_check() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("check", "--deploy", "--database", "default", "--tag", "database", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.fixture
def clock():
    with time_machine.travel(SWEPT, tick=False) as traveller:
        yield traveller


def test_it_answers_ok_without_login_after_a_sweep(clock):
    sla_sweep()
    clock.shift(dt.timedelta(seconds=42))

    status, body = health()

    assert status == 200
    assert body == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "sla_sweep_age_seconds": 42,
        "sla_sweep_stale_after_seconds": 300,
    }


def test_it_answers_503_when_the_sweep_never_ran(clock):
    status, body = health()

    assert status == 503
    assert (body["status"], body["database"], body["sla_sweep_age_seconds"]) == ("failing", "ok", None)


def test_it_answers_503_once_the_sweep_is_more_than_five_minutes_old(clock):
    sla.sla_sweep()
    clock.shift(dt.timedelta(minutes=5))
    assert health()[0] == 200

    clock.shift(dt.timedelta(seconds=1))
    status, body = health()

    assert status == 503
    assert (body["status"], body["sla_sweep_age_seconds"]) == ("failing", 301)


def test_each_sweep_makes_it_fresh_again(clock):
    sla.sla_sweep()
    clock.shift(dt.timedelta(hours=2))
    assert health()[0] == 503

    sla.sla_sweep()
    status, body = health()

    assert (status, body["sla_sweep_age_seconds"]) == (200, 0)


def test_it_answers_503_when_the_database_is_unreachable(clock):
    sla.sla_sweep()

    with connection.execute_wrapper(refuse_every_query):
        status, body = health()

    assert status == 503
    assert (body["status"], body["database"], body["sla_sweep_age_seconds"]) == ("failing", "down", None)


def test_it_reports_redis_down_and_still_knows_the_sweep_from_the_database(clock, settings):
    sla.sla_sweep()
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there

    status, body = health()

    assert status == 200
    assert (body["redis"], body["sla_sweep_age_seconds"]) == ("down", 0)


def test_the_stale_limit_is_a_setting(clock, settings):
    settings.SLA_SWEEP_STALE_SECONDS = 60
    sla.sla_sweep()
    clock.shift(dt.timedelta(seconds=61))

    assert health()[0] == 503


def test_it_is_never_cached(clock):
    sla.sla_sweep()

    response = Client().get("/healthz")

    assert "no-store" in response["Cache-Control"]


def test_the_deploy_check_warns_of_a_sweep_that_never_ran(clock):
    output = deploy_check()

    assert "hall.W001" in output
    assert "The SLA sweep has never run" in output


def test_the_deploy_check_warns_of_a_stale_sweep(clock):
    sla.sla_sweep()
    clock.shift(dt.timedelta(minutes=10))

    output = deploy_check()

    assert "hall.W001" in output
    assert "The SLA sweep last ran 600 seconds ago" in output


def test_the_deploy_check_is_quiet_about_a_fresh_sweep(clock):
    sla.sla_sweep()
    clock.shift(dt.timedelta(minutes=1))

    assert "hall.W001" not in deploy_check()
