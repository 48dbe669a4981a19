from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.limits import TEXT_MAX
from hall.models import CaseRecord
from hall.uploads import RandomName


class RepairStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    DIAGNOSED = "diagnosed", _("Diagnosed")
    DISPATCHED = "dispatched", _("Dispatched")
    ON_SITE = "on_site", _("On site")
    COMPLETED = "completed", _("Completed")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")


OPEN_REPAIR_STATUSES = [s for s in RepairStatus.values if s not in (RepairStatus.FOLLOWED_UP, RepairStatus.CLOSED)]


class Fault(models.TextChoices):
    """Fault categories; a repair worker's skills name the ones they handle."""

    OUTAGE = "outage", _("No power / no heat")
    LINE = "line", _("Line or pipe fault")
    METER = "meter", _("Meter")
    VOLTAGE = "voltage", _("Voltage or pressure problem")
    EQUIPMENT = "equipment", _("Customer equipment")
    OTHER = "other", _("Other")


class Urgency(models.IntegerChoices):
    CRITICAL = 1, _("1 – critical")
    SERIOUS = 2, _("2 – serious")
    NORMAL = 3, _("3 – normal")


class RepairOrder(CaseRecord):
    detail_url_name = "repair-detail"
    status_url_name = "repair-status-page"

    phone = models.CharField(_("phone"), max_length=20, db_index=True)
    address = models.CharField(_("address"), max_length=200)
    fault = models.CharField(_("fault"), max_length=20, choices=Fault.choices)
    description = models.TextField(_("description"), max_length=TEXT_MAX)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    key_customer = models.BooleanField(_("key customer"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=RepairStatus.choices, default=RepairStatus.REGISTERED)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
    )
    advice = models.TextField(_("preliminary advice"), blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("repair worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repairs",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completion_notes = models.TextField(_("completion notes"), blank=True)
    callback_notes = models.TextField(_("callback notes"), blank=True)
    # The promised times, copied from the order's clocks (hall.sla) when they start.
    respond_by = models.DateTimeField(_("respond by"))
    callback_by = models.DateTimeField(_("call back by"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        # The tables kept the names they had when repair orders lived in the queue app.
        db_table = "tickets_repairorder"
        verbose_name = _("repair order")
        verbose_name_plural = _("repair orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="unique_repair_number"),
            models.CheckConstraint(condition=Q(urgency__in=[1, 2, 3]), name="repair_urgency_1_to_3"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="repair_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["dispatched", "on_site", "completed"]) | Q(worker__isnull=False),
                name="repair_dispatched_has_worker",
            ),
        ]
        indexes = [
            models.Index(fields=["hall", "-created_at"], name="repair_hall_recent_idx"),
            models.Index(fields=["hall", "status", "-created_at"], name="repair_hall_status_idx"),
            models.Index(fields=["worker", "status"], name="repair_worker_idx"),
            models.Index(fields=["hall", "address"], name="repair_address_idx"),
            models.Index(
                fields=["hall", "next_due_at"], condition=Q(next_due_at__isnull=False), name="repair_next_due_idx"
            ),
        ]


def max_length(field: str) -> int:
    """How long a repair order's text field may be: the page form and the API take their limits from here."""
    return RepairOrder._meta.get_field(field).max_length


class RepairPhoto(models.Model):
    repair = models.ForeignKey(RepairOrder, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=RandomName("repairs"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        db_table = "tickets_repairphoto"
        verbose_name = _("repair photo")
        verbose_name_plural = _("repair photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.image.name
