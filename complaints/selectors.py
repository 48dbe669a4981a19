"""Reads for the complaint screens and API: the desk's lists, the customer's history at intake, incidents."""

from django.db.models import QuerySet

from complaints import policies
from complaints.models import OPEN_COMPLAINT_STATUSES, Complaint
from hall import sla
from hall.models import Customer, User
from hall.people import people_who_can
from hall.selectors import desk_list
from repairs import selectors as repair_selectors


def complaint_list(
    *,
    user,
    hall_id: int | None = None,
    status: str | None = None,
    owner_id: int | None = None,
    overdue: bool = False,
    customer_phone: str = "",
    search: str = "",
) -> QuerySet[Complaint]:
    """The user's hall's complaints, newest first (overdue ones: the longest overdue first)."""
    return desk_list(
        Complaint.objects.select_related("owner"),
        user=user,
        overdue=overdue,
        search=search,
        hall_id=hall_id,
        status=status,
        owner_id=owner_id,
        phone=customer_phone,
    )


def with_sla_state(complaints) -> list[Complaint]:
    return sla.with_sla_state(Complaint, complaints)


def desk(*, user) -> list[Complaint]:
    """The desk's opening view: the user's open complaints, overdue and soonest due first."""
    mine = Complaint.objects.filter(owner=user, status__in=OPEN_COMPLAINT_STATUSES).select_related("owner")
    return with_sla_state(mine.order_by("next_due_at", "id"))


def desk_staff(*, hall_id: int) -> QuerySet[User]:
    """The hall's active people at the complaint desk: the owners the desk filters by, whom to hand over to."""
    return people_who_can(hall_id, policies.DESK_ROLES)


def repeat_count(*, hall_id: int, phone: str, exclude_id: int | None = None) -> int:
    """The other complaints from this phone number in the hall: at intake, the customer's earlier ones."""
    if not phone:
        return 0
    return Complaint.objects.filter(hall_id=hall_id, phone=phone).exclude(pk=exclude_id).count()


def customer_history(*, hall_id: int, phone: str, limit: int = 10) -> dict:
    """What the intake form shows before saving: the customer's flags, earlier complaints and repairs."""
    if not phone:
        return {"customer": None, "flags": [], "complaints": [], "repairs": [], "repeat_count": 0}
    customer = Customer.objects.filter(hall_id=hall_id, phone=phone).order_by("id").first()
    complaints = list(Complaint.objects.filter(hall_id=hall_id, phone=phone).order_by("-created_at")[:limit])
    return {
        "customer": customer,
        "flags": customer.flags if customer else [],
        "complaints": complaints,
        "repairs": repair_selectors.customer_repairs(hall_id=hall_id, phone=phone, limit=limit),
        "repeat_count": repeat_count(hall_id=hall_id, phone=phone),
    }


def incident_members(lead: Complaint) -> list[Complaint]:
    """The incident's first complaint and every complaint linked to it."""
    return with_sla_state([lead, *lead.members.select_related("owner").order_by("created_at", "id")])


def open_complaints(*, hall_id: int) -> QuerySet[Complaint]:
    return Complaint.objects.filter(hall_id=hall_id, status__in=OPEN_COMPLAINT_STATUSES)


def justified_against_people(hall, start, end) -> QuerySet:
    """The hall's complaints resolved in [start, end) as justified against a member of staff."""
    return Complaint.objects.filter(
        hall=hall, justified=True, justified_against__isnull=False, resolved_at__gte=start, resolved_at__lt=end
    ).order_by("resolved_at", "id")
