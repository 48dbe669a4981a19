import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from hall.models import Hall
from reports import services


def day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = (
        "Rolls up (日清) the closed days of a period again for some halls (every hall by default); idempotent, and "
        "today, which is always computed live, is left out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hall", action="append", default=[], metavar="CODE", help="A hall's code; repeatable.")
        parser.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")

    def handle(self, *args, hall, first, last, **options):
        first, last = day(first), day(last)
        if first > last:
            raise CommandError("The period ends before it starts.")
        halls = list(Hall.objects.filter(code__in=hall) if hall else Hall.objects.all())
        unknown = set(hall) - {h.code for h in halls}
        if unknown:
            raise CommandError(f"No such hall: {', '.join(sorted(unknown))}")
        written = services.rollup_days(halls, first, last)
        self.stdout.write(f"Rolled up {first}..{last} of {', '.join(h.code for h in halls)}: {written} rows.")
