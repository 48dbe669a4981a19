"""A notification backend that sends nothing and keeps the ids it was asked to send, and the SLA reminders read back."""

from collections import Counter

from hall.models import Notification

SENT = []


class RecordingBackend:
    def send(self, notification):
        SENT.append(notification.pk)


def written(kind=None):
    """The SLA notifications written so far, counted by (kind, recipient's username, channel)."""
    rows = Notification.objects.filter(kind__startswith="sla_").select_related("recipient")
    if kind:
        rows = rows.filter(kind=kind)
    return Counter((row.kind, row.recipient.username, row.channel) for row in rows)
