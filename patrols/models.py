from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.limits import NOTE_MAX
from hall.models import Hall
from hall.uploads import RandomName


class Category(models.TextChoices):
    """The four things a patrol checks, against one standard (the utility's patrol standard)."""

    ENVIRONMENT = "environment", _("Service environment")
    ORDER = "order", _("Service order")
    STAFF = "staff", _("Staff performance")
    SUPERVISOR = "supervisor", _("Supervisor's work")


class PatrolTemplate(models.Model):
    """A hall's checklist for patrols (巡场) and mystery-shopper visits (暗访): the one standard both are held to."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("patrol template")
        verbose_name_plural = _("patrol templates")
        constraints = [models.UniqueConstraint(fields=["hall", "name"], name="unique_patrol_template_name")]

    def __str__(self):
        return self.name

    def current_items(self) -> list["TemplateItem"]:
        """The items a new patrol or visit is held to, in order (patrols.selectors.with_current_items prefetches
        them); retired ones stay only for the records that used them."""
        if hasattr(self, "prefetched_current_items"):
            return self.prefetched_current_items
        return list(self.items.filter(retired_at__isnull=True))


class TemplateItem(models.Model):
    """One point of the standard: what is checked, what passing looks like, and the points it is worth.

    An item is never changed once saved: editing the template retires it and adds its successor, so the patrols
    and visits that used it read the same for ever (patrols.services.template_update)."""

    template = models.ForeignKey(
        PatrolTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="items"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.CharField(_("item"), max_length=200)
    standard = models.CharField(_("standard"), max_length=500, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    names_staff = models.BooleanField(
        _("names a staff member"), default=False, help_text=_("The patrol says who, when the item fails.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("template item")
        verbose_name_plural = _("template items")
        ordering = ["template", "order", "id"]

    def __str__(self):
        return self.text


class Result(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class Patrol(models.Model):
    """One walk of the floor against a template: each item passed or failed, then a score."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(
        PatrolTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="patrols"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("patrolled by"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    max_score = models.PositiveIntegerField(_("max score"), null=True, blank=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["hall", "started_at"], name="patrol_hall_started")]

    def __str__(self):
        return f"{self.template} {timezone.localtime(self.started_at, self.hall.tz):%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("patrol-detail", args=[self.pk])


class PatrolItem(models.Model):
    """An item of the patrol's checklist, taken from its template when the patrol starts: what it walks and is
    scored on, whatever the template becomes later."""

    patrol = models.ForeignKey(Patrol, verbose_name=_("patrol"), on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(TemplateItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("patrol item")
        verbose_name_plural = _("patrol items")
        ordering = ["patrol", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["patrol", "item"], name="unique_patrol_item")]

    def __str__(self):
        return str(self.item)


class PatrolCheck(models.Model):
    """What the patrol found for one item of its template."""

    patrol = models.ForeignKey(Patrol, verbose_name=_("patrol"), on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey(TemplateItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    photo = models.FileField(_("photo"), upload_to=RandomName("patrols"), blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("patrol check")
        verbose_name_plural = _("patrol checks")
        constraints = [models.UniqueConstraint(fields=["patrol", "item"], name="unique_patrol_check")]

    def __str__(self):
        return f"{self.item}: {self.get_result_display()}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done, to verify")
    VERIFIED = "verified", _("Verified")


class Rectification(models.Model):
    """A failed item to put right (整改) by its deadline, verified by the patrol's author or a manager."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+")
    check_result = models.OneToOneField(
        PatrolCheck, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="rectification"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    due_at = models.DateTimeField(_("due at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.CharField(_("what was done"), max_length=NOTE_MAX, blank=True)
    done_photo = models.FileField(_("photo of the fix"), upload_to=RandomName("patrols"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verify_note = models.CharField(_("verification note"), max_length=NOTE_MAX, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["hall", "status"], name="rectification_hall_status")]

    def __str__(self):
        return str(self.check_result.item)

    def get_absolute_url(self):
        return reverse("rectification-list") + f"#rectification-{self.pk}"
