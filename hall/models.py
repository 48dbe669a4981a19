import datetime
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall import texts
from hall.errors import ApplicationError
from hall.uploads import IMAGE_TYPES, record_folder_name, validate_evidence


def new_token() -> str:
    """The secret in a customer's status link."""
    return secrets.token_urlsafe(16)


class Role(models.TextChoices):
    """Each role is a Django group of the same name."""

    CLERK = "clerk", _("Counter clerk")
    DUTY_MANAGER = "duty_manager", _("Duty manager")
    HALL_MANAGER = "hall_manager", _("Hall manager")
    REPAIR_WORKER = "repair_worker", _("Repair worker")
    COMPLAINT_HANDLER = "complaint_handler", _("Complaint handler")
    AREA_MANAGER = "area_manager", _("Area manager")


MANAGER_ROLES = {Role.DUTY_MANAGER, Role.HALL_MANAGER}
# Who may read a hall's reports: its managers, and an area manager (区域经理) for the halls they oversee.
REPORT_ROLES = {*MANAGER_ROLES, Role.AREA_MANAGER}
COUNTER_ROLES = {Role.CLERK, *MANAGER_ROLES}
REPAIR_ROLES = {*COUNTER_ROLES, Role.REPAIR_WORKER}
# Who works in the hall itself (its desks, chores and shifts); repair workers are out in the field.
HALL_ROLES = (Role.CLERK, Role.DUTY_MANAGER, Role.HALL_MANAGER, Role.COMPLAINT_HANDLER)


class Hall(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    priority_streak_limit = models.PositiveSmallIntegerField(
        _("priority calls in a row"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("How many priority tickets a counter may call in a row while normal tickets wait."),
    )
    opens_at = models.TimeField(_("opens at"), default=datetime.time(8, 30))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(17, 30))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self):
        return timezone.localdate(timezone=self.tz)


# A phone number as staff and customers type it: the forms and the API inputs accept only this.
PHONE_PATTERN = r"^\+?[0-9-]{5,20}$"


class User(AbstractUser):
    """A member of staff. `hall` is empty only for administrators, who see every hall, and for area managers, who
    read the reports of the halls they oversee (`areas`)."""

    name = models.CharField(_("display name"), max_length=100, blank=True)
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    employee_number = models.CharField(_("employee number"), max_length=20, blank=True)
    # Where SMS reminders go (hall.notifications.HttpSmsBackend); without it they fail and the admin shows it.
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True, validators=[RegexValidator(PHONE_PATTERN)])
    skills = models.JSONField(
        _("skills"),
        default=list,
        blank=True,
        help_text=_('Business letters and repair fault categories this person handles, e.g. ["A", "line"].'),
    )
    # An area manager reads these halls' reports (hall.permissions.visible_halls) and takes no step in them.
    areas = models.ManyToManyField(
        Hall,
        verbose_name=_("halls overseen"),
        blank=True,
        related_name="area_managers",
        help_text=_("The halls whose reports an area manager reads."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def name_and_roles(self) -> str:
        """How a person picker shows them: "张三（值班经理）"."""
        labels = [str(Role(role).label) for role in self.roles if role in Role.values]
        if not labels:
            return self.display_name
        return _("%(name)s (%(roles)s)") % {"name": self.display_name, "roles": _(", ").join(labels)}

    @property
    def roles(self) -> list[str]:
        if not hasattr(self, "_roles"):
            self._roles = sorted(group.name for group in self.groups.all())
        return self._roles

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(set(self.roles) & set(roles))


class Customer(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="customers")
    account_number = models.CharField(_("account number"), max_length=32, blank=True)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    key_customer = models.BooleanField(_("key customer"), default=False)
    elderly_alone = models.BooleanField(_("elderly living alone"), default=False)
    disabled = models.BooleanField(_("disabled"), default=False)
    blacklisted = models.BooleanField(_("blacklisted"), default=False)
    blacklist_reason = models.CharField(_("blacklist reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["hall", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "account_number"],
                condition=~Q(account_number=""),
                name="unique_customer_account",
            ),
            models.CheckConstraint(
                condition=Q(blacklisted=False) | ~Q(blacklist_reason=""),
                name="customer_blacklist_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.account_number})" if self.account_number else self.name

    @property
    def flags(self) -> list[str]:
        names = ["key_customer", "elderly_alone", "disabled", "blacklisted"]
        return [name for name in names if getattr(self, name)]


class DailySequence(models.Model):
    """The last number given per hall, kind of record and day (repair orders, complaints)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hall", "kind", "day"], name="unique_daily_sequence")]

    def __str__(self):
        return f"{self.kind} {self.day}: {self.last}"


class CaseRecord(models.Model):
    """What a customer's case keeps whatever it is (a repair order, a complaint): who it is for, its daily number,
    the secret of the customer's status link, the soonest deadline of its clocks (kept by hall.sla), how satisfied
    the customer was and when it was followed up and closed."""

    # The reverse names are the app's: hall.repairs, customer.complaints.
    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="%(app_label)s")
    number = models.CharField(_("number"), max_length=20)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="%(app_label)s"
    )
    customer_name = models.CharField(_("customer name"), max_length=100)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    token = models.CharField(_("status page key"), max_length=32, unique=True, default=new_token, editable=False)
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True, editable=False)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # The staff's page of a record, by its id, and the customer's status page, by its token.
    detail_url_name = ""
    status_url_name = ""

    class Meta:
        abstract = True

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse(self.detail_url_name, args=[self.pk])

    def get_status_url(self) -> str:
        return reverse(self.status_url_name, args=[self.token])


class Evidence(models.Model):
    """A file given as evidence of a record (a complaint, a mystery-shopper visit), its type read from its content.
    The concrete model adds the record it belongs to and says where its files go, what they may be and how many
    come at a time."""

    file = models.FileField(_("file"), upload_to=record_folder_name)
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    upload_folder = "evidence"
    allowed_types: tuple[str, ...] = IMAGE_TYPES
    max_files = 6

    class Meta:
        abstract = True
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.file.name

    @classmethod
    def content_types(cls, files) -> list[str]:
        """Each file's type read from its content. Refuses too many files (ApplicationError) and a file of another
        type or too large (ValidationError naming it) before anything is written."""
        if len(files) > cls.max_files:
            raise ApplicationError(_("At most %(count)s files at a time.") % {"count": cls.max_files})
        return [validate_evidence(upload, allowed=cls.allowed_types) for upload in files]

    @classmethod
    def attach(cls, files, *, actor=None, **record) -> list:
        """Keeps the checked files as evidence of `record` (e.g. complaint=…)."""
        uploader = actor if actor is not None and actor.is_authenticated else None
        return [
            cls.objects.create(file=upload, content_type=content_type, uploaded_by=uploader, **record)
            for upload, content_type in zip(files, cls.content_types(files), strict=True)
        ]


class DutyManagerDay(models.Model):
    """Who is the duty manager of a hall on a day (set with the roster); reminders that escalate go to them."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("duty manager"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("duty manager of the day")
        verbose_name_plural = _("duty managers of the day")
        constraints = [models.UniqueConstraint(fields=["hall", "date"], name="one_duty_manager_per_day")]

    def __str__(self):
        return f"{self.date} {self.manager}"


class TimelineEvent(models.Model):
    """Append-only history of every state change and reassignment, for any record."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    # timeline_subject_idx serves the content type; most events of the kiosk and the sweep have no actor.
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE, db_index=False
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    subject = GenericForeignKey("content_type", "object_id")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="timeline_subject_idx"),
            models.Index(fields=["actor"], condition=Q(actor__isnull=False), name="timeline_actor_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class NotificationChannel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Notification(models.Model):
    """The outbox: one row per recipient and channel. In-app rows are delivered by existing."""

    # Empty for system notices to administrators (e.g. a year's holidays not entered yet).
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=NotificationChannel.choices, default=NotificationChannel.IN_APP
    )
    kind = models.CharField(_("kind"), max_length=40)
    # What the text says, as values for the kind's text in hall.notifications: it is shown in the reader's
    # language. `subject` and `body` keep the text in the hall's language (and the only text of older rows).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # Notifications about the same thing (one record's SLA clock) share a thread: the list shows its latest.
    thread = models.CharField(_("thread"), max_length=80, blank=True, default="")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    # After a failed attempt: not tried again before this time (the waits double, hall.notifications.retry_delay).
    retry_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # Given up: its last attempt failed too, or it can never be sent (no mobile number). Never tried again unless
    # an administrator sends it again.
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="notification_unsent_idx"),
            # The unread count in every page's menu.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, channel="in_app"),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return self.subject


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Make-up workday")


class CalendarDay(models.Model):
    """A date that breaks the Monday–Friday rule: a public holiday, or a weekend day worked in exchange (调休).

    Seeded from the `chinesecalendar` package and editable, because official dates are published late."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class SlaUnit(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    HOURS = "hours", _("Hours (around the clock)")
    WORKING_DAYS = "working_days", _("Working days")


class SlaPolicyKey(models.TextChoices):
    """The clocks whose times a hall sets (hall.sla.DEFAULT_POLICIES gives each its default)."""

    REPAIR_RESPOND_1 = "repair-respond-1", _("Repair response, urgency 1 (critical)")
    REPAIR_RESPOND_2 = "repair-respond-2", _("Repair response, urgency 2 (serious)")
    REPAIR_RESPOND_3 = "repair-respond-3", _("Repair response, urgency 3 (normal)")
    REPAIR_CALLBACK = "repair-callback", _("Repair callback")
    COMPLAINT_FIRST_CONTACT = "complaint-first-contact", _("Complaint: first contact")
    COMPLAINT_PROGRESS = "complaint-progress", _("Complaint: progress report")
    COMPLAINT_RESULT = "complaint-result", _("Complaint: result")
    COMPLAINT_FOLLOW_UP = "complaint-follow-up", _("Complaint: follow-up")
    DUTY_DONE = "duty-done", _("Chore done on time")
    HANDOVER_ACK = "handover-ack", _("Handover acknowledged")
    SUGGESTION_REPLY = "suggestion-reply", _("Suggestion: reply")
    ASSESSMENT_APPEAL = "assessment-appeal", _("Assessment appeal decided")
    RECTIFICATION = "rectification", _("Patrol finding rectified")


class SlaPolicy(models.Model):
    """How long a hall gives itself for one clock, e.g. `repair-respond-1` = 2 hours (see hall.sla)."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="sla_policies")
    key = models.SlugField(_("clock"), max_length=50, choices=SlaPolicyKey.choices)
    amount = models.PositiveIntegerField(_("amount"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=15, choices=SlaUnit.choices, default=SlaUnit.HOURS)
    urgent_percent = models.PositiveSmallIntegerField(
        _("urgent share (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Key customers and urgent cases get this share of the time."),
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["hall", "key"]
        constraints = [models.UniqueConstraint(fields=["hall", "key"], name="unique_sla_policy")]

    def __str__(self):
        return f"{self.get_key_display()}: {self.amount} {self.get_unit_display()}"


class SlaLevel(models.IntegerChoices):
    RUNNING = 0, _("Running")
    WARNED_HALF = 1, _("50 % warning sent")
    WARNED_THREE_QUARTERS = 2, _("75 % warning sent")
    BREACHED = 3, _("Breached")
    ESCALATED = 4, _("Escalated to the hall manager")


class SlaClock(models.Model):
    """One promised deadline of one record. The sweep finds due levels through `next_level_at`."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("record id"))
    subject = GenericForeignKey("content_type", "object_id")
    name = models.CharField(_("clock"), max_length=30)
    # What the reminders say and link to, copied at start so the sweep never loads the records.
    label = models.CharField(_("what"), max_length=100, blank=True)
    label_params = models.JSONField(_("what's details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), null=True, blank=True, on_delete=models.SET_NULL
    )
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=SlaLevel.choices, default=SlaLevel.RUNNING)
    next_level_at = models.DateTimeField(_("next reminder at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "name"],
                condition=Q(stopped_at__isnull=True),
                name="one_running_clock_per_name",
            ),
            models.CheckConstraint(condition=Q(due_at__gt=F("started_at")), name="sla_clock_due_after_start"),
        ]
        indexes = [
            models.Index(
                fields=["next_level_at"],
                condition=Q(stopped_at__isnull=True, next_level_at__isnull=False),
                name="sla_clock_due_idx",
            ),
            models.Index(fields=["content_type", "object_id"], name="sla_clock_subject_idx"),
            models.Index(
                fields=["hall", "due_at"], condition=Q(stopped_at__isnull=True), name="sla_clock_open_due_idx"
            ),
        ]

    def __str__(self):
        return f"{self.name} → {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def what(self) -> str:
        """What the clock is about, in the reader's language."""
        return texts.shown(self.label, self.label_params) or self.name


class Heartbeat(models.Model):
    """When a periodic job last finished, kept in PostgreSQL so the health check sees a dead worker even while
    Redis is down."""

    name = models.CharField(_("job"), max_length=50, primary_key=True)
    at = models.DateTimeField(_("last finished at"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M:%S}"
