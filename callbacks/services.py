"""Every write of the sampled callbacks: sampling a day, taking a call (the number revealed), its answer, and the
do-not-call list."""

import datetime as dt
import math
import random
import re
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callbacks import policies, selectors
from callbacks.models import Callback, DoNotCall, SampledDay, phone_key
from hall.errors import ApplicationError, InvalidTransition, NotPermitted
from hall.limits import TEXT_MAX
from hall.models import PHONE_PATTERN, Hall
from hall.permissions import mask_phone, phone_digits
from hall.timeline import record_event
from tickets.selectors import served_with_phone


class AlreadyTaken(InvalidTransition):
    default_message = _("Someone else has taken this callback.")


class AlreadyAnswered(InvalidTransition):
    default_message = _("This callback is already answered.")


class NotTaken(InvalidTransition):
    default_message = _("Take the callback first: the number is shown to its caller only.")


class AlreadyListed(ApplicationError):
    status_code = 409
    code = "already_listed"
    default_message = _("This phone number is on the do-not-call list already.")


# Sampling


def draw(hall_id: int, day: dt.date, served, *, share_percent: int, min_per_clerk: int, excluded: set[str]):
    """The tickets of the sample, from `served` [(ticket id, clerk id, phone)] by id: the hall's share of the day's
    served tickets with a phone (rounded up), but at least `min_per_clerk` of each clerk's while they have any,
    never a phone in `excluded` (asked not to be called, called in the quiet days) nor one phone twice. The order is
    a shuffle seeded by the hall and the day: the same day draws the same tickets, every ticket has the same chance."""
    rng = random.Random(f"callbacks:{hall_id}:{day.isoformat()}")
    order = list(served)
    rng.shuffle(order)
    seen: set[str] = set()
    eligible = []
    for ticket_id, clerk_id, phone in order:
        if phone in excluded or phone in seen:
            continue
        seen.add(phone)
        eligible.append((ticket_id, clerk_id))
    target = math.ceil(len(served) * share_percent / 100)
    chosen: list[int] = []
    per_clerk: dict[int, int] = defaultdict(int)
    for ticket_id, clerk_id in eligible:
        if clerk_id is not None and per_clerk[clerk_id] < min_per_clerk:
            per_clerk[clerk_id] += 1
            chosen.append(ticket_id)
    for ticket_id, _clerk_id in eligible:
        if len(chosen) >= target:
            break
        if ticket_id not in chosen:
            chosen.append(ticket_id)
    return sorted(chosen)


def sample_day(*, hall: Hall, day: dt.date, actor=None) -> list[Callback]:
    """Samples the hall's day once: later calls answer the callbacks drawn the first time."""
    if actor is not None and not policies.may_sample(actor, hall.pk):
        raise NotPermitted(_("Only the hall's managers may sample a day."))
    if day >= hall.today():
        raise ApplicationError(_("Only a past day can be sampled."))
    try:
        with transaction.atomic():
            _marked, created = SampledDay.objects.get_or_create(hall=hall, day=day)
            if created:
                _draw_into(hall, day, actor)
    except IntegrityError:  # sampled at the same moment by another process
        pass
    return list(selectors.callbacks_of_day(hall, day))


def _draw_into(hall: Hall, day: dt.date, actor) -> None:
    rules = selectors.settings_of(hall)
    served = served_with_phone(hall, day)
    quiet = dt.timedelta(days=rules.quiet_days)
    recent = set(
        Callback.objects.filter(hall=hall, day__gt=day - quiet, day__lt=day + quiet).values_list(
            "ticket__phone", flat=True
        )
    )
    blocked = set(DoNotCall.objects.filter(hall=hall).values_list("phone_key", flat=True))
    excluded = recent | {phone for _t, _c, phone in served if phone_key(phone) in blocked}
    chosen = set(
        draw(
            hall.pk,
            day,
            served,
            share_percent=rules.share_percent,
            min_per_clerk=rules.min_per_clerk,
            excluded=excluded,
        )
    )
    for ticket_id, clerk_id, _phone in served:
        if ticket_id in chosen:
            callback = Callback.objects.create(hall=hall, ticket_id=ticket_id, day=day, clerk_id=clerk_id)
            record_event(subject=callback, action="sample", actor=actor, to_status="open")


def sample_yesterday() -> int:
    """The nightly run: every hall's yesterday (its own time zone). Returns the callbacks drawn."""
    drawn = 0
    for hall in Hall.objects.all():
        drawn += len(sample_day(hall=hall, day=hall.today() - dt.timedelta(days=1)))
    return drawn


# Calling


def _locked(callback: Callback) -> Callback:
    return Callback.objects.select_for_update().select_related("ticket").get(pk=callback.pk)


def reveal(*, callback: Callback, actor) -> Callback:
    """The actor takes the call: the number is shown to them, and to nobody else."""
    if not policies.may_call(actor, callback.hall_id):
        raise NotPermitted(_("Only the hall's clerks and managers call customers back."))
    with transaction.atomic():
        callback = _locked(callback)
        if callback.caller_id == actor.pk:
            return callback
        if callback.answered_at is not None:
            raise AlreadyAnswered
        if callback.caller_id is not None:
            raise AlreadyTaken
        callback.caller = actor
        callback.revealed_at = timezone.now()
        callback.save(update_fields=["caller", "revealed_at"])
        record_event(subject=callback, action="reveal", actor=actor, from_status="open", to_status="taken")
    return callback


def answer(
    *, callback: Callback, actor, reached: bool, satisfaction: int | None = None, note: str = "", do_not_call=False
) -> Callback:
    """The call's outcome. A satisfaction only when the customer was reached, and then it is required. The answer is
    an event on the callback, whose day is its ticket's: the reports roll that day up again."""
    if not policies.may_call(actor, callback.hall_id):
        raise NotPermitted(_("Only the hall's clerks and managers call customers back."))
    if reached and satisfaction is None:
        raise ApplicationError(_("Choose how satisfied the customer is, from 1 to 5."))
    if not reached and satisfaction is not None:
        raise ApplicationError(_("A customer not reached gives no satisfaction."))
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise ApplicationError(_("Choose how satisfied the customer is, from 1 to 5."))
    if len(note) > TEXT_MAX:
        raise ApplicationError(_("The note is at most %(count)s characters.") % {"count": TEXT_MAX})
    with transaction.atomic():
        callback = _locked(callback)
        if callback.answered_at is not None:
            raise AlreadyAnswered
        if callback.caller_id != actor.pk:
            raise AlreadyTaken if callback.caller_id is not None else NotTaken
        callback.reached, callback.satisfaction, callback.note = reached, satisfaction, note
        callback.do_not_call = bool(do_not_call)
        callback.answered_at = timezone.now()
        callback.save(update_fields=["reached", "satisfaction", "note", "do_not_call", "answered_at"])
        data = {"reached": reached, "satisfaction": satisfaction, "do_not_call": callback.do_not_call}
        record_event(
            subject=callback,
            action="answer",
            actor=actor,
            from_status="taken",
            to_status="answered",
            note=note,
            data=data,
        )
        if callback.do_not_call:
            phone = callback.ticket.phone
            DoNotCall.objects.get_or_create(
                hall_id=callback.hall_id,
                phone_key=phone_key(phone),
                defaults={"created_by": actor, "phone_masked": mask_phone(phone_digits(phone))},
            )
    return callback


# The do-not-call list

REASON_MAX = DoNotCall._meta.get_field("reason").max_length


def do_not_call_add(*, hall: Hall, phone: str, reason: str, actor) -> DoNotCall:
    """A manager puts a customer's phone on the hall's list by hand: the sampler skips it from the next day drawn."""
    if not policies.may_keep_list(actor, hall.pk):
        raise NotPermitted(_("Only the hall's managers keep the do-not-call list."))
    phone, reason = phone.strip(), reason.strip()
    if not re.fullmatch(PHONE_PATTERN, phone) or not phone_digits(phone):
        raise ApplicationError(_("Enter a phone number of digits only."))
    if not reason or len(reason) > REASON_MAX:
        raise ApplicationError(_("Say why, in at most %(count)s characters.") % {"count": REASON_MAX})
    try:
        with transaction.atomic():
            entry = DoNotCall.objects.create(
                hall=hall,
                phone_key=phone_key(phone),
                phone_masked=mask_phone(phone_digits(phone)),
                reason=reason,
                created_by=actor,
            )
            record_event(subject=entry, action="add", actor=actor, note=reason)
    except IntegrityError:
        raise AlreadyListed from None
    return entry


def do_not_call_remove(*, entry: DoNotCall, actor) -> None:
    """Takes a phone off the list: the customer may be drawn again. The removal stays on the entry's timeline."""
    if not policies.may_keep_list(actor, entry.hall_id):
        raise NotPermitted(_("Only the hall's managers keep the do-not-call list."))
    with transaction.atomic():
        entry = DoNotCall.objects.select_for_update().filter(pk=entry.pk).first()
        if entry is None:
            return
        record_event(subject=entry, action="remove", actor=actor, data={"phone": entry.phone_masked})
        entry.delete()
