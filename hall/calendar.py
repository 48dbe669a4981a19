"""The working-day calendar: Monday–Friday, minus public holidays, plus make-up workdays (调休).

Exceptions come from the CalendarDay table, cached per year (shared, and a few seconds in each process). A
year without any entries falls back to Monday–Friday, because official holidays are published late and a guess
is better than a clock that cannot start; a daily task (hall.services.calendar_missing_years_warn) tells the
superusers. Reading the calendar never writes anything.
"""

from datetime import date, datetime, time, timedelta, tzinfo

from hall.cache import Kept
from hall.models import CalendarDay, CalendarDayKind

END_OF_DAY = time(23, 59, 59)
# Every deadline in working days reads its years.
_kept_years = Kept("hall:calendar", shared_seconds=60 * 60)
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def is_working_day(day: date, entries: dict[date, str] | None = None) -> bool:
    """`entries`, the day's year from _year_entries, spares a cache read when the caller walks many days."""
    kind = (entries if entries is not None else _year_entries(day.year)).get(day)
    if kind == CalendarDayKind.HOLIDAY:
        return False
    if kind == CalendarDayKind.WORKDAY:
        return True
    return day.weekday() < 5


def add_working_days(start: datetime, n: int, tz: tzinfo) -> datetime:
    """23:59:59 hall time on the nth working day after the day of `start`; that day itself never counts."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start.astimezone(tz).date()
    years = {}
    while n:
        day += timedelta(days=1)
        if day.year not in years:
            years[day.year] = _year_entries(day.year)
        n -= is_working_day(day, years[day.year])
    return datetime.combine(day, END_OF_DAY, tzinfo=tz)


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b]."""
    return sum(is_working_day(a + timedelta(days=offset)) for offset in range(1, (b - a).days + 1))


def year_is_known(year: int) -> bool:
    return bool(_year_entries(year))


def drop_cache(**kwargs) -> None:
    """Signal receiver: any change to the table makes every cached year stale."""
    _kept_years.forget()


def load_holidays(calendar_day_model=CalendarDay, year: int | None = None) -> int:
    """Adds the days the `chinesecalendar` package knows and the table lacks; returns how many were added.

    Takes the model so the data migration can pass its historical one. Existing rows are kept as they are:
    a hall may have corrected them."""
    from chinese_calendar import constants

    added = 0
    for kind, days in ((CalendarDayKind.HOLIDAY, constants.holidays), (CalendarDayKind.WORKDAY, constants.workdays)):
        for day, name in sorted(days.items()):
            if year is not None and day.year != year:
                continue
            _, created = calendar_day_model.objects.get_or_create(
                date=day, defaults={"kind": kind, "name": CHINESE_NAMES.get(name, name)[:50]}
            )
            added += created
    return added


def _year_entries(year: int) -> dict[date, str]:
    return _kept_years.get(year, lambda: dict(CalendarDay.objects.filter(date__year=year).values_list("date", "kind")))
