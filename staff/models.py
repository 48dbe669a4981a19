from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.limits import LONG_TEXT_MAX, NOTE_MAX
from hall.models import Hall, new_token
from staff.reasons import duty_reason, with_labels


class ScheduleKind(models.TextChoices):
    DAILY = "daily", _("Every day at a time")
    WORKDAYS = "workdays", _("Every working day at a time")
    WEEKLY = "weekly", _("Every week on a day")
    CLOSING = "closing", _("At closing")
    MONTHLY = "monthly", _("First working day of the month")


class Chore(models.Model):
    """A hall chore with its A owner and B backup (AB角)."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="chores")
    name = models.CharField(_("name"), max_length=100)
    checklist = models.TextField(_("description or checklist"), blank=True)
    a = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("A (owner)"), on_delete=models.PROTECT, related_name="chores_as_a"
    )
    b = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("B (backup)"), on_delete=models.PROTECT, related_name="chores_as_b"
    )
    schedule_kind = models.CharField(_("schedule"), max_length=10, choices=ScheduleKind.choices)
    at = models.TimeField(_("at"), null=True, blank=True, help_text=_("Empty for chores done at closing."))
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True, help_text=_("0 is Monday."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("chore")
        verbose_name_plural = _("chores")
        ordering = ["hall", "at", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "name"], name="unique_chore_name"),
            models.CheckConstraint(
                condition=Q(schedule_kind="closing") | Q(at__isnull=False), name="chore_has_a_time_unless_closing"
            ),
            models.CheckConstraint(
                condition=~Q(schedule_kind="weekly") | Q(weekday__gte=0, weekday__lte=6),
                name="weekly_chore_has_a_weekday",
            ),
        ]

    def __str__(self):
        return self.name


class DutyRole(models.TextChoices):
    A = "A", _("A (owner)")
    B = "B", _("B (covering for A)")
    DUTY = "duty", _("Duty manager (A and B away)")


class DutyStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")


class Duty(models.Model):
    """A chore's item on one day, with who is responsible that day and why."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="duties")
    chore = models.ForeignKey(Chore, verbose_name=_("chore"), on_delete=models.CASCADE, related_name="duties")
    date = models.DateField(_("date"))
    due_at = models.DateTimeField(_("due at"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duties",
    )
    role = models.CharField(_("as"), max_length=4, choices=DutyRole.choices)
    status = models.CharField(_("status"), max_length=5, choices=DutyStatus.choices, default=DutyStatus.OPEN)
    why = models.JSONField(_("why"), default=dict, blank=True)  # a code with its parameters: staff.reasons
    reason = models.CharField(_("why (as written then)"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["date", "due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["chore", "date"], name="one_duty_per_chore_and_day")]
        indexes = [models.Index(fields=["hall", "date"], name="duty_hall_day_idx")]

    def __str__(self):
        return f"{self.date} {self.chore}"

    @property
    def reason_text(self) -> str:
        """Why the duty went to its responsible person, in the reader's language."""
        return duty_reason(self.why) or self.reason


class LeaveStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class Leave(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="leaves")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), on_delete=models.CASCADE, related_name="leaves"
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        ordering = ["-start", "-id"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="leave_ends_after_it_starts")]
        indexes = [models.Index(fields=["staff", "status", "start"], name="leave_staff_idx")]

    def __str__(self):
        return f"{self.staff} {self.start}–{self.end}"


class ShiftTemplate(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="shift_templates")
    name = models.CharField(_("name"), max_length=30)
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("shift template")
        verbose_name_plural = _("shift templates")
        ordering = ["hall", "start"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "name"], name="unique_shift_template"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="shift_template_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = models.DateTimeField()


class Shift(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="shifts")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), on_delete=models.CASCADE, related_name="shifts"
    )
    date = models.DateField(_("date"))
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    post = models.CharField(_("post"), max_length=50, blank=True, help_text=_("e.g. counter 3"))
    template = models.ForeignKey(
        ShiftTemplate,
        verbose_name=_("shift template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["date", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="shift_ends_after_it_starts"),
            # Nobody works two shifts at once (PostgreSQL; see the migration for other databases).
            ExclusionConstraint(
                name="no_overlapping_shifts",
                expressions=[("staff", RangeOperators.EQUAL), (TsTzRange("start", "end"), RangeOperators.OVERLAPS)],
            ),
        ]
        indexes = [models.Index(fields=["hall", "date"], name="shift_hall_day_idx")]

    def __str__(self):
        return f"{self.staff} {self.start:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """The secret of a person's iCal feed of shifts and duties; a new secret cancels the old link."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=32, unique=True, default=new_token)

    def __str__(self):
        return str(self.user)


class HandoverStatus(models.TextChoices):
    OPEN = "open", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class Handover(models.Model):
    """交接班: the outgoing person's note and the open items of the shift, acknowledged by the incoming one."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="handovers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handed over by"), on_delete=models.PROTECT, related_name="+"
    )
    incoming = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken over by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers_to_acknowledge",
    )
    shift_end = models.DateTimeField(_("shift end"))
    note = models.TextField(_("note"), max_length=LONG_TEXT_MAX, blank=True)
    open_items = models.JSONField(_("open items"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=HandoverStatus.choices, default=HandoverStatus.OPEN)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-shift_end", "-id"]

    def __str__(self):
        return f"{self.shift_end:%Y-%m-%d %H:%M} {self.author}"

    @property
    def labelled_items(self) -> list[dict]:
        """The open items, each with its `label` in the reader's language."""
        return with_labels(self.open_items)
