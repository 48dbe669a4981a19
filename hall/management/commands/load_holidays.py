from django.core.management.base import BaseCommand

from hall.calendar import load_holidays


class Command(BaseCommand):
    help = (
        "Adds the public holidays and make-up workdays the chinesecalendar package knows and the calendar lacks; "
        "days already entered (perhaps corrected by hand) are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Only this year.")

    def handle(self, *args, year=None, **options):
        added = load_holidays(year=year)
        self.stdout.write(f"{added} calendar days added.")
