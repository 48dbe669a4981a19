"""The one append-only timeline every workflow writes to."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from hall.db import insert
from hall.models import TimelineEvent


def record_event(
    *,
    subject: models.Model,
    action: str,
    actor=None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict | None = None,
    at=None,
) -> TimelineEvent:
    event = TimelineEvent(
        hall_id=subject.hall_id,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
    )
    if at is not None:
        event.at = at
    insert(event)
    return event


def timeline_for(subject: models.Model):
    return TimelineEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("actor")
