"""Human-friendly record numbers that restart every day per hall, e.g. repair order BX20261124-0007."""

from django.db import connection

from hall.models import DailySequence, Hall


def next_number(*, hall: Hall, kind: str, prefix: str) -> str:
    """Takes the day's next number in one statement; call it inside the transaction that saves the record."""
    day = hall.today()
    table = DailySequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (hall_id, kind, day, last) VALUES (%s, %s, %s, 1)
            ON CONFLICT (hall_id, kind, day) DO UPDATE SET last = {table}.last + 1
            RETURNING last
            """,
            [hall.pk, kind, day],
        )
        (last,) = cursor.fetchone()
    return f"{prefix}{day:%Y%m%d}-{last:04d}"
