from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Monthly staff assessment")

    def ready(self):
        from assessments import sources
        from assessments.facts import BONUS, DEDUCTION, register

        register("complaint_justified", DEDUCTION, sources.complaint_justified)
        register("sla_breach", DEDUCTION, sources.sla_breach)
        register("duty_missed", DEDUCTION, sources.duty_missed)
        register("shift_no_show", DEDUCTION, sources.shift_no_show)
        register("pad_satisfaction", BONUS, sources.pad_satisfaction)
