from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# new_token is also imported here by name: the first migrations refer to tickets.models.new_token.
from hall.models import BusinessType, Counter, Hall, new_token


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Serving")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (TicketStatus.CALLED, TicketStatus.SERVING)


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    PRIORITY = "priority", _("Priority (elderly, disabled, pregnant, key customer)")


class Channel(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    STAFF = "staff", _("Staff")
    PHONE = "phone", _("Phone")


class TicketSequence(models.Model):
    """The last number issued per hall, business type and day; its row serialises numbering."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    business_type = models.ForeignKey(BusinessType, on_delete=models.CASCADE, related_name="+")
    service_date = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hall", "business_type", "service_date"], name="unique_ticket_sequence")
        ]

    def __str__(self):
        return f"{self.service_date} {self.business_type_id}: {self.last}"


class Ticket(models.Model):
    # Each index is written on every kiosk press: the hall's is ticket_day_idx, and the references that
    # stay empty until a ticket is called or transferred are indexed only where they are set.
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="tickets", db_index=False
    )
    business_type = models.ForeignKey(
        BusinessType, verbose_name=_("business type"), on_delete=models.PROTECT, related_name="tickets"
    )
    # The type the number was issued under; a transfer changes business_type but never the number.
    issued_type = models.ForeignKey(BusinessType, on_delete=models.PROTECT, related_name="+")
    service_date = models.DateField(_("date"))
    seq = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=8)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.KIOSK)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("counter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        db_index=False,
    )
    # A transfer may direct a ticket to one counter or one clerk; only they call it then.
    target_counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    target_clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="served_tickets",
        db_index=False,
    )
    position_at_issue = models.PositiveIntegerField(default=0)
    predicted_wait_minutes = models.PositiveIntegerField(_("predicted wait (minutes)"), default=0)
    recall_count = models.PositiveSmallIntegerField(_("recalls"), default=0)
    issued_at = models.DateTimeField(_("issued at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "issued_type", "service_date", "seq"], name="unique_ticket_number_per_day"
            ),
            models.UniqueConstraint(
                fields=["counter"],
                condition=Q(status__in=["called", "serving"]),
                name="one_active_ticket_per_counter",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["called", "serving"]) | Q(counter__isnull=False),
                name="active_ticket_has_counter",
            ),
        ]
        indexes = [
            models.Index(
                fields=["hall", "business_type", "priority", "issued_at"],
                condition=Q(status="waiting"),
                name="ticket_waiting_idx",
            ),
            models.Index(fields=["hall", "service_date", "status"], name="ticket_day_idx"),
            models.Index(
                fields=["business_type", "finished_at"],
                condition=Q(status="done"),
                name="ticket_service_time_idx",
            ),
            *(
                models.Index(fields=[field], condition=Q(**{f"{field}__isnull": False}), name=f"ticket_{field}_idx")
                for field in ("counter", "target_counter", "target_clerk", "served_by")
            ),
        ]

    def __str__(self):
        return self.number


class TicketCall(models.Model):
    """Every call and recall, in order: what the display board announces."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="calls")
    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    is_recall = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["hall", "-at"], name="ticket_call_recent_idx")]

    def __str__(self):
        return f"{self.ticket_id} @ {self.counter_id}"


class Rating(models.Model):
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5")]

    def __str__(self):
        return f"{self.ticket_id}: {self.score}"

    @property
    def satisfied(self) -> bool:
        return self.score >= 4
