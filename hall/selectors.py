"""Reads of the hall's own records that every app uses, and the list every desk narrows down."""

from django.db.models import Q, QuerySet

from hall import sla
from hall.cache import Kept
from hall.models import Hall
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
