from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "patrols"
    verbose_name = _("Floor patrols and rectification")

    def ready(self):
        from assessments.facts import DEDUCTION, register
        from patrols.selectors import patrol_failed_facts

        register("patrol_failed", DEDUCTION, patrol_failed_facts, label=_("Patrol item failed"))
