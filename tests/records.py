"""What the complaint and repair API tests check after a refused request: nothing stored, nothing changed."""

from complaints.models import Complaint, ComplaintEvidence
from hall.models import Customer, Notification, SlaClock, TimelineEvent
from repairs.models import RepairOrder, RepairPhoto


def assert_nothing_stored():
    """No complaint or repair order, and no customer, timeline event or SLA clock for one either."""
    assert not Complaint.objects.exists()
    assert not RepairOrder.objects.exists()
    assert not Customer.objects.exists()
    assert not TimelineEvent.objects.exists()
    assert not SlaClock.objects.exists()


def state(record):
    """Every column of the complaint or order, its timeline and clocks, and how many files and notifications
    there are, read from the database."""
    row = type(record).objects.filter(pk=record.pk).values().get()
    events = TimelineEvent.objects.filter(object_id=record.pk).count()
    clocks = list(SlaClock.objects.filter(object_id=record.pk).values().order_by("id"))
    files = ComplaintEvidence.objects.count(), RepairPhoto.objects.count()
    return row, events, clocks, files, Notification.objects.count()


def assert_unchanged(record, before, status):
    assert state(record) == before
    record.refresh_from_db()
    assert record.status == status


def assert_no_file_kept(media):
    """Neither a row for an uploaded file nor the file itself."""
    assert not ComplaintEvidence.objects.exists()
    assert not RepairPhoto.objects.exists()
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
