from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Suggestions, praise and mystery-shopper visits")

    def ready(self):
        from assessments.facts import BONUS, DEDUCTION, register
        from feedback.selectors import mystery_failed_facts, praise_facts

        register("praise", BONUS, praise_facts, label=_("Praise"))
        register("mystery_failed", DEDUCTION, mystery_failed_facts, label=_("Mystery shopper item failed"))
