from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Monthly staff assessment")

    def ready(self):
        from assessments import sources
        from assessments.facts import BONUS, DEDUCTION, register

        register("complaint_justified", DEDUCTION, sources.complaint_justified, label=_("Justified complaint"))
        register("sla_breach", DEDUCTION, sources.sla_breach, label=_("Promised time missed"))
        register("duty_missed", DEDUCTION, sources.duty_missed, label=_("Chore not done in time"))
        register("shift_no_show", DEDUCTION, sources.shift_no_show, label=_("No-show on a rostered shift"))
        register("pad_satisfaction", BONUS, sources.pad_satisfaction, label=_("Pad rating satisfaction"))
