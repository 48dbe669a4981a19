"""Reads of the sampled callbacks: the lists, the satisfaction counts the reports and assessments read."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from callbacks.models import Callback, CallbackSettings, DoNotCall, SampledDay
from hall.permissions import mask_phone


def settings_of(hall) -> CallbackSettings:
    found = CallbackSettings.objects.filter(hall=hall).first()
    return found or CallbackSettings(hall=hall)


def callbacks_of_day(hall, day: dt.date) -> QuerySet[Callback]:
    return (
        Callback.objects.filter(hall=hall, day=day)
        .select_related("ticket", "clerk", "caller")
        .order_by("answered_at", "ticket__finished_at", "pk")
    )


def phone_shown(user, callback: Callback) -> str:
    """The customer's number as this user sees it: whole for the caller only."""
    phone = callback.ticket.phone
    return phone if user.is_authenticated and callback.caller_id == user.pk else mask_phone(phone)


def satisfaction_rows(halls, first: dt.date, last: dt.date):
    """(hall id, day, clerk id, answered, satisfied ≥ 4) of the callbacks with a satisfaction answer."""
    return (
        Callback.objects.filter(hall__in=halls, day__range=(first, last), satisfaction__isnull=False)
        .values("hall_id", "day", "clerk_id")
        .annotate(answered=Count("pk"), satisfied=Count("pk", filter=Q(satisfaction__gte=4)))
        .order_by()
        .values_list("hall_id", "day", "clerk_id", "answered", "satisfied")
    )


def day_sampled(hall, day: dt.date) -> bool:
    return SampledDay.objects.filter(hall=hall, day=day).exists()


def do_not_call_list(hall) -> QuerySet[DoNotCall]:
    return DoNotCall.objects.filter(hall=hall).select_related("created_by")
