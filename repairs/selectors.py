"""Reads for the repair screens and API: filtered lists with their clocks' colours, callbacks, history."""

from django.db.models import QuerySet

from hall import sla
from hall.permissions import scope_to_hall
from hall.selectors import desk_list
from repairs.models import OPEN_REPAIR_STATUSES, RepairOrder, RepairStatus


def repair_list(
    *,
    user,
    hall_id: int | None = None,
    status: str | None = None,
    urgency: int | None = None,
    worker_id: int | None = None,
    overdue: bool = False,
    search: str = "",
) -> QuerySet[RepairOrder]:
    """The user's hall's orders, newest first (overdue ones: the longest overdue first), narrowed by the
    given filters."""
    return desk_list(
        RepairOrder.objects.select_related("worker"),
        user=user,
        overdue=overdue,
        search=search,
        hall_id=hall_id,
        status=status,
        urgency=urgency,
        worker_id=worker_id,
    )


def with_sla_state(repairs) -> list[RepairOrder]:
    return sla.with_sla_state(RepairOrder, repairs)


def callbacks_due(*, user) -> QuerySet[RepairOrder]:
    """Completed orders waiting for their callback, due soonest first."""
    return (
        scope_to_hall(RepairOrder.objects.select_related("worker"), user)
        .filter(status=RepairStatus.COMPLETED)
        .order_by("callback_by", "id")
    )


def worker_orders(*, worker) -> QuerySet[RepairOrder]:
    """A worker's open orders, the earliest promise first."""
    return RepairOrder.objects.filter(
        worker=worker, status__in=[RepairStatus.DISPATCHED, RepairStatus.ON_SITE]
    ).order_by("respond_by", "id")


def customer_repairs(*, hall_id: int, phone: str = "", address: str = "", limit: int = 10) -> list[RepairOrder]:
    """Earlier orders from this phone or at this address, newest first: what the intake form shows."""
    if not phone and not address:
        return []
    repairs = RepairOrder.objects.filter(hall_id=hall_id)
    matching = RepairOrder.objects.none()
    if phone:
        matching |= repairs.filter(phone=phone)
    if address:
        matching |= repairs.filter(address=address)
    return list(matching.order_by("-created_at", "-id")[:limit])


def open_repairs(*, hall_id: int) -> QuerySet[RepairOrder]:
    return RepairOrder.objects.filter(hall_id=hall_id, status__in=OPEN_REPAIR_STATUSES)
