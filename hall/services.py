"""Writes of the hall's own records that every workflow shares."""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from hall.calendar import year_is_known
from hall.db import insert
from hall.models import Customer, Hall, Notification, User
from hall.notifications import notify

logger = logging.getLogger(__name__)

MISSING_YEAR_KIND = "calendar_year_missing"
# Official holidays are published in the autumn: a deadline reaches a few weeks ahead, so a year's missing
# days are worth a notice from two months before it starts.
MISSING_YEAR_NOTICE_AHEAD = timedelta(days=60)


def customer_for_contact(*, hall: Hall, name: str, phone: str, address: str = "") -> Customer:
    """The hall's customer with this phone number, or a new one: staff never have to look a customer up
    before registering a repair or a complaint."""
    found = Customer.objects.filter(hall=hall, phone=phone).order_by("id").first()
    if found is None:
        found = Customer(hall=hall, name=name, phone=phone, address=address)
        insert(found)
    return found


def calendar_missing_years_warn(*, today: date | None = None) -> list[Notification]:
    """Tells every active superuser, once per year, that this year's or the coming year's holidays are not
    entered (deadlines then count Monday to Friday as working days). Returns the notifications written."""
    today = today or timezone.localdate()
    written = []
    for year in sorted({today.year, (today + MISSING_YEAR_NOTICE_AHEAD).year}):
        if not year_is_known(year):
            logger.warning("no calendar entries for %s: counting Monday to Friday as working days", year)
            written += _warn_missing_year(year)
    return written


def _warn_missing_year(year: int) -> list[Notification]:
    link = f"/admin/hall/calendarday/?date__year={year}"
    with transaction.atomic():
        # Locking the recipients serialises two runs at once: each superuser is told once.
        admins = list(User.objects.select_for_update().filter(is_superuser=True, is_active=True).order_by("pk"))
        told = set(Notification.objects.filter(kind=MISSING_YEAR_KIND, link=link).values_list("recipient", flat=True))
        return notify(
            recipients=[admin for admin in admins if admin.pk not in told],
            hall_id=None,
            kind=MISSING_YEAR_KIND,
            params={"year": year},
            link=link,
        )
