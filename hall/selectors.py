"""Reads of the hall's own records that every app uses, and the list every desk narrows down."""

from django.db.models import Q, QuerySet

from hall import sla
from hall.cache import Kept
from hall.models import DutyManagerDay, Hall, Role, User
from hall.permissions import scope_to_hall

# Every kiosk press and every record taken starts from its hall.
_kept_halls = Kept()


def kept_hall(hall_id: int) -> Hall | None:
    """The hall as this process keeps it (see hall.cache.Kept), shared by every request: read it, don't change
    it."""
    return _kept_halls.get(hall_id, lambda: Hall.objects.filter(pk=hall_id).first())


def halls_changed(**kwargs) -> None:
    """Signal receiver: a hall saved or deleted here is read afresh."""
    _kept_halls.forget()


def duty_managers(hall: Hall, date=None) -> list[User]:
    """The day's (today's) duty manager when the roster names one, otherwise everyone with the role."""
    day = DutyManagerDay.objects.filter(hall=hall, date=date or hall.today()).select_related("manager").first()
    if day is not None and day.manager.is_active:
        return [day.manager]
    return list(User.objects.filter(hall=hall, is_active=True, groups__name=Role.DUTY_MANAGER).order_by("id"))


def desk_list(queryset: QuerySet, *, user, overdue: bool = False, search: str = "", **equal) -> QuerySet:
    """The user's hall's records (repairs, complaints) equal to each given filter (an empty one narrows nothing)
    and matching the search by number, phone, name or address; newest first, or only the overdue ones, the longest
    overdue first."""
    records = scope_to_hall(queryset, user).filter(**{field: value for field, value in equal.items() if value})
    if search:
        records = records.filter(
            Q(number__icontains=search)
            | Q(phone__contains=search)
            | Q(customer_name__icontains=search)
            | Q(address__icontains=search)
        )
    if overdue:
        return sla.overdue(records)
    return records.order_by("-created_at", "-id")
