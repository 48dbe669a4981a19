"""The one append-only timeline every workflow writes to."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from hall.db import insert, insert_linked
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
    event = _event(subject, action, actor, from_status, to_status, note, data, at)
    insert(event)
    return event


def insert_with_event(
    subject: models.Model,
    *,
    action: str,
    actor=None,
    to_status: str = "",
    note: str = "",
    data: dict | None = None,
    at=None,
) -> TimelineEvent:
    """Inserts a new record together with its first timeline event."""
    event = _event(subject, action, actor, "", to_status, note, data, at)
    insert_linked(subject, event, "object_id")
    return event


def _event(subject, action, actor, from_status, to_status, note, data, at) -> TimelineEvent:
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
    return event


def timeline_for(subject: models.Model):
    return TimelineEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("actor")
