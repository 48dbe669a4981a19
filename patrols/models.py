from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.models import Hall


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


class TemplateItem(models.Model):
    """One point of the standard: what is checked, what passing looks like, and the points it is worth."""

    template = models.ForeignKey(
        PatrolTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="items"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.CharField(_("item"), max_length=200)
    standard = models.CharField(_("standard"), max_length=500, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("template item")
        verbose_name_plural = _("template items")
        ordering = ["template", "order", "id"]

    def __str__(self):
        return self.text
