"""Sampled callbacks (回访): each day a fair sample of the tickets served the day before is called back."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from hall.limits import TEXT_MAX
from hall.models import Hall
from hall.permissions import phone_digits


def phone_key(phone: str) -> str:
    """The keyed hash a do-not-call entry keeps instead of the number, of its digits alone."""
    return salted_hmac("callbacks.do_not_call", phone_digits(phone), algorithm="sha256").hexdigest()


class CallbackSettings(models.Model):
    hall = models.OneToOneField(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    share_percent = models.PositiveSmallIntegerField(
        _("share of served tickets called back (%)"),
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    min_per_clerk = models.PositiveSmallIntegerField(_("at least this many per clerk"), default=1)
    quiet_days = models.PositiveSmallIntegerField(_("days before a customer is called again"), default=30)

    class Meta:
        verbose_name = _("callback sampling")
        verbose_name_plural = _("callback sampling")

    def __str__(self):
        return str(self.hall)


class DoNotCall(models.Model):
    """A customer who asked not to be called back, by a keyed hash of their phone and the number masked for the
    list. No reason means they asked on a callback; a manager adding one by hand gives it."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    phone_key = models.CharField(max_length=64)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("do-not-call entry")
        verbose_name_plural = _("do-not-call list")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["hall", "phone_key"], name="unique_do_not_call")]

    def __str__(self):
        return f"{self.hall_id}: {self.phone_key[:8]}…"


class SampledDay(models.Model):
    """A hall's day that was sampled: sampling it again changes nothing."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sampled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hall", "day"], name="unique_sampled_day")]

    def __str__(self):
        return f"{self.hall_id}: {self.day}"


class Callback(models.Model):
    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    ticket = models.OneToOneField(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="callback"
    )
    # The ticket's day (its service_date): the day the answer counts on.
    day = models.DateField(_("day served"))
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caller"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revealed_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reached = models.BooleanField(_("reached"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(_("note"), blank=True, max_length=TEXT_MAX)
    do_not_call = models.BooleanField(_("asked not to be called again"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sampled callback")
        verbose_name_plural = _("sampled callbacks")
        indexes = [models.Index(fields=["hall", "day"], name="callback_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True) | models.Q(reached=True),
                name="callback_satisfaction_reached",
            )
        ]

    def __str__(self):
        return f"{self.day} {self.ticket_id}"

    def get_absolute_url(self) -> str:
        return f"/callbacks/?date={self.day.isoformat()}#callback-{self.pk}"
