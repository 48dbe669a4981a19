from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hall.models import Hall


class StoredParts(models.Model):
    """Parts of the figures (reports.engine) of one hall, for one key of one dimension, as the roll-up stored them."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(_("dimension"), max_length=20)
    key = models.CharField(_("key"), max_length=40, blank=True)
    parts = models.JSONField(_("parts"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        abstract = True


class DayParts(StoredParts):
    """The roll-up (日清): one closed local day's additive parts. Every rolled-up day has its `total` row, empty or
    not: a closed day without one has not been rolled up and is computed live."""

    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("day's figures")
        verbose_name_plural = _("days' figures")
        constraints = [models.UniqueConstraint(fields=["hall", "day", "dimension", "key"], name="one_day_part")]
        indexes = [models.Index(fields=["hall", "dimension", "day"], name="day_parts_read_idx")]

    def __str__(self):
        return f"{self.hall_id} {self.day} {self.dimension}:{self.key}"


class SpanParts(StoredParts):
    """A complete closed week (Monday to Sunday) or month, merged from its days' rows (DayParts) by the roll-up
    whenever one of its days is rolled up, so that a long period reads a row per week or month instead of a row per
    day. `first_day` is the span's first day. A span has its rows only while every one of its days has."""

    class Span(models.TextChoices):
        WEEK = "week", _("week")
        MONTH = "month", _("month")

    span = models.CharField(_("span"), max_length=5, choices=Span.choices)
    first_day = models.DateField(_("first day"))

    class Meta:
        verbose_name = _("week's or month's figures")
        verbose_name_plural = _("weeks' and months' figures")
        constraints = [
            models.UniqueConstraint(fields=["hall", "span", "first_day", "dimension", "key"], name="one_span_part")
        ]
        indexes = [models.Index(fields=["hall", "dimension", "span", "first_day"], name="span_parts_read_idx")]

    def __str__(self):
        return f"{self.hall_id} {self.span} {self.first_day} {self.dimension}:{self.key}"


def rate_field(name, default):
    return models.DecimalField(
        name,
        max_digits=4,
        decimal_places=3,
        default=default,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("A fraction from 0 to 1: 0.95 is 95 %."),
    )


class Targets(models.Model):
    """A hall's targets for its three headline figures (KPIS.md "Targets"); a hall without a row has the defaults."""

    hall = models.OneToOneField(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    response_timeliness = rate_field(_("response timeliness at least"), "0.950")
    customer_satisfaction = rate_field(_("customer satisfaction at least"), "0.900")
    complaint_rate = rate_field(_("complaint rate at most"), "0.020")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("targets")
        verbose_name_plural = _("targets")

    def __str__(self):
        return str(self.hall)


class RollupRun(models.Model):
    """When a roll-up job last ran and how far it read the timeline: the next run re-rolls the closed days whose
    records changed since (reports.services.rollup_touched)."""

    name = models.CharField(_("job"), max_length=30, primary_key=True)
    ran_at = models.DateTimeField(_("last run at"))
    # The highest timeline event id the last run saw, and the one the run before it saw: a run reads from the
    # older mark, so an event whose transaction commits after a run has read past its id is still seen.
    event_mark = models.BigIntegerField(_("timeline read up to"), default=0)
    previous_event_mark = models.BigIntegerField(_("timeline read up to the run before"), default=0)

    class Meta:
        verbose_name = _("roll-up run")
        verbose_name_plural = _("roll-up runs")

    def __str__(self):
        return f"{self.name} @ {self.ran_at:%Y-%m-%d %H:%M:%S}"


class MonthClose(models.Model):
    """A closed month (月结): its report as it stood when the hall manager closed it. Later changes to the month's
    records are shown beside it as notes, never folded in (reports.selectors.monthly_answer)."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen = models.JSONField(_("report at the close"), default=dict)

    class Meta:
        verbose_name = _("month close")
        verbose_name_plural = _("month closes")
        constraints = [models.UniqueConstraint(fields=["hall", "month"], name="one_close_per_hall_month")]

    def __str__(self):
        return f"{self.hall} {self.month:%Y-%m}"
