"""Reads of the hall's own records that every app uses, and the list every desk narrows down."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from hall import sla
from hall.cache import Kept
from hall.models import Hall, Notification, NotificationChannel
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


def notification_lines(user, *, unread: bool = False, limit: int = 100) -> list[Notification]:
    """The person's in-app notifications, newest first, one line per thread: its latest notification, with the
    earlier ones as `.folded` (newest first). Reading a line reads its thread (see notification_mark_read), so a
    thread is unread exactly when its latest notification is."""
    mine = Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP)
    later = mine.filter(thread=OuterRef("thread"), pk__gt=OuterRef("pk"))
    lines = mine.exclude(~Q(thread="") & Exists(later))
    if unread:
        lines = lines.filter(read_at=None)
    return _folding(list(lines.order_by("-created_at", "-id")[:limit]))


def notification_line(notification: Notification) -> Notification:
    """One line of notification_lines, for re-showing it once read."""
    return _folding([notification])[0]


def _folding(lines: list[Notification]) -> list[Notification]:
    threads = {line.thread: line for line in lines if line.thread}
    for line in lines:
        line.folded = []
    if not threads:
        return lines
    earlier = Notification.objects.filter(
        recipient_id__in={line.recipient_id for line in threads.values()},
        channel=NotificationChannel.IN_APP,
        thread__in=list(threads),
    )
    for row in earlier.order_by("-created_at", "-id"):
        line = threads[row.thread]
        if row.pk < line.pk and row.recipient_id == line.recipient_id:
            line.folded.append(row)
    return lines


def unread_notification_count(user) -> int:
    """How many lines of notification_lines are unread: one COUNT on the unread index."""
    return Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP, read_at=None).aggregate(
        count=Count("pk", filter=Q(thread="")) + Count("thread", filter=~Q(thread=""), distinct=True)
    )["count"]
