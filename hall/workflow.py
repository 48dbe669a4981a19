"""The one state-transition mechanism every workflow uses (tickets, counters, repairs, complaints, duties)."""

from collections.abc import Callable, Mapping

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.errors import InvalidTransition
from hall.timeline import record_event

Moves = Mapping[str, Mapping[str, str]]


def transition(
    *,
    record: models.Model,
    action: str,
    moves: Moves,
    labels: Mapping[str, str],
    actor=None,
    note: str = "",
    change: Callable | None = None,
    data: dict | None = None,
    event_action: str | None = None,
):
    """Locks the record, checks `action` may move it from its status (`moves[action][status]`), applies
    `change(record, now)` (which returns the extra fields it set, or raises a domain error), saves and
    writes one timeline event, all in one transaction. Returns the updated record."""
    model = type(record)
    now = timezone.now()
    with transaction.atomic():
        record = model.objects.select_for_update(no_key=True).get(pk=record.pk)
        allowed = moves[action]
        if record.status not in allowed:
            raise InvalidTransition(
                _("This %(record)s is %(status)s and cannot be %(action)s.")
                % {"record": model._meta.verbose_name, "status": record.get_status_display(), "action": labels[action]}
            )
        from_status = record.status
        record.status = allowed[from_status]
        fields = {"status", *(change(record, now) if change else ())}
        record.save(update_fields=sorted(fields))
        record_event(
            subject=record,
            action=event_action or action,
            actor=actor,
            from_status=from_status,
            to_status=record.status,
            note=note,
            at=now,
            data=data,
        )
    return record
