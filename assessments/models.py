"""The monthly assessment: each hall's rules (points per fact, caps), the sheets of a month (live while open,
stored lines once closed) and the appeals against a line. Nothing here holds a free score: a line only comes from
a registered fact source (assessments.facts), and a person's score only from the lines and the rules."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.models import Hall


class Kind(models.TextChoices):
    DEDUCTION = "deduction", _("Deduction")
    BONUS = "bonus", _("Bonus")


class AssessmentRule(models.Model):
    """How many points one unit of a fact source is worth in a hall, and the most it may count in a month.
    A source with no row in a hall has the defaults (assessments.rules.DEFAULT_RULES); the source `base` gives
    the base score."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    points = models.DecimalField(_("points per unit"), max_digits=6, decimal_places=2)
    cap = models.DecimalField(_("cap per month"), max_digits=6, decimal_places=2, null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assessment rule")
        verbose_name_plural = _("assessment rules")
        ordering = ["hall", "source"]
        constraints = [models.UniqueConstraint(fields=["hall", "source"], name="one_assessment_rule_per_source")]

    def __str__(self):
        return f"{self.source}: {self.points}"


class SheetStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Sheet(models.Model):
    """One person's assessment of one month. While open its lines are computed live from the facts; the close
    stores them (SheetLine) with the base and the score, and later facts or rule changes no longer touch it."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))  # its first day
    status = models.CharField(_("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.OPEN)
    base = models.DecimalField(_("base score"), max_digits=6, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment sheet")
        verbose_name_plural = _("assessment sheets")
        ordering = ["month", "staff_id"]
        constraints = [models.UniqueConstraint(fields=["staff", "month"], name="one_sheet_per_person_and_month")]

    def __str__(self):
        return f"{self.staff} {self.month:%Y-%m}"


class SheetLine(models.Model):
    """A closed sheet's line, as it was at the close."""

    sheet = models.ForeignKey(Sheet, verbose_name=_("sheet"), on_delete=models.CASCADE, related_name="lines")
    key = models.CharField(_("line"), max_length=40)
    source = models.CharField(_("source"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    record = models.CharField(_("record"), max_length=300)
    link = models.CharField(_("link"), max_length=200)
    at = models.DateTimeField(_("at"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    voided = models.BooleanField(_("voided"), default=False)
    decision = models.CharField(_("decision"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("assessment line")
        verbose_name_plural = _("assessment lines")
        ordering = ["sheet", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "key"], name="one_line_per_key")]

    def __str__(self):
        return f"{self.source}: {self.record}"


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Appeal(models.Model):
    """A person's appeal against one line of their sheet, decided by the hall manager on an SLA clock."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    sheet = models.ForeignKey(Sheet, verbose_name=_("sheet"), on_delete=models.CASCADE, related_name="appeals")
    line = models.CharField(_("line"), max_length=40)
    source = models.CharField(_("source"), max_length=40)
    record = models.CharField(_("record"), max_length=300)
    reason = models.CharField(_("reason"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN)
    created_at = models.DateTimeField(_("appealed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("decision note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "line"], condition=Q(status="open"), name="one_open_appeal_per_line"
            )
        ]

    def __str__(self):
        return f"{self.sheet} {self.line}"


class ClosedMonth(models.Model):
    """A hall's assessment month, closed: its sheets are stored and frozen."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("closed assessment month")
        verbose_name_plural = _("closed assessment months")
        constraints = [models.UniqueConstraint(fields=["hall", "month"], name="one_assessment_close_per_month")]

    def __str__(self):
        return f"{self.hall} {self.month:%Y-%m}"
