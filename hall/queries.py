"""The SLA engine's hand-written SQL: statements that run on every clock started and stopped, and on every batch of
the sweep. Each function does the same with the ORM on a database other than PostgreSQL."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from hall.db import planned_cursor
from hall.models import SlaClock


def copy_soonest_due(subject: models.Model) -> datetime | None:
    """Sets the record's `next_due_at` to the soonest deadline of its running clocks and returns it, in one
    planned statement."""
    if connection.vendor != "postgresql":
        soonest = SlaClock.objects.filter(
            stopped_at__isnull=True, content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        ).aggregate(soonest=models.Min("due_at"))["soonest"]
        type(subject).objects.filter(pk=subject.pk).update(next_due_at=soonest)
        return soonest
    meta = subject._meta
    column = meta.get_field("next_due_at").column
    with planned_cursor() as cursor:
        cursor.execute(
            f"""UPDATE {meta.db_table} SET {column} = (SELECT min(due_at) FROM {SlaClock._meta.db_table}
                    WHERE content_type_id = %s AND object_id = %s AND stopped_at IS NULL)
                WHERE {meta.pk.column} = %s RETURNING {column}""",
            [ContentType.objects.get_for_model(subject).pk, subject.pk, subject.pk],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def save_levels(clocks: list[SlaClock]) -> None:
    """Saves each clock's level and next_level_at in one UPDATE … FROM unnest(…): bulk_update's CASE per row costs
    seconds for thousands."""
    if connection.vendor != "postgresql":
        SlaClock.objects.bulk_update(clocks, ["level", "next_level_at"])
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {SlaClock._meta.db_table} AS clock SET level = new.level, next_level_at = new.next_level_at
                FROM unnest(%s::bigint[], %s::smallint[], %s::timestamptz[]) AS new (id, level, next_level_at)
                WHERE clock.id = new.id""",
            [
                [clock.pk for clock in clocks],
                [clock.level for clock in clocks],
                [clock.next_level_at for clock in clocks],
            ],
        )
