"""Repair orders (报修工单): register → diagnose → dispatch → arrive → complete → callback → close.

Two clocks run on an order (hall.sla): `respond` from registration until the worker is on site (2/4/8 h by
urgency, half for key customers) and `callback` from completion until the customer was called back (24 h).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from hall import sla
from hall.errors import ApplicationError, NotPermitted
from hall.models import MANAGER_ROLES, Customer, Hall, Role, SlaClock, User
from hall.notifications import notify
from hall.numbering import next_number
from hall.people import responsible_managers
from hall.services import customer_for_contact
from hall.timeline import record_event
from hall.uploads import validate_evidence
from hall.workflow import transition
from repairs.models import RepairOrder, RepairPhoto
from repairs.models import RepairStatus as S
from staff import selectors as staff_selectors

REPEAT_WINDOW = timedelta(days=7)
SATISFIED = 4
MAX_PHOTOS = 6
RESPOND, CALLBACK = "respond", "callback"

TRANSITIONS = {
    "diagnose": {S.REGISTERED: S.DIAGNOSED, S.DIAGNOSED: S.DIAGNOSED},
    "dispatch": {S.REGISTERED: S.DISPATCHED, S.DIAGNOSED: S.DISPATCHED, S.DISPATCHED: S.DISPATCHED},
    "arrive": {S.DISPATCHED: S.ON_SITE},
    "complete": {S.ON_SITE: S.COMPLETED},
    "callback": {S.COMPLETED: S.FOLLOWED_UP},
    "reopen": {S.COMPLETED: S.DISPATCHED},
    "close": {S.FOLLOWED_UP: S.CLOSED},
}
LABELS = {
    "diagnose": gettext_lazy("diagnosed"),
    "dispatch": gettext_lazy("dispatched"),
    "arrive": gettext_lazy("marked arrived"),
    "complete": gettext_lazy("completed"),
    "callback": gettext_lazy("called back"),
    "reopen": gettext_lazy("reopened"),
    "close": gettext_lazy("closed"),
}


class NoWorkerAvailable(ApplicationError):
    status_code = 409
    code = "no_worker_available"
    default_message = gettext_lazy("No repair worker of this hall with the fault's skill is available.")


def _move(repair: RepairOrder, action: str, actor, **kwargs) -> RepairOrder:
    return transition(record=repair, action=action, moves=TRANSITIONS, labels=LABELS, actor=actor, **kwargs)


def _start_clock(repair: RepairOrder, name: str, responsible, start) -> SlaClock:
    policy_key = f"repair-respond-{repair.urgency}" if name == RESPOND else "repair-callback"
    return sla.clock_start(
        subject=repair,
        name=name,
        policy_key=policy_key,
        urgent=repair.key_customer,
        responsible=responsible,
        label=(
            gettext_noop("Repair %(number)s: on site")
            if name == RESPOND
            else gettext_noop("Repair %(number)s: call back"),
            {"number": repair.number},
        ),
        link=repair.get_absolute_url(),
        start=start,
    )


def repeat_of(*, hall: Hall, phone: str = "", address: str = "", exclude_id: int | None = None):
    """The latest order of the last 7 days from the same phone or at the same address, if any."""
    match = Q()
    if phone:
        match |= Q(phone=phone)
    if address:
        match |= Q(address=address)
    if not match:
        return None
    recent = RepairOrder.objects.filter(match, hall=hall, created_at__gte=timezone.now() - REPEAT_WINDOW)
    return recent.exclude(pk=exclude_id).order_by("-created_at", "-id").first()


def repair_register(
    *,
    hall: Hall,
    customer_name: str,
    phone: str,
    address: str,
    fault: str,
    description: str,
    urgency: int,
    key_customer: bool = False,
    customer: Customer | None = None,
    actor=None,
) -> RepairOrder:
    """Staff fill in the order for the customer (免填单). A repeat report within 7 days is linked."""
    now = timezone.now()
    with transaction.atomic():
        customer = customer or customer_for_contact(hall=hall, name=customer_name, phone=phone, address=address)
        repair = RepairOrder.objects.create(
            hall=hall,
            number=next_number(hall=hall, kind="repair", prefix="BX"),
            customer=customer,
            customer_name=customer_name,
            phone=phone,
            address=address,
            fault=fault,
            description=description,
            urgency=urgency,
            key_customer=key_customer or customer.key_customer,
            repeat_of=repeat_of(hall=hall, phone=phone, address=address),
            registered_by=actor if actor is not None and actor.is_authenticated else None,
            respond_by=now,
            created_at=now,
        )
        repair.respond_by = _start_clock(repair, RESPOND, None, now).due_at
        repair.save(update_fields=["respond_by"])
        data = {"urgency": urgency, "repeat_of": repair.repeat_of.number if repair.repeat_of else None}
        record_event(subject=repair, action="register", actor=actor, to_status=S.REGISTERED, at=now, data=data)
        if urgency == 1 or repair.key_customer:
            notify(
                recipients=responsible_managers(hall),
                hall_id=hall.pk,
                kind="repair_urgent",
                params={"number": repair.number, "address": address},
                link=repair.get_absolute_url(),
            )
    return repair


def repair_diagnose(*, repair: RepairOrder, advice: str, actor=None) -> RepairOrder:
    def change(record, now):
        record.advice = advice
        return ["advice"]

    return _move(repair, "diagnose", actor, change=change, note=advice)


def available_workers(*, hall: Hall, fault: str) -> list[User]:
    """Active repair workers of the hall who work today (rostered and not on leave) with the fault's skill
    (no skills listed: every fault), the least loaded first."""
    open_load = Count("repairs", filter=Q(repairs__status__in=[S.DISPATCHED, S.ON_SITE]))
    workers = (
        User.objects.filter(hall=hall, is_active=True, groups__name=Role.REPAIR_WORKER)
        .annotate(load=open_load)
        .order_by("load", "id")
    )
    away = staff_selectors.away_on(hall, hall.today())
    return [w for w in workers if w.pk not in away and (not w.skills or fault in w.skills)]


def repair_dispatch(*, repair: RepairOrder, worker: User | None = None, actor=None) -> RepairOrder:
    """To the given worker, or to the least-loaded available one with the fault's skill (another one than
    the order has, when it is dispatched again)."""
    if worker is not None and (
        worker.hall_id != repair.hall_id or not worker.is_active or Role.REPAIR_WORKER not in worker.roles
    ):
        raise ApplicationError(_("%(name)s is not a repair worker of this hall.") % {"name": worker})
    event = {"from_worker": repair.worker_id}

    def change(record, now):
        chosen = worker or _least_loaded_other_than(record)
        if record.worker_id == chosen.pk and record.status == S.DISPATCHED:
            raise ApplicationError(_("The order is already with %(name)s.") % {"name": chosen})
        record.worker = chosen
        record.dispatched_at = now
        event["worker"] = chosen.pk
        return ["worker", "dispatched_at"]

    with transaction.atomic():
        repair = _move(repair, "dispatch", actor, change=change, data=event)
        sla.clock_reassign(subject=repair, name=RESPOND, responsible=repair.worker)
        notify(
            recipients=[repair.worker],
            hall_id=repair.hall_id,
            kind="repair_dispatched",
            params={
                "number": repair.number,
                "address": repair.address,
                "due_at": timezone.localtime(repair.respond_by, repair.hall.tz),
            },
            link=repair.get_absolute_url(),
        )
    return repair


def _least_loaded_other_than(repair: RepairOrder) -> User:
    workers = [w for w in available_workers(hall=repair.hall, fault=repair.fault) if w.pk != repair.worker_id]
    if not workers:
        raise NoWorkerAvailable
    return workers[0]


def _ensure_worker_or_manager(repair: RepairOrder, actor) -> None:
    if actor is None or actor.pk == repair.worker_id or actor.has_role(*MANAGER_ROLES):
        return
    raise NotPermitted(_("Only the assigned worker or a manager may do this."))


def repair_arrive(*, repair: RepairOrder, actor=None) -> RepairOrder:
    def change(record, now):
        _ensure_worker_or_manager(record, actor)
        record.arrived_at = now
        sla.clock_stop(subject=record, name=RESPOND, at=now)
        return ["arrived_at"]

    return _move(repair, "arrive", actor, change=change)


def repair_complete(*, repair: RepairOrder, notes: str, photos=(), actor=None) -> RepairOrder:
    """Completion with the worker's notes and photo evidence; starts the 24 h callback clock."""
    if len(photos) > MAX_PHOTOS:
        raise ApplicationError(_("At most %(count)s photos per order.") % {"count": MAX_PHOTOS})
    for photo in photos:
        validate_evidence(photo)

    def change(record, now):
        _ensure_worker_or_manager(record, actor)
        record.completion_notes = notes
        record.completed_at = now
        record.callback_by = _start_clock(record, CALLBACK, record.registered_by, now).due_at
        return ["completion_notes", "completed_at", "callback_by"]

    with transaction.atomic():
        repair = _move(repair, "complete", actor, change=change, note=notes, data={"photos": len(photos)})
        for photo in photos:
            RepairPhoto.objects.create(repair=repair, image=photo, uploaded_by=actor)
    return repair


def repair_callback(*, repair: RepairOrder, satisfaction: int, notes: str = "", actor=None) -> RepairOrder:
    """Records the customer's satisfaction; 1–3 means not satisfied and sends the order back to its worker."""
    satisfied = satisfaction >= SATISFIED

    def change(record, now):
        record.satisfaction = satisfaction
        record.callback_notes = notes
        sla.clock_stop(subject=record, name=CALLBACK, at=now)
        if satisfied:
            record.followed_up_at = now
            return ["satisfaction", "callback_notes", "followed_up_at"]
        record.arrived_at = record.completed_at = None
        record.respond_by = _start_clock(record, RESPOND, record.worker, now).due_at
        return ["satisfaction", "callback_notes", "arrived_at", "completed_at", "respond_by"]

    with transaction.atomic():
        action = "callback" if satisfied else "reopen"
        repair = _move(repair, action, actor, change=change, note=notes, data={"satisfaction": satisfaction})
        if not satisfied:
            notify(
                recipients=[repair.worker],
                hall_id=repair.hall_id,
                kind="repair_reopened",
                params={"number": repair.number},
                body=notes,
                link=repair.get_absolute_url(),
            )
    return repair


def repair_close(*, repair: RepairOrder, actor=None) -> RepairOrder:
    def change(record, now):
        record.closed_at = now
        return ["closed_at"]

    return _move(repair, "close", actor, change=change)
