"""Human-friendly record numbers that restart every day per hall, e.g. repair order BX20261124-0007."""

from hall.db import next_value
from hall.models import DailySequence, Hall


def next_number(*, hall: Hall, kind: str, prefix: str) -> str:
    """Takes the day's next number; call it inside the transaction that saves the record."""
    day = hall.today()
    last = next_value(DailySequence, hall_id=hall.pk, kind=kind, day=day)
    return f"{prefix}{day:%Y%m%d}-{last:04d}"
