import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.limits import TEXT_MAX
from hall.models import Evidence, Hall
from hall.uploads import AUDIO_TYPES, IMAGE_TYPES
from patrols.models import PatrolTemplate, TemplateItem

# Letters and digits nobody reads one for another (no 0/O, 1/I/L): 31⁸ (nearly 10¹²) references.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    """What the customer quotes to follow their suggestion or praise: short to type, impossible to guess."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _place in range(REFERENCE_LENGTH))


class FeedbackKind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class FeedbackChannel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    WEB = "web", _("Web form")


class Feedback(models.Model):
    """A customer's suggestion (建议), answered within the hall's promise, or praise (表扬) of a member of staff."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(_("reference"), max_length=12, unique=True, default=new_reference, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=FeedbackKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=FeedbackChannel.choices)
    customer_name = models.CharField(_("customer name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20)
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    reply_due = models.DateTimeField(_("reply due"), null=True, blank=True)
    reply = models.TextField(_("reply"), max_length=TEXT_MAX, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("suggestion or praise")
        verbose_name_plural = _("suggestions and praise")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["hall", "kind", "created_at"], name="feedback_hall_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="praise") | models.Q(staff__isnull=False), name="praise_names_staff"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.customer_name}"

    def get_absolute_url(self):
        return reverse("feedback-detail", args=[self.pk])


class Result(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class MysteryVisit(models.Model):
    """A mystery shopper's visit (暗访) by an outside firm, to the hall's patrol standard."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(PatrolTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+")
    visited_at = models.DateTimeField(_("visited at"))
    visitor = models.CharField(_("visitor organisation"), max_length=200)
    note = models.TextField(_("note"), max_length=TEXT_MAX, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("mystery-shopper visit")
        verbose_name_plural = _("mystery-shopper visits")
        ordering = ["-visited_at", "-id"]

    def __str__(self):
        return f"{self.visitor} {self.visited_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("mystery-visit-detail", args=[self.pk])


class MysteryResult(models.Model):
    visit = models.ForeignKey(MysteryVisit, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(TemplateItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person involved"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("visit result")
        verbose_name_plural = _("visit results")
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="one_result_per_visit_item")]

    def __str__(self):
        return f"{self.item_id}: {self.result}"


class MysteryEvidence(Evidence):
    visit = models.ForeignKey(MysteryVisit, on_delete=models.CASCADE, related_name="evidence")

    upload_folder = "mystery"
    allowed_types = IMAGE_TYPES + AUDIO_TYPES
    max_files = 10
