from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hall.models import Hall


class DayParts(models.Model):
    """The roll-up (日清): one closed local day's additive parts of the figures, for one hall and one key of one
    dimension (reports.engine). Every rolled-up day has its `total` row, empty or not: a closed day without one
    has not been rolled up and is computed live."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    dimension = models.CharField(_("dimension"), max_length=20)
    key = models.CharField(_("key"), max_length=40, blank=True)
    parts = models.JSONField(_("parts"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("day's figures")
        verbose_name_plural = _("days' figures")
        constraints = [models.UniqueConstraint(fields=["hall", "day", "dimension", "key"], name="one_day_part")]
        indexes = [models.Index(fields=["hall", "dimension", "day"], name="day_parts_read_idx")]

    def __str__(self):
        return f"{self.hall_id} {self.day} {self.dimension}:{self.key}"


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
