from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# new_token is also imported here by name: the first migrations refer to tickets.models.new_token.
from hall.models import Hall, new_token

# The queue's reference data began in the hall core; its tables keep their first names (hall_*).


class BusinessType(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="business_types")
    code = models.CharField(
        _("letter"), max_length=1, validators=[RegexValidator(r"^[A-Z]$", _("One capital letter, A to Z."))]
    )
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    daily_quota = models.PositiveIntegerField(
        _("daily quota"), null=True, blank=True, help_text=_("Tickets per day; empty for no limit.")
    )
    default_service_minutes = models.PositiveSmallIntegerField(
        _("default service minutes"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Used for predicted waits until enough tickets of this type were served."),
    )
    # The targets the queue's figures measure against (docs/KPIS.md "waits over target", "services over target").
    wait_target_minutes = models.PositiveSmallIntegerField(
        _("wait target (minutes)"),
        default=20,
        validators=[MinValueValidator(1)],
        help_text=_("A wait longer than this counts as over target in the reports."),
    )
    service_target_minutes = models.PositiveSmallIntegerField(
        _("service target (minutes)"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("A spell of service at a counter longer than this counts as over target in the reports."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "hall_businesstype"
        verbose_name = _("business type")
        verbose_name_plural = _("business types")
        ordering = ["hall", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["hall", "code"], name="unique_business_type_code")]

    def __str__(self):
        return f"{self.code} {self.name}"


class CounterStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class Counter(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=50, blank=True)
    business_types = models.ManyToManyField(
        BusinessType, through="CounterService", verbose_name=_("business types"), related_name="counters"
    )
    status = models.CharField(_("status"), max_length=10, choices=CounterStatus.choices, default=CounterStatus.CLOSED)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="counters",
    )
    priority_streak = models.PositiveSmallIntegerField(_("priority calls in a row"), default=0, editable=False)

    class Meta:
        db_table = "hall_counter"
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["hall", "number"]
        constraints = [models.UniqueConstraint(fields=["hall", "number"], name="unique_counter_number")]

    def __str__(self):
        return self.name or _("Window %(number)s") % {"number": self.number}


class CounterService(models.Model):
    """A business type a counter serves, with its weight in the counter's choice of the next ticket."""

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="services")
    business_type = models.ForeignKey(BusinessType, on_delete=models.CASCADE, related_name="counter_services")
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A waiting minute of this type counts this many times when the counter picks the next ticket."),
    )

    class Meta:
        db_table = "hall_counterservice"
        verbose_name = _("counter service")
        verbose_name_plural = _("counter services")
        constraints = [
            models.UniqueConstraint(fields=["counter", "business_type"], name="unique_counter_service"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="counter_service_weight_positive"),
        ]

    def __str__(self):
        return f"{self.counter} · {self.business_type} ×{self.weight}"


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
    issued_type = models.ForeignKey(
        BusinessType, verbose_name=_("issued for"), on_delete=models.PROTECT, related_name="+"
    )
    service_date = models.DateField(_("date"))
    seq = models.PositiveIntegerField(_("sequence number"))
    number = models.CharField(_("number"), max_length=8)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.KIOSK)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    token = models.CharField(_("status page key"), max_length=32, unique=True, default=new_token, editable=False)
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
        Counter,
        verbose_name=_("transferred to counter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    target_clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("transferred to clerk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
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
    position_at_issue = models.PositiveIntegerField(_("waiting ahead at issue"), default=0)
    # Empty when no open counter served the type at issue: no wait was promised.
    predicted_wait_minutes = models.PositiveIntegerField(_("predicted wait (minutes)"), null=True, blank=True)
    recall_count = models.PositiveSmallIntegerField(_("recalls"), default=0)
    issued_at = models.DateTimeField(_("issued at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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


class TicketStint(models.Model):
    """One spell of service of a ticket at a counter, from its start to its finish or to a transfer away. Handling
    times (KPIS.md) are over these; `service_date` is the ticket's issue day, the day the figures count it on."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="stints")
    service_date = models.DateField()
    business_type = models.ForeignKey(BusinessType, on_delete=models.CASCADE, related_name="+")
    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="+")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True)
    transferred = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["hall", "service_date"], name="ticket_stint_day_idx")]
        constraints = [
            models.UniqueConstraint(fields=["ticket"], condition=Q(ended_at__isnull=True), name="one_open_stint")
        ]

    def __str__(self):
        return f"{self.ticket_id} @ {self.counter_id}"


# A rating of 4 or 5 counts as satisfied (API.md, KPIS.md).
SATISFIED_SCORE = 4


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
        return self.score >= SATISFIED_SCORE
