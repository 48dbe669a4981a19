import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save

from hall.db import insert, next_value, planned_cursor
from hall.models import DailySequence, TimelineEvent
from hall.timeline import insert_with_event
from tests.factories import issue
from tickets.models import Ticket


@pytest.fixture
def saves():
    seen = []

    def pre(sender, instance, **kwargs):
        seen.append(("pre", sender, instance.pk, kwargs["raw"], kwargs["update_fields"]))

    def post(sender, instance, created, **kwargs):
        seen.append(("post", sender, instance.pk, created))

    pre_save.connect(pre, sender=TimelineEvent)
    post_save.connect(post, sender=TimelineEvent)
    yield seen
    pre_save.disconnect(pre, sender=TimelineEvent)
    post_save.disconnect(post, sender=TimelineEvent)


def test_insert_writes_the_row_and_sends_the_signals_save_would(hall, saves):
    event = TimelineEvent(hall=hall, content_type_id=1, object_id=7, action="note", data={"a": [1, "二"]})

    insert(event)

    assert saves == [("pre", TimelineEvent, None, False, None), ("post", TimelineEvent, event.pk, True)]
    assert not event._state.adding
    stored = TimelineEvent.objects.get(pk=event.pk)
    assert (stored.hall_id, stored.object_id, stored.action, stored.data) == (hall.pk, 7, "note", {"a": [1, "二"]})


def test_insert_fills_the_fields_save_fills(hall, types, clock):
    ticket = Ticket(hall=hall, business_type=types["A"], issued_type=types["A"], service_date=dt.date(2026, 3, 2))
    ticket.seq, ticket.number, ticket.issued_at = 1, "A001", dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)

    insert(ticket)

    ticket.refresh_from_db()
    assert ticket.created_at == dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # auto_now_add, by the clock
    assert len(ticket.token) > 16
    assert ticket.status == "waiting"


@pytest.fixture(params=["postgresql", "other"])
def vendor(request, monkeypatch):
    """Runs a test on PostgreSQL's path and on the one for other databases."""
    if request.param == "other":
        monkeypatch.setattr(connection, "vendor", "sqlite")
    return request.param


def test_a_record_and_its_first_event_are_inserted_together(hall, types, clerk, saves, vendor, clock):
    ticket = Ticket(hall=hall, business_type=types["A"], issued_type=types["A"], service_date=dt.date(2026, 3, 2))
    ticket.seq, ticket.number, ticket.issued_at = 1, "A001", dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)

    event = insert_with_event(ticket, action="issue", actor=clerk, to_status="waiting", data={"channel": "kiosk"})

    assert (ticket.pk, event.object_id) == (Ticket.objects.get().pk, ticket.pk)
    assert not ticket._state.adding and not event._state.adding
    assert saves == [("pre", TimelineEvent, None, False, None), ("post", TimelineEvent, event.pk, True)]
    stored = TimelineEvent.objects.get()
    assert (stored.pk, stored.object_id, stored.action, stored.actor, stored.data) == (
        event.pk,
        ticket.pk,
        "issue",
        clerk,
        {"channel": "kiosk"},
    )
    assert stored.subject == ticket


def test_issuing_runs_through_django_s_own_cursor_on_other_databases(hall, types, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with planned_cursor() as cursor:
        assert type(cursor.cursor) is type(connection.cursor().cursor)

    numbers = [issue(hall, types["A"]).number for _ in range(3)]

    assert numbers == ["A001", "A002", "A003"]
    assert TimelineEvent.objects.filter(action="issue").count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_postgresql_plans_issuing_s_statements_once_per_connection(hall, types):
    for _ in range(8):
        issue(hall, types["A"])

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = " ".join(row[0] for row in cursor.fetchall())
    for table in ("tickets_ticketsequence", "tickets_ticket", "hall_timelineevent"):
        assert f"INSERT INTO {table} (" in prepared.replace('"', "")
    # The queue count is planned on every run: its best index changes as the day's tickets pile up.
    assert "COUNT(" not in prepared


def test_a_failed_insert_spoils_its_transaction_as_save_does(hall, types):
    taken = issue(hall, types["A"])
    ticket = Ticket(hall=hall, business_type=types["A"], issued_type=types["A"], service_date=taken.service_date)
    ticket.seq, ticket.number, ticket.issued_at, ticket.token = 2, "A002", taken.issued_at, taken.token

    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert(ticket)
        assert transaction.get_rollback()
    assert Ticket.objects.count() == 1


def test_next_value_starts_each_key_at_one_and_counts_on(hall, north):
    day = dt.date(2026, 3, 2)
    keys = [(hall, "repair"), (hall, "repair"), (hall, "complaint"), (north, "repair"), (hall, "repair")]
    taken = [next_value(DailySequence, hall_id=h.pk, kind=kind, day=day) for h, kind in keys]

    assert taken == [1, 2, 1, 1, 3]
    assert DailySequence.objects.get(hall=hall, kind="repair", day=day).last == 3


def test_next_value_gives_none_once_the_limit_is_taken_and_writes_nothing(hall):
    day = dt.date(2026, 3, 2)
    taken = [next_value(DailySequence, limit=2, hall_id=hall.pk, kind="repair", day=day) for _ in range(4)]

    assert taken == [1, 2, None, None]
    assert DailySequence.objects.get(hall=hall, kind="repair", day=day).last == 2


def test_next_value_under_a_limit_of_nothing_takes_nothing(hall):
    assert next_value(DailySequence, limit=0, hall_id=hall.pk, kind="repair", day=dt.date(2026, 3, 2)) is None
    assert not DailySequence.objects.exists()
